import { redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db/instance';
import { readConfig } from '$lib/server/config';
import { formatDateTime } from '$lib/dates';
import { saveAnswers } from '$lib/server/exams/attempts';
import { isAnswered, parseAnswer } from '$lib/server/exams/scoring';
import type { QuestionType } from '$lib/types';
import { ownPaper } from './attempt';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url }) => {
	const { paper } = await ownPaper(params.id);
	if (paper.attempt.submitted_at !== null) redirect(303, `/attempts/${paper.attempt.id}/result`);
	const count = paper.questions.length;
	// Without JavaScript the test is one question per page; `q` is that page. The first unanswered is the default.
	const firstOpen = paper.answers.find((a) => !isAnswered(a.answer))?.position ?? 1;
	const asked = Number(url.searchParams.get('q'));
	const q = Number.isInteger(asked) && asked >= 1 && asked <= count ? asked : firstOpen;
	return {
		attemptId: paper.attempt.id,
		title: paper.exam.title,
		questions: paper.questions,
		answers: paper.answers,
		serverNow: paper.serverNow,
		deadlineAt: paper.attempt.deadline_at,
		// Written here, in the page's language: the date code then stays off the test page, whose JavaScript has a
		// budget (a changed language reloads the page, so the text is never stale).
		deadlineText: formatDateTime(paper.attempt.deadline_at, readConfig().timeZone),
		q,
		saved: url.searchParams.has('saved'),
		problem: url.searchParams.get('problem')
	};
};

/** The answer a plain form carries, in the shape saveAnswers checks (original option indexes). */
function answerFromForm(type: QuestionType, form: FormData): unknown {
	switch (type) {
		case 'single': {
			const choice = form.get('choice');
			return { choice: choice === null || choice === '' ? null : Number(choice) };
		}
		case 'multiple':
			return { choices: form.getAll('choices').map(Number) };
		case 'true_false': {
			const value = form.get('value');
			return { value: value === 'true' ? true : value === 'false' ? false : null };
		}
		case 'fill':
			return { blanks: form.getAll('blank').map(String) };
	}
}

export const actions: Actions = {
	/** The no-JavaScript path: save this question, then go where the member asked. */
	save: async ({ params, request }) => {
		const { member, paper } = await ownPaper(params.id);
		const form = await request.formData();
		const position = Number(form.get('position'));
		const question = paper.questions.find((q) => q.position === position);
		const base = `/attempts/${paper.attempt.id}`;
		if (!question) redirect(303, `${base}?problem=invalid`);
		// An answer the member did not change is not saved again: another device may have changed it since this page
		// was rendered, and re-sending what was shown, stamped now, would overwrite that newer answer.
		const given = parseAnswer(question.type, answerFromForm(question.type, form));
		if (given === null) redirect(303, `${base}?q=${position}&problem=invalid`);
		let shown: unknown = null;
		try {
			shown = JSON.parse(String(form.get('shown') ?? 'null'));
		} catch {
			shown = undefined;
		}
		const changed = JSON.stringify(given) !== JSON.stringify(shown === null ? null : parseAnswer(question.type, shown));
		const result = await saveAnswers(db(), paper.attempt.id, member.id, [
			{ position, editedAt: Date.now(), ...(changed ? { answer: given } : {}), flagged: form.get('flagged') === 'on' }
		]);
		if (!result.ok) {
			if (result.problem === 'deadline' || result.problem === 'submitted') redirect(303, `${base}/result?problem=${result.problem}`);
			redirect(303, `${base}?q=${position}&problem=${result.problem}`);
		}
		const go = String(form.get('go') ?? '');
		if (go === 'submit') redirect(303, `${base}/submit`);
		const target = go === 'prev' ? position - 1 : go === 'next' ? position + 1 : Number(go);
		const q = Number.isInteger(target) && target >= 1 && target <= paper.questions.length ? target : position;
		redirect(303, `${base}?q=${q}&saved`);
	}
};
