import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { publishedExamOr404 } from '$lib/server/exams/published';
import { settleExpired } from '$lib/server/analytics/counted';
import { itemAnalysis } from '$lib/server/analytics/items';

/** The committee's item analysis of a published test (page and export alike); a draft or unknown test is 404. Asks for the committee itself too, so no caller can forget. */
export async function loadItemAnalysis(examIdParam: string) {
	requireRole('committee');
	const exam = await publishedExamOr404(examIdParam);
	await settleExpired(db());
	const analysis = await itemAnalysis(db(), exam.id);
	if (!analysis) error(404, 'not_found');
	return analysis;
}
