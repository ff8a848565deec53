import { fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { checked, idParam, integer, readForm } from '$lib/server/form';
import { examPageHeader, publishedExamOr404 } from '$lib/server/exams/published';
import { applyRegrade, listRegrades, previewRegrade, regradeCandidates } from '$lib/server/exams/regrade';
import type { Actions, PageServerLoad } from './$types';

// 更正答案改分 (committee only): the questions whose key was corrected in the bank since this test scored them, a
// preview of what applying the corrected key changes, and the regrades done so far.
export const load: PageServerLoad = async ({ params, url }) => {
	const viewer = requireRole('committee');
	const exam = await publishedExamOr404(params.id);
	const questionId = idParam(url.searchParams.get('question') ?? '');
	const applied = idParam(url.searchParams.get('applied') ?? '');
	const history = await listRegrades(db(), exam.id);
	return {
		header: examPageHeader(exam, viewer),
		candidates: await regradeCandidates(db(), exam.id),
		preview: questionId === null ? null : { questionId, result: await previewRegrade(db(), exam.id, questionId) },
		history,
		applied: applied === null ? null : (history.find((h) => h.id === applied) ?? null)
	};
};

export const actions: Actions = {
	apply: async ({ request, params }) => {
		const viewer = requireRole('committee');
		const exam = await publishedExamOr404(params.id);
		const form = await readForm(request);
		const questionId = integer(form, 'questionId');
		const versionId = integer(form, 'versionId');
		if (questionId === null || versionId === null) return fail(400, { problem: 'not_found' as const });
		// The preview was the confirmation's subject: apply only what the committee looked at.
		if (!checked(form, 'confirm')) return fail(400, { confirmMissing: true, questionId });
		const result = await applyRegrade(db(), exam.id, questionId, viewer.id, Date.now(), versionId);
		if (!result.ok) return fail(400, { problem: result.problem, questionId });
		redirect(303, `/exams/${exam.id}/regrade?applied=${result.regradeId}`);
	}
};
