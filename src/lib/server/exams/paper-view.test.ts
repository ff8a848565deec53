import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import type { ResultsPolicy } from '../db/schema';
import { getVersion } from '../bank/questions';
import type { QuestionKey } from '../bank/types';
import { freshDatabase, makeMember, makeTree } from '../testing/db';
import { ensureBank, makeExam } from '../testing/exams';
import { saveAnswers, startAttempt, submitAttempt } from './attempts';
import { createMakeup } from './exams';
import { attemptState, memberHistory, paperForMember, resultForMember, resultVisibility } from './paper-view';
import type { Answer } from './scoring';

// The member's views of their own attempts, on a database built by the real migrations and the starter bank.

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const T0 = Date.UTC(2026, 11, 10, 2, 0);
const closesAt = T0 + day;

let db: Db;
let committee: number;
let unit: number;

beforeEach(async () => {
	db = (await freshDatabase()).db;
	await ensureBank(db);
	unit = (await makeTree(db)).branchA;
	committee = await makeMember(db, { unitId: unit, roles: ['committee'] });
});
afterEach(() => db.destroy());

type ExamOverrides = Omit<Parameters<typeof makeExam>[1], 'actorId'>;

async function exam(overrides: ExamOverrides = {}, seed?: string): Promise<number> {
	const id = await makeExam(db, { actorId: committee, now: T0 - 2 * hour, opensAt: T0 - hour, closesAt, ...overrides });
	// A fixed seed: the shuffles below are the same on every run.
	await db.updateTable('exam').set({ seed: seed ?? `view-${id}` }).where('id', '=', id).execute();
	return id;
}

async function started(examId: number, memberId: number, now = T0): Promise<number> {
	const result = await startAttempt(db, examId, memberId, now);
	if (!result.ok) throw new Error(result.problem);
	return result.attemptId;
}

const itemRows = (attemptId: number) => db.selectFrom('attempt_item').selectAll().where('attempt_id', '=', attemptId).orderBy('position').execute();

function rightAnswer(key: QuestionKey): Answer {
	switch (key.type) {
		case 'single':
			return { type: 'single', choice: key.correct };
		case 'multiple':
			return { type: 'multiple', choices: [...key.correct] };
		case 'true_false':
			return { type: 'true_false', value: key.correct };
		case 'fill':
			return { type: 'fill', blanks: key.blanks.map((alternatives) => alternatives[0] ?? '') };
	}
}

/** Answers the first question right and leaves the rest, then submits. Returns the points of that question. */
async function answerFirstAndSubmit(attemptId: number, memberId: number, at: number): Promise<number> {
	const [first] = await itemRows(attemptId);
	const version = first && (await getVersion(db, first.version_id));
	if (!first || !version) throw new Error('empty paper');
	const saved = await saveAnswers(db, attemptId, memberId, [{ position: first.position, editedAt: at, answer: rightAnswer(version) }], at);
	if (!saved.ok) throw new Error(saved.problem);
	await submitAttempt(db, attemptId, 'member', at + 1);
	return first.points_cents;
}

describe('another member', () => {
	it('sees nothing of an attempt that is not theirs, exactly as of one that does not exist', async () => {
		const id = await exam();
		const [owner, other] = [await makeMember(db, { unitId: unit }), await makeMember(db, { unitId: unit })];
		const attemptId = await started(id, owner);
		await answerFirstAndSubmit(attemptId, owner, T0 + minute);
		for (const view of [paperForMember, attemptState, resultForMember]) {
			expect(await view(db, attemptId, owner, T0 + 2 * minute)).toBeDefined();
			expect(await view(db, attemptId, other, T0 + 2 * minute)).toBeUndefined();
			expect(await view(db, attemptId + 1000, owner, T0 + 2 * minute)).toBeUndefined();
		}
		expect(await memberHistory(db, other, T0 + 2 * minute)).toEqual([]);
	});
});

