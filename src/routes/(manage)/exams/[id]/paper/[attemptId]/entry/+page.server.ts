import { fail, redirect } from '@sveltejs/kit';
import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { readForm, text } from '$lib/server/form';
import { answersFromEntry, entryFromAnswer, enterAnswers, type EntryQuestion, type EntryValue } from '$lib/server/exams/paper-entry';
import { paperOf } from '$lib/server/exams/paper-view';
import { examPageHeader, paperAttemptOr403, publishedExamOr404 } from '$lib/server/exams/published';
import type { Attempt } from '$lib/server/db/schema';
import type { Actions, PageServerLoad } from './$types';

// Entering a paper's answers from its answer sheet, by letter. Submitting scores the attempt like any other.

/** Form field names: `q<n>` for letters and 对/错, `q<n>_<b>` for the blanks of a fill question (b from 1). */
const fieldOf = (position: number, blank?: number) => (blank === undefined ? `q${position}` : `q${position}_${blank}`);

async function entryQuestions(attempt: Attempt) {
	const paper = await paperOf(db(), attempt);
	return {
		paper,
		questions: paper.questions.map((q): EntryQuestion & { optionCount: number } => ({
			position: q.position,
			type: q.type,
			optionOrder: q.options.map((o) => o.index),
			blanks: q.blanks,
			optionCount: q.options.length
		}))
	};
}

export const load: PageServerLoad = async ({ params, url }) => {
	const { member: viewer, scope } = await requireManager();
	const exam = await publishedExamOr404(params.id);
	const { attempt, member } = await paperAttemptOr403(exam, scope, params.attemptId);
	const { paper, questions } = await entryQuestions(attempt);
	const entered =
		attempt.submitted_at === null
			? null
			: {
					at: attempt.submitted_at,
					by: attempt.entered_by === null ? null : ((await db().selectFrom('member').select('name').where('id', '=', attempt.entered_by).executeTakeFirst())?.name ?? null),
					scoreCents: attempt.score_cents ?? 0,
					maxCents: attempt.max_cents,
					passed: attempt.passed === 1,
					answers: questions.map((q) => entryFromAnswer(q, paper.answers.find((a) => a.position === q.position)?.answer ?? null))
				};
	return {
		header: examPageHeader(exam, viewer),
		attemptId: attempt.id,
		member,
		questions: questions.map((q) => ({ position: q.position, type: q.type, optionCount: q.optionCount, blanks: q.blanks })),
		entered,
		justEntered: url.searchParams.has('entered')
	};
};

export const actions: Actions = {
	enter: async ({ request, params }) => {
		const { member: viewer, scope } = await requireManager();
		const exam = await publishedExamOr404(params.id);
		const { attempt } = await paperAttemptOr403(exam, scope, params.attemptId);
		const form = await readForm(request);
		const { questions } = await entryQuestions(attempt);
		const values: Record<string, string> = {};
		const typed = new Map<number, EntryValue>();
		for (const q of questions) {
			if (q.type === 'fill') {
				const blanks = Array.from({ length: q.blanks }, (_, b) => text(form, fieldOf(q.position, b + 1), 1000));
				blanks.forEach((v, b) => (values[fieldOf(q.position, b + 1)] = v));
				typed.set(q.position, { blanks });
			} else {
				const v = text(form, fieldOf(q.position), 100);
				values[fieldOf(q.position)] = v;
				typed.set(q.position, { text: v });
			}
		}
		const { answers, errors } = answersFromEntry(questions, typed);
		if (errors.length > 0) return fail(400, { values, errors, problem: null, position: null });
		const result = await enterAnswers(db(), attempt.id, answers, viewer.id, Date.now());
		if (!result.ok) {
			// 'submitted': someone entered it meanwhile; the page reloads into the entered view.
			if (result.problem === 'submitted') redirect(303, `/exams/${exam.id}/paper/${attempt.id}/entry`);
			return fail(400, { values, errors: [], problem: result.problem, position: result.position ?? null });
		}
		redirect(303, `/exams/${exam.id}/paper/${attempt.id}/entry?entered`);
	}
};
