import { error } from '@sveltejs/kit';
import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { examPageHeader, publishedExamOr404 } from '$lib/server/exams/published';
import { examProgress } from '$lib/server/exams/results';
import type { PageServerLoad } from './$types';

// 参考情况: who has started and submitted, per unit, and who has not. A refresh is a plain reload.
export const load: PageServerLoad = async ({ params }) => {
	const { member, scope } = await requireManager();
	const exam = await publishedExamOr404(params.id);
	const now = Date.now();
	const progress = await examProgress(db(), exam.id, scope, now);
	if (!progress) error(404, 'not_found');
	return { header: examPageHeader(exam, member, now), progress, now };
};
