import { redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db/instance';
import { submitAttempt } from '$lib/server/exams/attempts';
import { isAnswered } from '$lib/server/exams/scoring';
import { ownPaper } from '../attempt';
import type { Actions, PageServerLoad } from './$types';

// Submitting asks for confirmation and lists what is unanswered or flagged. Without JavaScript this page is the
// confirmation; with JavaScript the test page asks in a dialog and posts here.

export const load: PageServerLoad = async ({ params }) => {
	const { paper } = await ownPaper(params.id);
	if (paper.attempt.submitted_at !== null) redirect(303, `/attempts/${paper.attempt.id}/result`);
	return {
		attemptId: paper.attempt.id,
		title: paper.exam.title,
		total: paper.questions.length,
		unanswered: paper.answers.filter((a) => !isAnswered(a.answer)).map((a) => a.position),
		flagged: paper.answers.filter((a) => a.flagged).map((a) => a.position)
	};
};

export const actions: Actions = {
	default: async ({ params }) => {
		const { paper } = await ownPaper(params.id);
		// Submitting twice is harmless: the second finds it submitted and changes nothing.
		await submitAttempt(db(), paper.attempt.id, 'member');
		redirect(303, `/attempts/${paper.attempt.id}/result`);
	}
};