describe('the paper', () => {
	it('shows each drawn version with its options in the paper’s order and their original indexes, and no key', async () => {
		const id = await exam({}, 'shuffled');
		const m = await makeMember(db, { unitId: unit });
		const attemptId = await started(id, m);
		const paper = await paperForMember(db, attemptId, m, T0 + minute);
		if (!paper) throw new Error('no paper');
		const items = await itemRows(attemptId);
		expect(paper.questions.map((q) => q.position)).toEqual(items.map((i) => i.position));
		let shuffled = 0;
		for (const [k, item] of items.entries()) {
			const question = paper.questions[k];
			const version = await getVersion(db, item.version_id);
			if (!question || !version) throw new Error('missing');
			expect(question).toMatchObject({ type: version.type, stem: version.stem, pointsCents: item.points_cents });
			// Nothing that gives the answer away travels with the paper.
			expect(Object.keys(question).sort()).toEqual(['blanks', 'options', 'pointsCents', 'position', 'stem', 'type'].sort());
			const order = JSON.parse(item.option_order) as number[];
			if (version.type === 'single' || version.type === 'multiple') {
				expect(question.options.map((o) => o.index)).toEqual(order);
				expect(question.options.map((o) => o.text)).toEqual(order.map((i) => version.options[i]));
				expect([...order].sort((a, b) => a - b)).toEqual(version.options.map((_, i) => i));
				if (order.some((o, i) => o !== i)) shuffled++;
				expect(question.blanks).toBe(0);
			} else {
				expect(question.options).toEqual([]);
				expect(question.blanks).toBe(version.type === 'fill' ? version.blanks.length : 0);
			}
		}
		// Otherwise the order checks above could pass with no shuffle at all.
		expect(shuffled).toBeGreaterThan(0);
		expect(paper.exam).toMatchObject({ id, closes_at: closesAt, duration_minutes: 30 });
		expect(paper.serverNow).toBe(T0 + minute);
	});

	it('comes back with the saved answers, flags and the remaining time', async () => {
		const id = await exam();
		const m = await makeMember(db, { unitId: unit });
		const attemptId = await started(id, m);
		const position = (await itemRows(attemptId)).find((i) => i.type === 'single')?.position ?? -1;
		await saveAnswers(db, attemptId, m, [{ position, editedAt: T0 + minute, answer: { choice: 1 }, flagged: true }], T0 + minute);

		const state = await attemptState(db, attemptId, m, T0 + 2 * minute);
		expect(state).toMatchObject({ attemptId, serverNow: T0 + 2 * minute, deadlineAt: T0 + 30 * minute, submitted: false });
		expect(state?.answers.find((a) => a.position === position)).toEqual({ position, answer: { type: 'single', choice: 1 }, editedAt: T0 + minute, flagged: true });
		expect(state?.answers.filter((a) => a.position !== position).every((a) => a.answer === null && a.editedAt === null && !a.flagged)).toBe(true);
		const paper = await paperForMember(db, attemptId, m, T0 + 2 * minute);
		expect(paper?.answers).toEqual(state?.answers);

		// Looked at after the deadline: the attempt is submitted first, so the page shows the truth.
		expect(await attemptState(db, attemptId, m, T0 + 31 * minute)).toMatchObject({ submitted: true });
		const attempt = await db.selectFrom('attempt').selectAll().where('id', '=', attemptId).executeTakeFirstOrThrow();
		expect(attempt).toMatchObject({ submitted_how: 'deadline', submitted_at: T0 + 30 * minute });
	});
});

// ---- results ----------------------------------------------------------------------------------------------

