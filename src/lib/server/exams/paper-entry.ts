import type { Db } from '../db';
import type { Attempt } from '../db/schema';
import type { QuestionType } from '../bank/types';
import { unitInScope, type Scope } from '../org/scope';
import { unitPaths } from '../org/units';
import { startAttempt, submitAttempt, type StartProblem } from './attempts';
import { maxBlankLength, parseAnswer, type Answer } from './scoring';

// Paper tests (纸质试卷): for members who must take the test offline. A manager prints the member's paper (drawn
// like any other, from the test's seed and the member), the member answers on paper, and the manager enters the
// answers by letter. The result then counts like any other.
//
// A paper attempt's answers come only from the manager: saveAnswers refuses mode 'paper', so nothing the member's
// browser sends can touch it. Its deadline is the window's close, and the sweeper leaves it alone (it is submitted
// when its answers are entered). Entry is allowed after the window closes: papers are collected at the end and
// entered afterwards.

export type PaperStartProblem = StartProblem | 'online_in_progress';
export type PaperStartResult = { ok: true; attemptId: number; reprint: boolean } | { ok: false; problem: PaperStartProblem };

async function openPaperAttempt(db: Db, examId: number, memberId: number): Promise<number | undefined> {
	const row = await db
		.selectFrom('attempt')
		.select('id')
		.where('exam_id', '=', examId)
		.where('member_id', '=', memberId)
		.where('mode', '=', 'paper')
		.where('submitted_at', 'is', null)
		.executeTakeFirst();
	return row?.id;
}

/**
 * Draws the member's paper as a paper attempt, or finds the one already printed and not yet entered (printing
 * twice gives the same paper, so a lost sheet can be printed again). Eligibility is the member's own: in the
 * audience (or a make-up), within the window, attempts left.
 */
export async function startPaperAttempt(db: Db, examId: number, memberId: number, now = Date.now()): Promise<PaperStartResult> {
	const existing = await openPaperAttempt(db, examId, memberId);
	if (existing !== undefined) return { ok: true, attemptId: existing, reprint: true };
	const started = await startAttempt(db, examId, memberId, now, 'paper');
	if (started.ok && started.resumed) return { ok: false, problem: 'online_in_progress' };
	if (started.ok) return { ok: true, attemptId: started.attemptId, reprint: false };
	// Another manager printed it a moment ago: that paper is this one.
	const printed = started.problem === 'used_up' ? await openPaperAttempt(db, examId, memberId) : undefined;
	return printed !== undefined ? { ok: true, attemptId: printed, reprint: true } : started;
}

export type PaperAttempt = { attempt: Attempt; member: { id: number; name: string; loginId: string; unitId: number; unitPath: string } };

/**
 * A paper attempt of this test, if the manager's scope reaches its member. 'not_found' for a missing attempt, one
 * of another test or an online one; 'forbidden' for a member outside the scope.
 */
export async function paperAttemptInScope(db: Db, scope: Scope, examId: number, attemptId: number): Promise<PaperAttempt | 'not_found' | 'forbidden'> {
	const attempt = await db.selectFrom('attempt').selectAll().where('id', '=', attemptId).executeTakeFirst();
	if (!attempt || attempt.exam_id !== examId || attempt.mode !== 'paper') return 'not_found';
	const member = await db.selectFrom('member').select(['id', 'name', 'login_id', 'unit_id']).where('id', '=', attempt.member_id).executeTakeFirstOrThrow();
	if (!unitInScope(scope, member.unit_id)) return 'forbidden';
	const paths = unitPaths(await db.selectFrom('unit').select(['id', 'name', 'parent_id']).execute());
	return { attempt, member: { id: member.id, name: member.name, loginId: member.login_id, unitId: member.unit_id, unitPath: paths.get(member.unit_id) ?? '' } };
}

export type PaperAttemptRow = {
	attemptId: number;
	memberId: number;
	name: string;
	loginId: string;
	unitPath: string;
	printedAt: number;
	enteredAt: number | null;
	scoreCents: number | null;
	maxCents: number;
	passed: boolean | null;
};

