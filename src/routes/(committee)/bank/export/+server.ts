import { requireRole } from '$lib/server/auth/guard';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db/instance';
import { exportQuestions, type ExportFormat } from '$lib/server/bank/export';
import { questionFilterFromQuery, todayIn } from '$lib/server/bank/filter';
import { fileResponse } from '$lib/server/download';
import type { RequestHandler } from './$types';

/** The bank, filtered as on the bank page, as XLSX (the import template), Moodle XML or GIFT. */
export const GET: RequestHandler = async ({ url }) => {
	requireRole('committee');
	const requested = url.searchParams.get('format');
	const format: ExportFormat = requested === 'moodle' || requested === 'gift' ? requested : 'xlsx';
	const filter = questionFilterFromQuery(url.searchParams, todayIn(readConfig().timeZone));
	const file = await exportQuestions(db(), filter, format);
	const response = fileResponse(file.bytes, file.fileName, file.contentType);
	// Multi-blank fill-in questions have no Moodle/GIFT form; the count is said rather than silently dropped.
	response.headers.set('x-kaoping-not-exported', String(file.left));
	return response;
};