describe('resultVisibility', () => {
	const submitted = { submitted_at: T0, deadline_at: T0 + 30 * minute };
	const open = { submitted_at: null, deadline_at: T0 + 30 * minute };
	const makeupCloses = closesAt + 2 * day;
	const cases: { when: string; policy: ResultsPolicy; attempt: typeof open | typeof submitted; window: number; now: number; score: boolean; review: boolean }[] = [
		// Nothing before submission, whatever the policy.
		{ when: 'open attempt, in the window', policy: 'immediate', attempt: open, window: 0, now: T0 + minute, score: false, review: false },
		{ when: 'open attempt, after the close', policy: 'after_close', attempt: open, window: 0, now: closesAt + day, score: false, review: false },
		{ when: 'open attempt, after the close', policy: 'never', attempt: open, window: 0, now: closesAt + day, score: false, review: false },
		{ when: 'submitted, in the window', policy: 'immediate', attempt: submitted, window: 0, now: T0 + minute, score: true, review: true },
		{ when: 'submitted, just before the close', policy: 'after_close', attempt: submitted, window: 0, now: closesAt - 1, score: false, review: false },
		{ when: 'submitted, at the close', policy: 'after_close', attempt: submitted, window: 0, now: closesAt, score: true, review: true },
		{ when: 'submitted, just before the close', policy: 'never', attempt: submitted, window: 0, now: closesAt - 1, score: false, review: false },
		{ when: 'submitted, at the close', policy: 'never', attempt: submitted, window: 0, now: closesAt, score: true, review: false },
		// A make-up window closing after the test's: its close is what counts.
		{ when: 'make-up, after the test’s close', policy: 'after_close', attempt: submitted, window: makeupCloses, now: closesAt + day, score: false, review: false },
		{ when: 'make-up, at the make-up’s close', policy: 'after_close', attempt: submitted, window: makeupCloses, now: makeupCloses, score: true, review: true },
		{ when: 'make-up, after the test’s close', policy: 'never', attempt: submitted, window: makeupCloses, now: closesAt + day, score: false, review: false },
		{ when: 'make-up, at the make-up’s close', policy: 'never', attempt: submitted, window: makeupCloses, now: makeupCloses, score: true, review: false },
		{ when: 'make-up, in the window', policy: 'immediate', attempt: submitted, window: makeupCloses, now: T0 + minute, score: true, review: true },
		// One closing earlier than the test's does not open results early.
		{ when: 'early make-up close, before the test’s close', policy: 'after_close', attempt: submitted, window: closesAt - hour, now: closesAt - 1, score: false, review: false }
	];
	it.each(cases)('$policy, $when: score $score, review $review', ({ policy, attempt, window, now, score, review }) => {
		expect(resultVisibility({ results_policy: policy, closes_at: closesAt }, attempt, window, now)).toEqual({ scoreVisible: score, reviewVisible: review });
	});
});

describe('resultForMember', () => {
	it.each([
		{ policy: 'immediate' as const, when: 'in the window', at: T0 + hour, score: true, review: true },
		{ policy: 'after_close' as const, when: 'in the window', at: T0 + hour, score: false, review: false },
		{ policy: 'after_close' as const, when: 'at the close', at: closesAt, score: true, review: true },
		{ policy: 'never' as const, when: 'in the window', at: T0 + hour, score: false, review: false },
		{ policy: 'never' as const, when: 'at the close', at: closesAt, score: true, review: false }
	])('$policy, $when: score $score, review $review', async ({ policy, at, score, review }) => {
		const id = await exam({ resultsPolicy: policy });
		const m = await makeMember(db, { unitId: unit });
		const attemptId = await started(id, m);
		const points = await answerFirstAndSubmit(attemptId, m, T0 + minute);
		const result = await resultForMember(db, attemptId, m, at);
		if (!result) throw new Error('no result');
		expect(result).toMatchObject({ scoreVisible: score, reviewVisible: review });
		// The attempt row carries the score; the page shows it only when scoreVisible (checked by the page tests).
		expect(result.attempt.score_cents).toBe(points);

		const stored = await db.selectFrom('attempt_area').selectAll().where('attempt_id', '=', attemptId).orderBy('area_id').execute();
		expect(stored.length).toBeGreaterThan(0);
		expect(result.areas).toEqual(score ? stored.map((a) => ({ areaId: a.area_id, earnedCents: a.earned_cents, possibleCents: a.possible_cents })) : []);

		if (!review) {
			expect(result.items).toEqual([]);
			return;
		}
		const items = await itemRows(attemptId);
		expect(result.items.map((i) => i.position)).toEqual(items.map((i) => i.position));
		for (const [k, item] of items.entries()) {
			const shown = result.items[k];
			const version = await getVersion(db, item.key_version_id);
			if (!shown || !version) throw new Error('missing');
			expect(shown.earnedCents).toBe(item.earned_cents);
			expect(shown.outcome).toBe(item.outcome);
			expect(shown.explanation).toBe(version.explanation);
			expect(shown.source).toEqual({ document: version.source?.document ?? '', section: version.source?.section ?? '', quote: version.source?.quote ?? '' });
			expect(shown.areaIds.sort((a, b) => a - b)).toEqual([...version.areaIds].sort((a, b) => a - b));
			expect(shown.key.type).toBe(version.type);
			expect(shown.answer).toEqual(k === 0 ? rightAnswer(version) : null);
		}
		expect(result.items[0]).toMatchObject({ outcome: 'correct', earnedCents: points });
	});

	it('waits for every make-up window under after_close, so keys cannot reach a make-up taker', async () => {
		const id = await exam({ resultsPolicy: 'after_close' });
		const [late, onTime] = [await makeMember(db, { unitId: unit }), await makeMember(db, { unitId: unit })];
		const regular = await started(id, onTime);
		await answerFirstAndSubmit(regular, onTime, T0 + minute);
		const made = await createMakeup(db, id, { opensAt: closesAt + day, closesAt: closesAt + 2 * day, memberIds: [late] }, committee, closesAt);
		if (!made.ok) throw new Error(made.problem);
		const makeupAttempt = await started(id, late, closesAt + day);
		await answerFirstAndSubmit(makeupAttempt, late, closesAt + day + minute);

		const during = closesAt + day + hour;
		expect(await resultForMember(db, makeupAttempt, late, during)).toMatchObject({ scoreVisible: false, reviewVisible: false, items: [], areas: [] });
		expect(await resultForMember(db, regular, onTime, during)).toMatchObject({ scoreVisible: false, reviewVisible: false });
		expect(await resultForMember(db, makeupAttempt, late, closesAt + 2 * day)).toMatchObject({ scoreVisible: true, reviewVisible: true });
		expect(await resultForMember(db, regular, onTime, closesAt + 2 * day)).toMatchObject({ scoreVisible: true, reviewVisible: true });
	});
});

