/**
 * Uploaded text in whatever encoding Chinese office software wrote it: UTF-8 (with or without BOM) first;
 * UTF-16LE with a BOM (Excel's "Unicode 文本"); otherwise GBK, the code page Chinese Excel saves
 * "CSV (逗号分隔)" in. Strict UTF-8 decoding fails on GBK bytes, which is how the two are told apart.
 */
export function decodeText(bytes: Uint8Array): string {
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
	try {
		// The UTF-8 decoder drops a leading BOM by itself.
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return new TextDecoder('gbk').decode(bytes);
	}
}
