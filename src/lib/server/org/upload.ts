import { readMemberFile, type MemberFile } from './member-file';

export const maxUploadBytes = 1024 * 1024;

export type ReadUpload =
	| { ok: true; fileName: string; bytes: Uint8Array; file: MemberFile }
	| { ok: false; code: 'file_too_large' | 'file_unreadable' };

/** Reads a member file from an upload field, or from the base64 copy the preview page carries to confirm. */
export async function readUploadedMemberFile(form: FormData): Promise<ReadUpload> {
	const upload = form.get('file');
	let bytes: Uint8Array;
	let fileName: string;
	if (upload instanceof File && upload.size > 0) {
		if (upload.size > maxUploadBytes) return { ok: false, code: 'file_too_large' };
		bytes = new Uint8Array(await upload.arrayBuffer());
		fileName = upload.name;
	} else {
		const carried = form.get('fileData');
		const name = form.get('fileName');
		if (typeof carried !== 'string' || typeof name !== 'string' || carried.length === 0) return { ok: false, code: 'file_unreadable' };
		if (carried.length > (maxUploadBytes * 4) / 3 + 4) return { ok: false, code: 'file_too_large' };
		bytes = new Uint8Array(Buffer.from(carried, 'base64'));
		fileName = name;
	}
	return { ok: true, fileName, bytes, file: await readMemberFile(bytes, fileName) };
}