describe('memberHistory', () => {
	it('lists the member’s tests newest quarter first, with scores only where the policy shows them', async () => {
		const m = await makeMember(db, { unitId: unit });
		const older = await exam({ quarter: '2026Q3', resultsPolicy: 'immediate', title: '三季度' });
		const hidden = await exam({ quarter: '2026Q4', resultsPolicy: 'after_close', title: '四季度' });
		const never = await exam({ quarter: '2026Q4', resultsPolicy: 'never', title: '四季度补充' });
		// One question of 200 answered right: below the pass mark of 600 (makeExam's default), so passed is false.
		const points: Record<number, number> = {};
		for (const id of [older, hidden, never]) {
			const attemptId = await started(id, m);
			points[id] = await answerFirstAndSubmit(attemptId, m, T0 + minute);
		}

		const before = await memberHistory(db, m, T0 + hour);
		expect(before.map((r) => r.exam.id)).toEqual([never, hidden, older]);
		const shown = (rows: typeof before) => Object.fromEntries(rows.map((r) => [r.exam.id, r.attempts.map((a) => [a.scoreVisible, a.scoreCents, a.passed])]));
		expect(shown(before)).toEqual({
			[older]: [[true, points[older], false]],
			[hidden]: [[false, null, null]],
			[never]: [[false, null, null]]
		});
		const after = await memberHistory(db, m, closesAt);
		expect(shown(after)).toEqual({
			[older]: [[true, points[older], false]],
			[hidden]: [[true, points[hidden], false]],
			[never]: [[true, points[never], false]]
		});
		expect(after[0]?.attempts[0]).toMatchObject({ number: 1, submittedAt: T0 + minute /* to the minute: submitted at T0 + minute + 1 ms */, deadlineAt: T0 + 30 * minute, makeup: false });
	});

	it('hides a make-up attempt’s score until the make-up window closes, and submits expired attempts first', async () => {
		const m = await makeMember(db, { unitId: unit });
		const id = await exam({ resultsPolicy: 'after_close' });
		const made = await createMakeup(db, id, { opensAt: closesAt + day, closesAt: closesAt + 2 * day, memberIds: [m] }, committee, closesAt);
		if (!made.ok) throw new Error(made.problem);
		const attemptId = await started(id, m, closesAt + day);
		const during = await memberHistory(db, m, closesAt + day + hour);
		expect(during[0]?.attempts).toEqual([
			{ id: attemptId, number: 1, submittedAt: closesAt + day + 30 * minute, deadlineAt: closesAt + day + 30 * minute, scoreCents: null, maxCents: expect.any(Number), passed: null, scoreVisible: false, makeup: true, paper: false }
		]);
		const after = await memberHistory(db, m, closesAt + 2 * day);
		expect(after[0]?.attempts[0]).toMatchObject({ scoreVisible: true, scoreCents: 0, passed: false, makeup: true });
	});
});
