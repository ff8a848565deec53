export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A file download; the Chinese file name is sent RFC 5987-encoded with an ASCII fallback. */
export function fileResponse(bytes: Uint8Array, fileName: string, contentType: string): Response {
	const ascii = fileName.replace(/[^\x20-\x7e]/g, '_');
	return new Response(new Uint8Array(bytes), {
		headers: {
			'content-type': contentType,
			'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
			'cache-control': 'no-store'
		}
	});
}
