// Telling a question file from a picture, a PDF or an archive before any reader sees it. The text readers
// (GIFT, Aiken, Moodle XML, CSV) accept almost anything and would turn a PNG into a row of garbage and a
// "syntax error" naming its bytes; one clear "this is not a question file" is what the person needs.

const textSample = 64 * 1024;

// Files people pick by mistake from a phone or a downloads folder whose first bytes may still pass as text (a PDF
// can be plain ASCII for pages). Anything else binary is caught by its control bytes or undecodable text. A zip is
// judged separately: an .xlsx is one.
const binarySignatures: number[][] = [
	[0x89, 0x50, 0x4e, 0x47], // PNG
	[0xff, 0xd8, 0xff], // JPEG
	[0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
	[0xd0, 0xcf, 0x11, 0xe0], // old Office (.xls, .doc)
	[0x52, 0x61, 0x72, 0x21, 0x1a], // RAR
	[0x37, 0x7a, 0xbc, 0xaf] // 7z
];

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
	return signature.every((b, i) => bytes[i] === b);
}

function isZip(bytes: Uint8Array): boolean {
	return startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]);
}

// Entry names are stored uncompressed in a zip, so a workbook shows its own part name in the raw bytes.
function isWorkbookZip(bytes: Uint8Array): boolean {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('xl/workbook.xml');
}

function decodes(bytes: Uint8Array, encoding: 'utf-8' | 'gbk'): boolean {
	try {
		new TextDecoder(encoding, { fatal: true }).decode(bytes);
		return true;
	} catch {
		return false;
	}
}

// A cut in the middle of a multi-byte character would look like bad text; drop up to three bytes at the end.
function decodesAllowingCut(bytes: Uint8Array, encoding: 'utf-8' | 'gbk', cut: boolean): boolean {
	const tries = cut ? 4 : 1;
	for (let drop = 0; drop < tries && drop < bytes.byteLength; drop++) {
		if (decodes(bytes.subarray(0, bytes.byteLength - drop), encoding)) return true;
	}
	return false;
}

function looksLikeText(bytes: Uint8Array): boolean {
	// Excel's "Unicode 文本" is UTF-16LE with a BOM and full of zero bytes; it is text.
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.byteLength % 2 === 0;
	const sample = bytes.subarray(0, textSample);
	const cut = sample.byteLength < bytes.byteLength;
	// Control characters other than tab, line feed, form feed and carriage return do not occur in text files.
	if (sample.some((b) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d)) return false;
	return decodesAllowingCut(sample, 'utf-8', cut) || decodesAllowingCut(sample, 'gbk', cut);
}

/** True when the bytes can be a question file: an .xlsx workbook, or text in UTF-8, GBK or UTF-16. */
export function couldBeQuestionFile(bytes: Uint8Array): boolean {
	if (bytes.byteLength === 0) return true; // the readers say "empty", which is more helpful
	if (isZip(bytes)) return isWorkbookZip(bytes);
	if (binarySignatures.some((s) => startsWith(bytes, s))) return false;
	return looksLikeText(bytes);
}