/** The test's paper attempts in the manager's scope: printed and waiting for entry first, then entered ones. */
export async function listPaperAttempts(db: Db, examId: number, scope: Scope): Promise<PaperAttemptRow[]> {
	if (scope.kind === 'none') return [];
	let query = db
		.selectFrom('attempt')
		.innerJoin('member', 'member.id', 'attempt.member_id')
		.select(['attempt.id', 'attempt.member_id', 'attempt.started_at', 'attempt.submitted_at', 'attempt.score_cents', 'attempt.max_cents', 'attempt.passed', 'member.name', 'member.login_id', 'member.unit_id'])
		.where('attempt.exam_id', '=', examId)
		.where('attempt.mode', '=', 'paper');
	if (scope.kind === 'units') query = query.where('member.unit_id', 'in', [...scope.unitIds]);
	const rows = await query.execute();
	const paths = unitPaths(await db.selectFrom('unit').select(['id', 'name', 'parent_id']).execute());
	return rows
		.map((r) => ({
			attemptId: r.id,
			memberId: r.member_id,
			name: r.name,
			loginId: r.login_id,
			unitPath: paths.get(r.unit_id) ?? '',
			printedAt: r.started_at,
			enteredAt: r.submitted_at,
			scoreCents: r.score_cents,
			maxCents: r.max_cents,
			passed: r.passed === null ? null : r.passed === 1
		}))
		.sort((a, b) => Number(a.enteredAt !== null) - Number(b.enteredAt !== null) || b.printedAt - a.printedAt || a.attemptId - b.attemptId);
}

// ---- entering the answers --------------------------------------------------------------------------------

export type EntryProblem = 'not_found' | 'not_paper' | 'submitted' | 'invalid';
export type EntryResult = { ok: true; scoreCents: number; maxCents: number; passed: boolean } | { ok: false; problem: EntryProblem; position?: number };

/**
 * Stores the answers of a paper attempt and submits it (submitted_how 'entry', entered_by the manager), all in
 * one transaction: either every answer is stored and the attempt is scored, or nothing changes. `answers` use
 * original option indexes, like the member's own saves, and are checked with parseAnswer; a question left out is
 * unanswered.
 */
export async function enterAnswers(db: Db, attemptId: number, answers: { position: number; answer: unknown }[], actorId: number, now = Date.now()): Promise<EntryResult> {
	return db.transaction().execute(async (trx): Promise<EntryResult> => {
		const attempt = await trx.selectFrom('attempt').select(['id', 'mode', 'submitted_at', 'max_cents']).where('id', '=', attemptId).executeTakeFirst();
		if (!attempt) return { ok: false, problem: 'not_found' };
		if (attempt.mode !== 'paper') return { ok: false, problem: 'not_paper' };
		if (attempt.submitted_at !== null) return { ok: false, problem: 'submitted' };
		const items = await trx.selectFrom('attempt_item').select(['position', 'type']).where('attempt_id', '=', attemptId).execute();
		const typeAt = new Map(items.map((i) => [i.position, i.type]));
		const given = new Map<number, Answer | null>();
		for (const a of answers) {
			const type = typeAt.get(a.position);
			if (!type || given.has(a.position)) return { ok: false, problem: 'invalid', position: a.position };
			const parsed = a.answer === null ? null : parseAnswer(type, a.answer);
			if (a.answer !== null && parsed === null) return { ok: false, problem: 'invalid', position: a.position };
			given.set(a.position, parsed);
		}
		for (const item of items) {
			const answer = given.get(item.position) ?? null;
			await trx
				.updateTable('attempt_item')
				.set({ answer: answer === null ? null : JSON.stringify(answer), edited_at: now })
				.where('attempt_id', '=', attemptId)
				.where('position', '=', item.position)
				.execute();
		}
		await submitAttempt(trx, attemptId, 'entry', now, actorId);
		const scored = await trx.selectFrom('attempt').select(['score_cents', 'passed']).where('id', '=', attemptId).executeTakeFirstOrThrow();
		return { ok: true, scoreCents: scored.score_cents ?? 0, maxCents: attempt.max_cents, passed: scored.passed === 1 };
	});
}

// ---- answers typed as letters ----------------------------------------------------------------------------

/** A question as the paper shows it: `optionOrder[k]` is the original index of the option printed k-th (A, B, …). */
export type EntryQuestion = { position: number; type: QuestionType; optionOrder: number[]; blanks: number };

