import { error } from '@sveltejs/kit';
import { requireManager } from '$lib/server/auth/guard';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db/instance';
import { fileResponse, xlsxType } from '$lib/server/download';
import { publishedExamOr404 } from '$lib/server/exams/published';
import { examProgress } from '$lib/server/exams/results';
import { examFileName, notTakenXlsx } from '$lib/server/exams/results-file';
import type { RequestHandler } from './$types';

/** 未参考名单: the members in the manager's scope who have not submitted, to remind them. */
export const GET: RequestHandler = async ({ params }) => {
	const { scope } = await requireManager();
	const exam = await publishedExamOr404(params.id);
	const now = Date.now();
	const progress = await examProgress(db(), exam.id, scope, now);
	if (!progress) error(404, 'not_found');
	const bytes = await notTakenXlsx(progress, { timeZone: readConfig().timeZone, now });
	return fileResponse(bytes, examFileName(exam, '未参考名单'), xlsxType);
};
