import type { Db } from '../db';

// A target's learning report (述学报告) as an uploaded PDF. Checked by its first bytes, not by its name or the
// type the browser claims: only a real PDF is stored and served back, always as application/pdf.

export const maxReportBytes = 10 * 1024 * 1024;
export const reportFileNameMaxLength = 100;

/** A PDF starts with `%PDF-` (ISO 32000-1, 7.5.2); some writers put a few bytes before it, which readers accept. */
export function isPdf(bytes: Uint8Array): boolean {
	return Buffer.from(bytes.subarray(0, 1024)).toString('latin1').includes('%PDF-');
}

export type ReportUpload = { ok: true; file: { fileName: string; bytes: Uint8Array } | null } | { ok: false; problem: 'too_large' | 'not_pdf' };

/** The `file` field of the report form: nothing chosen, a PDF within the size, or why not. */
export async function readReportUpload(form: FormData, field = 'file'): Promise<ReportUpload> {
	const upload = form.get(field);
	if (!(upload instanceof File) || upload.size === 0) return { ok: true, file: null };
	if (upload.size > maxReportBytes) return { ok: false, problem: 'too_large' };
	const bytes = new Uint8Array(await upload.arrayBuffer());
	if (!isPdf(bytes)) return { ok: false, problem: 'not_pdf' };
	const base = upload.name.replace(/[\u0000-\u001f\u007f/\\]/g, '').trim() || 'report.pdf';
	const fileName = [...base].slice(0, reportFileNameMaxLength).join('');
	return { ok: true, file: { fileName: /\.pdf$/i.test(fileName) ? fileName : `${fileName}.pdf`, bytes } };
}

export type ReportFile = { evaluationId: number; fileName: string; content: Uint8Array; uploadedAt: number };

/** The PDF of a target's report with its campaign (callers check the campaign and who asks), or undefined. */
export async function reportFileFor(db: Db, targetId: number): Promise<ReportFile | undefined> {
	const row = await db
		.selectFrom('evaluation_report_file as f')
		.innerJoin('evaluation_target as t', 't.id', 'f.target_id')
		.select(['t.evaluation_id', 'f.file_name', 'f.content', 'f.uploaded_at'])
		.where('f.target_id', '=', targetId)
		.executeTakeFirst();
	if (!row) return undefined;
	return { evaluationId: row.evaluation_id, fileName: row.file_name, content: new Uint8Array(row.content), uploadedAt: row.uploaded_at };
}

/** The response for a report PDF: shown in the browser, never sniffed as anything else, never cached by others. */
export function reportResponse(file: ReportFile): Response {
	const ascii = file.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '');
	return new Response(new Uint8Array(file.content), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
			'cache-control': 'private, no-store',
			'x-content-type-options': 'nosniff'
		}
	});
}