/** What the manager typed for one question: letters (单选/多选), 对/错 (判断) or one text per blank (填空). */
export type EntryValue = { text?: string; blanks?: string[] };

export type EntryErrorProblem = 'letters' | 'one_letter' | 'repeated' | 'true_false' | 'blank_too_long';
export type EntryError = { position: number; problem: EntryErrorProblem; blank?: number };

export const entryLetters = 'ABCDEFGH';

const trueWords = new Set(['对', '√', '✓', 'T', 'TRUE', '正确', '是', 'Y']);
const falseWords = new Set(['错', '×', '✗', 'X', 'F', 'FALSE', '错误', '否', 'N']);

/**
 * Turns what was typed from a paper into answers with original option indexes. Letters may be typed in either
 * case, full width or half, with or without separators ("ACD", "a c d", "A、C、D"). An empty field is an
 * unanswered question. Every problem is reported with its question, so the form can name them all at once.
 */
export function answersFromEntry(questions: EntryQuestion[], values: Map<number, EntryValue>): { answers: { position: number; answer: Answer | null }[]; errors: EntryError[] } {
	const answers: { position: number; answer: Answer | null }[] = [];
	const errors: EntryError[] = [];
	for (const q of questions) {
		const value = values.get(q.position) ?? {};
		const fail = (problem: EntryErrorProblem, blank?: number) => errors.push(blank === undefined ? { position: q.position, problem } : { position: q.position, problem, blank });
		switch (q.type) {
			case 'single':
			case 'multiple': {
				const typed = (value.text ?? '').normalize('NFKC').toUpperCase().replace(/[\s,，、;；/.。]+/g, '');
				if (typed === '') {
					answers.push({ position: q.position, answer: null });
					break;
				}
				const allowed = entryLetters.slice(0, q.optionOrder.length);
				const chars = [...typed];
				if (!chars.every((c) => allowed.includes(c))) fail('letters');
				else if (q.type === 'single' && chars.length > 1) fail('one_letter');
				else if (new Set(chars).size !== chars.length) fail('repeated');
				else {
					const indexes = chars.map((c) => q.optionOrder[allowed.indexOf(c)] as number);
					answers.push({
						position: q.position,
						answer: q.type === 'single' ? { type: 'single', choice: indexes[0] as number } : { type: 'multiple', choices: indexes.sort((a, b) => a - b) }
					});
				}
				break;
			}
			case 'true_false': {
				const typed = (value.text ?? '').normalize('NFKC').trim().toUpperCase();
				if (typed === '') answers.push({ position: q.position, answer: null });
				else if (trueWords.has(typed)) answers.push({ position: q.position, answer: { type: 'true_false', value: true } });
				else if (falseWords.has(typed)) answers.push({ position: q.position, answer: { type: 'true_false', value: false } });
				else fail('true_false');
				break;
			}
			case 'fill': {
				const blanks = Array.from({ length: q.blanks }, (_, i) => (value.blanks?.[i] ?? '').trim());
				const long = blanks.findIndex((b) => [...b].length > maxBlankLength);
				if (long >= 0) fail('blank_too_long', long + 1);
				else answers.push({ position: q.position, answer: blanks.every((b) => b === '') ? null : { type: 'fill', blanks } });
				break;
			}
		}
	}
	return { answers, errors };
}

/** The reverse, for showing entered answers as they were on the paper: letters, 对/错 or the blanks' texts. */
export function entryFromAnswer(q: EntryQuestion, answer: Answer | null): EntryValue {
	const letterOf = (index: number) => entryLetters[q.optionOrder.indexOf(index)] ?? '?';
	if (answer === null) return q.type === 'fill' ? { blanks: Array.from({ length: q.blanks }, () => '') } : { text: '' };
	switch (answer.type) {
		case 'single':
			return { text: answer.choice === null ? '' : letterOf(answer.choice) };
		case 'multiple':
			// In the paper's letter order, as the member would have circled them.
			return { text: answer.choices.map(letterOf).sort().join('') };
		case 'true_false':
			return { text: answer.value === null ? '' : answer.value ? '对' : '错' };
		case 'fill':
			return { blanks: Array.from({ length: q.blanks }, (_, i) => answer.blanks[i] ?? '') };
	}
}
