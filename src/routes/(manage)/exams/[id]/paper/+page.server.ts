import { error, fail, redirect } from '@sveltejs/kit';
import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { integer, readForm } from '$lib/server/form';
import { listPaperAttempts, startPaperAttempt } from '$lib/server/exams/paper-entry';
import { examPageHeader, publishedExamOr404 } from '$lib/server/exams/published';
import { examProgress } from '$lib/server/exams/results';
import { unitInScope } from '$lib/server/org/scope';
import type { Actions, PageServerLoad } from './$types';

// 纸质试卷: choose a member in scope who has not submitted, print their paper, enter its answers later.
export const load: PageServerLoad = async ({ params, url }) => {
	const { member, scope } = await requireManager();
	const exam = await publishedExamOr404(params.id);
	const now = Date.now();
	const progress = await examProgress(db(), exam.id, scope, now);
	if (!progress) error(404, 'not_found');
	const q = (url.searchParams.get('q') ?? '').trim().slice(0, 50);
	const needle = q.toLowerCase();
	return {
		header: examPageHeader(exam, member, now),
		q,
		candidates: progress.notTaken.filter((n) => !needle || n.name.toLowerCase().includes(needle) || n.loginId.toLowerCase().includes(needle)),
		papers: await listPaperAttempts(db(), exam.id, scope)
	};
};

export const actions: Actions = {
	start: async ({ request, params }) => {
		const { scope } = await requireManager();
		const exam = await publishedExamOr404(params.id);
		const memberId = integer(await readForm(request), 'memberId');
		const target = memberId === null ? undefined : await db().selectFrom('member').select(['id', 'unit_id']).where('id', '=', memberId).executeTakeFirst();
		if (!target) return fail(400, { problem: 'not_found' as const, memberId });
		if (!unitInScope(scope, target.unit_id)) error(403, 'forbidden');
		const started = await startPaperAttempt(db(), exam.id, target.id);
		if (!started.ok) return fail(400, { problem: started.problem, memberId: target.id });
		redirect(303, `/exams/${exam.id}/paper/${started.attemptId}`);
	}
};
