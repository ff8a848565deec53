import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import type { Role } from '../db/schema';
import { coverage, getVersion, reviseQuestion } from '../bank/questions';
import type { QuestionKey } from '../bank/types';
import { freshDatabase, makeMember, makeTree } from '../testing/db';
import { ensureBank, makeExam, sampleBlueprint } from '../testing/exams';
import { eligibility, maxSavesPerRequest, saveAnswers, startAttempt, submitAttempt, submitExpired, type Save } from './attempts';
import { candidatePool, createMakeup, type Audience } from './exams';
import { generatePaper, paperAlgorithmVersion, type BlueprintRow } from './papers';
import { paperForMember } from './paper-view';
import type { Answer } from './scoring';

// Attempts against a database built by the real migrations and the starter bank. Every call passes `now`, so the
// windows and deadlines below are exact; T0 is a weekday morning in 2026Q4.

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const T0 = Date.UTC(2026, 11, 10, 2, 0);

let db: Db;
let committee: number;
let tree: Awaited<ReturnType<typeof makeTree>>;

beforeEach(async () => {
	db = (await freshDatabase()).db;
	await ensureBank(db);
	tree = await makeTree(db);
	committee = await makeMember(db, { unitId: tree.root, name: '组织委员', roles: ['committee'] });
});
afterEach(() => db.destroy());

type ExamOverrides = Omit<Parameters<typeof makeExam>[1], 'actorId'> & { seed?: string };

/** A published test open from T0 − 1 h to T0 + 1 day, 30 minutes, everyone, unless overridden. */
async function exam(overrides: ExamOverrides = {}): Promise<number> {
	const { seed, ...rest } = overrides;
	const id = await makeExam(db, { actorId: committee, now: T0 - 2 * hour, opensAt: T0 - hour, closesAt: T0 + day, ...rest });
	// A fixed seed makes the drawn papers the same on every run, so a test cannot pass or fail by luck.
	await db.updateTable('exam').set({ seed: seed ?? `seed-${id}` }).where('id', '=', id).execute();
	return id;
}

async function member(unitId = tree.branchA, roles: Role[] = [], status: 'active' | 'disabled' = 'active'): Promise<number> {
	return makeMember(db, { unitId, roles, status });
}

async function started(examId: number, memberId: number, now = T0): Promise<number> {
	const result = await startAttempt(db, examId, memberId, now);
	if (!result.ok) throw new Error(`expected to start, got ${result.problem}`);
	return result.attemptId;
}

const attemptRow = (id: number) => db.selectFrom('attempt').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const itemRows = (attemptId: number) => db.selectFrom('attempt_item').selectAll().where('attempt_id', '=', attemptId).orderBy('position').execute();
const examRow = (id: number) => db.selectFrom('exam').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function blueprintOf(examId: number): Promise<BlueprintRow[]> {
	const rows = await db.selectFrom('exam_blueprint_row').selectAll().where('exam_id', '=', examId).orderBy('position').execute();
	return rows.map((r) => ({ areaId: r.area_id, type: r.type, difficulty: r.difficulty, count: r.count, points: r.points_cents }));
}

/** The stored paper in generatePaper's terms (without `row`, which is not stored). */
async function storedPaper(attemptId: number) {
	return (await itemRows(attemptId)).map((i) => ({
		position: i.position,
		questionId: i.question_id,
		versionId: i.version_id,
		points: i.points_cents,
		optionOrder: JSON.parse(i.option_order) as number[]
	}));
}

/** generatePaper's paper for the same inputs, in the stored shape. */
async function rebuilt(examId: number, memberId: number, seed: string, recentlySeen: number[]) {
	const paper = generatePaper({ seed, memberId, blueprint: await blueprintOf(examId), candidates: await candidatePool(db), recentlySeen });
	if (!paper.ok) throw new Error('rebuild: blueprint unfillable');
	return paper.items.map(({ position, questionId, versionId, points, optionOrder }) => ({ position, questionId, versionId, points, optionOrder }));
}

/** The smallest well-stocked cell of the bank for `type`, so that "seen" questions matter. */
async function smallCell(type: QuestionKey['type'], atLeast: number) {
	const cells = (await coverage(db)).filter((c) => c.type === type && c.count >= atLeast).sort((a, b) => a.count - b.count || a.areaId - b.areaId);
	const cell = cells[0];
	if (!cell) throw new Error(`no ${type} cell with ${atLeast} questions`);
	return cell;
}

// ---- eligibility and starting ----------------------------------------------------------------------------

describe('starting an attempt', () => {
	it('is refused for a test that is not published', async () => {
		const id = await exam({ publish: false });
		const m = await member();
		expect(await startAttempt(db, id, m, T0)).toEqual({ ok: false, problem: 'not_found' });
		expect(await startAttempt(db, 999_999, m, T0)).toEqual({ ok: false, problem: 'not_found' });
	});

	it.each([
		{ when: 'just before the window opens', at: T0 - hour - 1, expected: 'not_open' },
		{ when: 'as the window opens', at: T0 - hour, expected: 'start' },
		{ when: 'just before the window closes', at: T0 + day - 1, expected: 'start' },
		{ when: 'as the window closes', at: T0 + day, expected: 'closed' },
		{ when: 'a day after the close', at: T0 + 2 * day, expected: 'closed' }
	])('$when: $expected', async ({ at, expected }) => {
		const id = await exam();
		const m = await member();
		const result = await startAttempt(db, id, m, at);
		if (expected === 'start') expect(result).toMatchObject({ ok: true, resumed: false });
		else expect(result).toEqual({ ok: false, problem: expected });
	});

	describe('the audience', () => {
		// Members by place in the tree: 测试党委 → 测试总支 → 一支部/二支部; 机关支部 under the 党委.
		type Who = 'inA' | 'inB' | 'inGeneral' | 'inC' | 'atRoot' | 'secretaryA' | 'secretaryC' | 'disabledA';
		const cases: { name: string; audience: (ids: Record<Who, number>) => Audience; allowed: Who[] }[] = [
			{ name: 'nobody listed: every active member', audience: () => ({ unitIds: [], roles: [], include: [], exclude: [] }), allowed: ['inA', 'inB', 'inGeneral', 'inC', 'atRoot', 'secretaryA', 'secretaryC'] },
			{ name: 'a unit takes its whole subtree', audience: () => ({ unitIds: [tree.general], roles: [], include: [], exclude: [] }), allowed: ['inA', 'inB', 'inGeneral', 'secretaryA'] },
			{ name: 'a leaf unit only itself', audience: () => ({ unitIds: [tree.branchC], roles: [], include: [], exclude: [] }), allowed: ['inC', 'secretaryC'] },
			{ name: 'a role anywhere', audience: () => ({ unitIds: [], roles: ['secretary'], include: [], exclude: [] }), allowed: ['secretaryA', 'secretaryC'] },
			{ name: 'unit and role both required', audience: () => ({ unitIds: [tree.general], roles: ['secretary'], include: [], exclude: [] }), allowed: ['secretaryA'] },
			{ name: 'a member added by name', audience: (ids) => ({ unitIds: [tree.branchA], roles: [], include: [ids.inC], exclude: [] }), allowed: ['inA', 'secretaryA', 'inC'] },
			{ name: 'a member excluded by name', audience: (ids) => ({ unitIds: [tree.general], roles: [], include: [], exclude: [ids.inA] }), allowed: ['inB', 'inGeneral', 'secretaryA'] },
			{ name: 'excluded beats included', audience: (ids) => ({ unitIds: [tree.branchB], roles: [], include: [ids.inC], exclude: [ids.inC] }), allowed: ['inB'] },
			{ name: 'a disabled member added by name is still out', audience: (ids) => ({ unitIds: [tree.branchB], roles: [], include: [ids.disabledA], exclude: [] }), allowed: ['inB'] }
		];
		it.each(cases)('$name', async ({ audience, allowed }) => {
			const ids: Record<Who, number> = {
				inA: await member(tree.branchA),
				inB: await member(tree.branchB),
				inGeneral: await member(tree.general),
				inC: await member(tree.branchC),
				atRoot: await member(tree.root),
				secretaryA: await member(tree.branchA, ['secretary']),
				secretaryC: await member(tree.branchC, ['secretary']),
				disabledA: await member(tree.branchA, [], 'disabled')
			};
			const id = await exam({ audience: audience(ids) });
			for (const [who, memberId] of Object.entries(ids) as [Who, number][]) {
				const result = await startAttempt(db, id, memberId, T0);
				expect([who, result.ok ? 'ok' : result.problem]).toEqual([who, allowed.includes(who) ? 'ok' : 'not_in_audience']);
			}
		});
	});

	it('resumes the open attempt instead of starting another', async () => {
		const id = await exam();
		const m = await member();
		const first = await startAttempt(db, id, m, T0);
		const again = await startAttempt(db, id, m, T0 + 5 * minute);
		expect(first).toMatchObject({ ok: true, resumed: false });
		expect(again).toEqual({ ok: true, attemptId: first.ok ? first.attemptId : -1, resumed: true });
		expect(await db.selectFrom('attempt').select('id').where('member_id', '=', m).execute()).toHaveLength(1);
	});

	it('gives one attempt to two starts at once', async () => {
		const id = await exam();
		const m = await member();
		const results = await Promise.all([startAttempt(db, id, m, T0), startAttempt(db, id, m, T0)]);
		const ids = results.map((r) => (r.ok ? r.attemptId : r.problem));
		expect(ids[0]).toBe(ids[1]);
		expect(results.map((r) => r.ok && r.resumed).sort()).toEqual([false, true]);
		expect(await db.selectFrom('attempt').select('id').where('member_id', '=', m).execute()).toHaveLength(1);
		const questions = (await blueprintOf(id)).reduce((n, r) => n + r.count, 0);
		expect(await db.selectFrom('attempt_item').select('position').where('attempt_id', '=', ids[0] as number).execute()).toHaveLength(questions);
	});

	it.each([
		{ allowed: 1, expectSecond: 'used_up' },
		{ allowed: 2, expectSecond: 'ok' }
	])('counts attempts used ($allowed allowed)', async ({ allowed, expectSecond }) => {
		const id = await exam({ attemptsAllowed: allowed });
		const m = await member();
		const first = await started(id, m);
		await submitAttempt(db, first, 'member', T0 + minute);
		const second = await startAttempt(db, id, m, T0 + 2 * minute);
		expect(second.ok ? 'ok' : second.problem).toBe(expectSecond);
		if (second.ok) {
			expect((await attemptRow(second.attemptId)).number).toBe(2);
			await submitAttempt(db, second.attemptId, 'member', T0 + 3 * minute);
			expect(await startAttempt(db, id, m, T0 + 4 * minute)).toEqual({ ok: false, problem: 'used_up' });
		}
	});

	it('submits an attempt whose time ran out before deciding, so it counts as used', async () => {
		const id = await exam();
		const m = await member();
		const first = await started(id, m);
		expect(await startAttempt(db, id, m, T0 + 31 * minute)).toEqual({ ok: false, problem: 'used_up' });
		expect(await attemptRow(first)).toMatchObject({ submitted_how: 'deadline', submitted_at: T0 + 30 * minute });
	});

	it.each([
		{ name: 'start + duration when the window is far', startAt: T0, deadline: T0 + 30 * minute },
		{ name: 'the window close when it comes first', startAt: T0 + day - 10 * minute, deadline: T0 + day },
		{ name: 'equal when both coincide', startAt: T0 + day - 30 * minute, deadline: T0 + day }
	])('fixes the deadline at $name', async ({ startAt, deadline }) => {
		const id = await exam({ durationMinutes: 30 });
		const attempt = await attemptRow(await started(id, await member(), startAt));
		expect(attempt).toMatchObject({ started_at: startAt, deadline_at: deadline, mode: 'online', submitted_at: null, number: 1, makeup_id: null });
	});

	it('gives a make-up member one extra attempt, only inside the make-up window', async () => {
		const id = await exam();
		const [m, other] = [await member(), await member()];
		await submitAttempt(db, await started(id, m), 'member', T0 + minute);
		const made = await createMakeup(db, id, { opensAt: T0 + 2 * day, closesAt: T0 + 3 * day, memberIds: [m] }, committee, T0 + day + hour);
		if (!made.ok) throw new Error(made.problem);

		expect(await startAttempt(db, id, m, T0 + 2 * minute)).toEqual({ ok: false, problem: 'used_up' });
		expect(await startAttempt(db, id, m, T0 + 2 * day - 1)).toEqual({ ok: false, problem: 'closed' });
		expect(await startAttempt(db, id, m, T0 + 3 * day)).toEqual({ ok: false, problem: 'closed' });
		expect(await startAttempt(db, id, other, T0 + 2 * day + hour)).toEqual({ ok: false, problem: 'closed' });

		// Started ten minutes before the make-up closes: the make-up's close is the deadline, not the test's.
		const makeupStart = T0 + 3 * day - 10 * minute;
		const attemptId = await started(id, m, makeupStart);
		expect(await attemptRow(attemptId)).toMatchObject({ makeup_id: made.id, number: 2, deadline_at: T0 + 3 * day });
		expect(await eligibility(db, await examRow(id), m, makeupStart + minute)).toEqual({ kind: 'resume', attemptId });
		await submitAttempt(db, attemptId, 'member', makeupStart + 2 * minute);
		expect(await startAttempt(db, id, m, makeupStart + 3 * minute)).toEqual({ ok: false, problem: 'closed' });
	});

	it('draws a second attempt a different paper, still rebuildable from the seed and the number', async () => {
		const id = await exam({ attemptsAllowed: 2, seed: 'second-attempt' });
		const m = await member();
		const first = await started(id, m);
		await submitAttempt(db, first, 'member', T0 + minute);
		const second = await started(id, m, T0 + 2 * minute);
		const [a, b] = [await storedPaper(first), await storedPaper(second)];
		const seenFirst = a.map((i) => i.questionId);
		// The first paper is recent for the second, and the starter bank has plenty: no question repeats.
		expect(b.filter((i) => seenFirst.includes(i.questionId))).toEqual([]);
		expect(b).toEqual(await rebuilt(id, m, 'second-attempt#2', seenFirst));
		expect(a).toEqual(await rebuilt(id, m, 'second-attempt', []));
	});
});

// ---- papers ------------------------------------------------------------------------------------------------

describe('the stored paper', () => {
	it('meets the blueprint exactly and stores the versions drawn', async () => {
		// Rows of distinct type × difficulty, so each question fits exactly one row and counts are unambiguous.
		const cells = [await smallCell('single', 6), await smallCell('multiple', 4), await smallCell('true_false', 5), await smallCell('fill', 3)];
		const blueprint: BlueprintRow[] = cells.map((c, i) => ({ areaId: c.areaId, type: c.type, difficulty: c.difficulty, count: Math.min(c.count, 2 + i), points: 100 * (i + 1) + 50 }));
		const id = await exam({ blueprint, passCents: 100 });
		const attemptId = await started(id, await member());
		const items = await itemRows(attemptId);
		const perRow = blueprint.map(() => 0);
		for (const item of items) {
			const version = await getVersion(db, item.version_id);
			const current = await db.selectFrom('question').select('current_version_id').where('id', '=', item.question_id).executeTakeFirstOrThrow();
			expect(version?.questionId).toBe(item.question_id);
			expect(item.version_id).toBe(current.current_version_id);
			expect(item.key_version_id).toBe(item.version_id);
			expect(item.type).toBe(version?.type);
			const rows = blueprint.flatMap((r, i) => (r.type === version?.type && r.difficulty === version.difficulty && version.areaIds.includes(r.areaId) ? [i] : []));
			expect(rows).toHaveLength(1);
			const row = rows[0] as number;
			perRow[row] = (perRow[row] ?? 0) + 1;
			expect(item.points_cents).toBe(blueprint[row]?.points);
			expect(item.answer).toBeNull();
		}
		expect(perRow).toEqual(blueprint.map((r) => r.count));
		expect(new Set(items.map((i) => i.question_id)).size).toBe(items.length);
		expect(items.map((i) => i.position)).toEqual(items.map((_, k) => k + 1));
		const attempt = await attemptRow(attemptId);
		expect(attempt.max_cents).toBe(blueprint.reduce((n, r) => n + r.count * r.points, 0));
		expect(attempt.paper_algorithm).toBe(paperAlgorithmVersion);
	});

	it('is what generatePaper rebuilds from the seed, the member, the pool and the recently seen list', async () => {
		const id = await exam({ seed: 'audit-me' });
		const [m1, m2] = [await member(), await member()];
		const p1 = await started(id, m1);
		const p2 = await started(id, m2);
		expect(await storedPaper(p1)).toEqual(await rebuilt(id, m1, 'audit-me', []));
		expect(await storedPaper(p2)).toEqual(await rebuilt(id, m2, 'audit-me', []));
		// Another member, another paper: the member is part of the seed.
		expect(await storedPaper(p1)).not.toEqual(await storedPaper(p2));
	});

	describe('recently seen questions', () => {
		/** A member took an earlier test in `quarter` on one bank cell; now the 2026Q4 test draws from the same cell. */
		async function seenThenDraw(quarter: string, earlierCount: number, laterCount: number) {
			const cell = await smallCell('single', 7);
			const row = (count: number): BlueprintRow[] => [{ areaId: cell.areaId, type: cell.type, difficulty: cell.difficulty, count, points: 200 }];
			const m = await member();
			const earlier = await exam({ quarter, blueprint: row(earlierCount), passCents: 0, seed: `earlier-${quarter}` });
			const seen = (await storedPaper(await started(earlier, m))).map((i) => i.questionId);
			const later = await exam({ quarter: '2026Q4', blueprint: row(laterCount), passCents: 0, seed: 'later' });
			const drawn = (await storedPaper(await started(later, m, T0 + minute))).map((i) => i.questionId);
			return { cell, seen, drawn, reused: drawn.filter((q) => seen.includes(q)), later, m };
		}

		it.each(['2026Q4', '2026Q3', '2025Q4'])('are avoided when the pool allows (earlier test in %s)', async (quarter) => {
			const { cell, seen, reused } = await seenThenDraw(quarter, 3, 3);
			expect(cell.count).toBeGreaterThanOrEqual(seen.length + 3);
			expect(reused).toEqual([]);
		});

		it('are used, as few as possible, when the pool does not allow', async () => {
			const probe = await smallCell('single', 7);
			const n = probe.count - 2;
			const { cell, seen, drawn, reused } = await seenThenDraw('2026Q3', n, n);
			expect(drawn).toHaveLength(n);
			// cell.count − n unseen questions exist; all of them are used and only the rest comes from the seen ones.
			expect(reused).toHaveLength(n - (cell.count - seen.length));
		});

		it('do not include a test five quarters back', async () => {
			const probe = await smallCell('single', 7);
			const n = probe.count - 2;
			const { seen, drawn, later, m } = await seenThenDraw('2025Q3', n, n);
			const asDrawn = (await rebuilt(later, m, 'later', [])).map((i) => i.questionId);
			const ifSeen = (await rebuilt(later, m, 'later', seen)).map((i) => i.questionId);
			expect(drawn).toEqual(asDrawn);
			// The check means something only if treating them as seen would have drawn another paper.
			expect(ifSeen).not.toEqual(asDrawn);
		});
	});

	it('keeps the drawn version when the bank question is edited after the start', async () => {
		const id = await exam();
		const m = await member();
		const attemptId = await started(id, m);
		const [first] = await itemRows(attemptId);
		if (!first) throw new Error('empty paper');
		const before = await getVersion(db, first.version_id);
		if (!before) throw new Error('no version');
		const { version: _v, questionId: _q, ...content } = before;
		const revised = await reviseQuestion(db, committee, first.question_id, { ...content, stem: `${content.stem}（已修订）` }, T0 + minute);
		expect(revised).toMatchObject({ ok: true, newVersion: true });

		const paper = await paperForMember(db, attemptId, m, T0 + 2 * minute);
		expect(paper?.questions[0]?.stem).toBe(before.stem);
		expect((await itemRows(attemptId))[0]).toMatchObject({ version_id: first.version_id, key_version_id: first.version_id });
		// A member who starts now draws the current version.
		const current = await db.selectFrom('question').select('current_version_id').where('id', '=', first.question_id).executeTakeFirstOrThrow();
		expect(current.current_version_id).not.toBe(first.version_id);
	});
});

// ---- saving answers -----------------------------------------------------------------------------------------

/** Answers that are right or wrong for a key (original option indexes). */
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

function wrongAnswer(key: QuestionKey): Answer {
	switch (key.type) {
		case 'single':
			return { type: 'single', choice: (key.correct + 1) % key.options.length };
		case 'multiple': {
			const wrong = key.options.findIndex((_, i) => !key.correct.includes(i));
			return { type: 'multiple', choices: [...key.correct, wrong].sort((a, b) => a - b) };
		}
		case 'true_false':
			return { type: 'true_false', value: !key.correct };
		case 'fill':
			return { type: 'fill', blanks: key.blanks.map(() => '不是这个答案') };
	}
}

async function keyAt(attemptId: number, position: number): Promise<QuestionKey> {
	const item = (await itemRows(attemptId)).find((i) => i.position === position);
	const version = item && (await getVersion(db, item.key_version_id));
	if (!version) throw new Error(`no item at ${position}`);
	return version;
}

async function storedAt(attemptId: number, position: number) {
	const item = await db.selectFrom('attempt_item').selectAll().where('attempt_id', '=', attemptId).where('position', '=', position).executeTakeFirstOrThrow();
	return { answer: item.answer === null ? null : (JSON.parse(item.answer) as Answer | null), editedAt: item.edited_at, flagged: item.flagged };
}

describe('saving answers', () => {
	let examId: number;
	let owner: number;
	let attemptId: number;
	let positionOf: Record<QuestionKey['type'], number>;

	beforeEach(async () => {
		examId = await exam();
		owner = await member();
		attemptId = await started(examId, owner);
		const items = await itemRows(attemptId);
		const first = (type: QuestionKey['type']) => items.find((i) => i.type === type)?.position ?? -1;
		positionOf = { single: first('single'), multiple: first('multiple'), true_false: first('true_false'), fill: first('fill') };
	});

	const fill = (text: string) => ({ blanks: [text] });

	it.each([
		{ name: 'an older edit is refused', editedAt: T0 + 4 * minute, result: 'stale' },
		{ name: 'an edit of the same time is accepted', editedAt: T0 + 5 * minute, result: 'saved' },
		{ name: 'a newer edit wins', editedAt: T0 + 6 * minute, result: 'saved' }
	])('by edit time: $name', async ({ editedAt, result }) => {
		const position = positionOf.fill;
		expect(await saveAnswers(db, attemptId, owner, [{ position, editedAt: T0 + 5 * minute, answer: fill('first') }], T0 + 5 * minute)).toEqual({
			ok: true,
			results: ['saved'],
			deadlineAt: T0 + 30 * minute
		});
		const second = await saveAnswers(db, attemptId, owner, [{ position, editedAt, answer: fill('second') }], T0 + 7 * minute);
		expect(second).toMatchObject({ ok: true, results: [result] });
		expect(await storedAt(attemptId, position)).toMatchObject(
			result === 'saved' ? { answer: { type: 'fill', blanks: ['second'] }, editedAt } : { answer: { type: 'fill', blanks: ['first'] }, editedAt: T0 + 5 * minute }
		);
	});

	it('orders the saves inside one batch by edit time too', async () => {
		const position = positionOf.single;
		const result = await saveAnswers(
			db,
			attemptId,
			owner,
			[
				{ position, editedAt: T0 + 3 * minute, answer: { choice: 2 } },
				{ position, editedAt: T0 + 2 * minute, answer: { choice: 1 } }
			],
			T0 + 4 * minute
		);
		expect(result).toMatchObject({ ok: true, results: ['saved', 'stale'] });
		expect((await storedAt(attemptId, position)).answer).toEqual({ type: 'single', choice: 2 });
	});

	it('takes an edit time in the future as now, so it cannot pin the answer against later edits', async () => {
		const position = positionOf.true_false;
		const now = T0 + 5 * minute;
		await saveAnswers(db, attemptId, owner, [{ position, editedAt: now + hour, answer: { value: true } }], now);
		expect((await storedAt(attemptId, position)).editedAt).toBe(now);
		const later = await saveAnswers(db, attemptId, owner, [{ position, editedAt: now + 1000, answer: { value: false } }], now + 1000);
		expect(later).toMatchObject({ ok: true, results: ['saved'] });
		expect(await storedAt(attemptId, position)).toEqual({ answer: { type: 'true_false', value: false }, editedAt: now + 1000, flagged: 0 });
	});

	it('stores flags, without touching the answer or its edit time', async () => {
		const position = positionOf.multiple;
		await saveAnswers(db, attemptId, owner, [{ position, editedAt: T0 + minute, answer: { choices: [0, 2] } }], T0 + minute);
		expect(await saveAnswers(db, attemptId, owner, [{ position, editedAt: T0 + 2 * minute, flagged: true }], T0 + 2 * minute)).toMatchObject({ ok: true, results: ['saved'] });
		expect(await storedAt(attemptId, position)).toEqual({ answer: { type: 'multiple', choices: [0, 2] }, editedAt: T0 + minute, flagged: 1 });
		await saveAnswers(db, attemptId, owner, [{ position, editedAt: T0 + 3 * minute, flagged: false }], T0 + 3 * minute);
		expect((await storedAt(attemptId, position)).flagged).toBe(0);
	});

	it('stores an explicit null (a cleared answer) as no answer', async () => {
		const position = positionOf.single;
		await saveAnswers(db, attemptId, owner, [{ position, editedAt: T0 + minute, answer: { choice: 1 } }], T0 + minute);
		await saveAnswers(db, attemptId, owner, [{ position, editedAt: T0 + 2 * minute, answer: null }], T0 + 2 * minute);
		expect(await storedAt(attemptId, position)).toMatchObject({ answer: null, editedAt: T0 + 2 * minute });
	});

	const invalid: { name: string; bad: (p: Record<QuestionKey['type'], number>) => Save; position?: (p: Record<QuestionKey['type'], number>) => number | undefined }[] = [
		{ name: 'an answer of the wrong shape', bad: (p) => ({ position: p.single, editedAt: T0, answer: { choices: [1] } }), position: (p) => p.single },
		{ name: 'an option index out of range', bad: (p) => ({ position: p.single, editedAt: T0, answer: { choice: 8 } }), position: (p) => p.single },
		{ name: 'a type that is not the question’s', bad: (p) => ({ position: p.true_false, editedAt: T0, answer: { type: 'single', choice: 0 } }), position: (p) => p.true_false },
		{ name: 'an unknown position', bad: () => ({ position: 99, editedAt: T0, answer: { choice: 0 } }), position: () => 99 },
		{ name: 'a fractional position', bad: () => ({ position: 1.5, editedAt: T0, answer: { choice: 0 } }) },
		{ name: 'an edit time that is not a number', bad: (p) => ({ position: p.single, editedAt: 'soon' as unknown as number, answer: { choice: 0 } }), position: (p) => p.single },
		{ name: 'an infinite edit time', bad: (p) => ({ position: p.single, editedAt: Infinity, answer: { choice: 0 } }), position: (p) => p.single },
		{ name: 'a flag that is not a boolean', bad: (p) => ({ position: p.single, editedAt: T0, flagged: 1 as unknown as boolean }), position: (p) => p.single }
	];
	it.each(invalid)('refuses the whole batch for $name', async ({ bad, position }) => {
		const good: Save = { position: positionOf.fill, editedAt: T0 + minute, answer: fill('保存不了'), flagged: true };
		const result = await saveAnswers(db, attemptId, owner, [good, bad(positionOf)], T0 + 2 * minute);
		expect(result).toEqual({ ok: false, problem: 'invalid', ...(position?.(positionOf) !== undefined ? { position: position(positionOf) } : {}) });
		expect(await storedAt(attemptId, positionOf.fill)).toEqual({ answer: null, editedAt: null, flagged: 0 });
	});

	it('refuses an empty batch and one larger than a request may carry', async () => {
		expect(await saveAnswers(db, attemptId, owner, [], T0 + minute)).toEqual({ ok: false, problem: 'invalid' });
		const many = Array.from({ length: maxSavesPerRequest + 1 }, (_, k): Save => ({ position: positionOf.single, editedAt: T0 + k, answer: { choice: 0 } }));
		expect(await saveAnswers(db, attemptId, owner, many, T0 + minute)).toEqual({ ok: false, problem: 'invalid' });
		expect(await saveAnswers(db, attemptId, owner, many.slice(1), T0 + minute)).toMatchObject({ ok: true });
	});

	it("treats another member's attempt as missing", async () => {
		const intruder = await member();
		const save: Save = { position: positionOf.single, editedAt: T0 + minute, answer: { choice: 0 } };
		expect(await saveAnswers(db, attemptId, intruder, [save], T0 + minute)).toEqual({ ok: false, problem: 'not_found' });
		expect(await saveAnswers(db, 999_999, owner, [save], T0 + minute)).toEqual({ ok: false, problem: 'not_found' });
		expect((await storedAt(attemptId, positionOf.single)).answer).toBeNull();
		// Not even past the deadline does a stranger's request submit the attempt.
		expect(await saveAnswers(db, attemptId, intruder, [save], T0 + hour)).toEqual({ ok: false, problem: 'not_found' });
		expect((await attemptRow(attemptId)).submitted_at).toBeNull();
	});

	it('refuses saves after the attempt was submitted', async () => {
		await submitAttempt(db, attemptId, 'member', T0 + minute);
		const result = await saveAnswers(db, attemptId, owner, [{ position: positionOf.single, editedAt: T0 + 2 * minute, answer: { choice: 0 } }], T0 + 2 * minute);
		expect(result).toEqual({ ok: false, problem: 'submitted' });
		expect((await storedAt(attemptId, positionOf.single)).answer).toBeNull();
	});

	it.each([
		{ name: 'at the deadline', offset: 0 },
		{ name: 'after the deadline', offset: hour }
	])('refuses saves $name and submits the attempt with what was saved', async ({ offset }) => {
		const deadline = T0 + 30 * minute;
		const key = await keyAt(attemptId, positionOf.single);
		await saveAnswers(db, attemptId, owner, [{ position: positionOf.single, editedAt: deadline - minute, answer: rightAnswer(key) }], deadline - minute);
		const late = await saveAnswers(db, attemptId, owner, [{ position: positionOf.true_false, editedAt: deadline - 1, answer: { value: true } }], deadline + offset);
		expect(late).toEqual({ ok: false, problem: 'deadline' });
		const attempt = await attemptRow(attemptId);
		expect(attempt).toMatchObject({ submitted_at: deadline, submitted_how: 'deadline' });
		expect(attempt.score_cents).toBe((await itemRows(attemptId)).find((i) => i.position === positionOf.single)?.points_cents);
		expect((await storedAt(attemptId, positionOf.true_false)).answer).toBeNull();
	});

	it('accepts a save one millisecond before the deadline', async () => {
		const deadline = T0 + 30 * minute;
		const result = await saveAnswers(db, attemptId, owner, [{ position: positionOf.single, editedAt: deadline - 1, answer: { choice: 0 } }], deadline - 1);
		expect(result).toMatchObject({ ok: true, results: ['saved'] });
		expect((await attemptRow(attemptId)).submitted_at).toBeNull();
	});

	it('ends with the answer edited last, whatever order two tabs’ saves arrive in', async () => {
		// Each tab sends its own edits in the order it made them, in batches of one or more; the network
		// interleaves the two streams any way it likes. Edit times are distinct, so "edited last" is one answer.
		const editsArb = fc.uniqueArray(fc.integer({ min: 0, max: 20 * minute }), { minLength: 1, maxLength: 12 }).chain((times) =>
			fc.tuple(
				fc.constant(times),
				fc.array(fc.boolean(), { minLength: times.length, maxLength: times.length }),
				fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 30 })
			)
		);
		let run = 0;
		await fc.assert(
			fc.asyncProperty(editsArb, async ([times, tabOfEdit, schedule]) => {
				run++;
				const m = await member();
				const id = await started(examId, m);
				const position = (await itemRows(id)).find((i) => i.type === 'fill')?.position ?? -1;
				const edits = times.map((t, k) => ({ editedAt: T0 + t, text: `run${run}-edit${k}`, tab: tabOfEdit[k] ? 1 : 0 }));
				const queues = [0, 1].map((tab) => edits.filter((e) => e.tab === tab).sort((a, b) => a.editedAt - b.editedAt));
				const pick = [...schedule];
				let newestArrived = -Infinity;
				const now = T0 + 25 * minute;
				while (queues.some((q) => q.length > 0)) {
					const [tabChoice, size] = pick.shift() ?? [false, 3];
					const queue = queues[tabChoice ? 1 : 0]?.length ? (queues[tabChoice ? 1 : 0] as typeof edits) : (queues[tabChoice ? 0 : 1] as typeof edits);
					const batch = queue.splice(0, size);
					const result = await saveAnswers(db, id, m, batch.map((e) => ({ position, editedAt: e.editedAt, answer: { blanks: [e.text] } })), now);
					if (!result.ok) throw new Error(result.problem);
					const expected = batch.map((e) => {
						const fresh = e.editedAt >= newestArrived;
						newestArrived = Math.max(newestArrived, e.editedAt);
						return fresh ? 'saved' : 'stale';
					});
					expect(result.results).toEqual(expected);
				}
				const last = edits.reduce((a, b) => (b.editedAt > a.editedAt ? b : a));
				expect(await storedAt(id, position)).toMatchObject({ answer: { type: 'fill', blanks: [last.text] }, editedAt: last.editedAt });
			}),
			{ numRuns: 60 }
		);
	});
});

// ---- submitting and scoring -----------------------------------------------------------------------------

describe('submitting', () => {
	it('stores the score of every item, of every area, the total and the pass', async () => {
		const id = await exam({ multiplePolicy: 'partial_half', passCents: 900 });
		const m = await member();
		const attemptId = await started(id, m);
		const items = await itemRows(attemptId);
		// Right, wrong, partly right (a strict subset of a multiple's key) or left alone, by position.
		const plan = new Map<number, 'right' | 'wrong' | 'partial' | 'none'>();
		const expected = new Map<number, number>();
		const saves: Save[] = [];
		for (const [k, item] of items.entries()) {
			const key = await keyAt(attemptId, item.position);
			let how: 'right' | 'wrong' | 'partial' | 'none' = (['right', 'wrong', 'right', 'none'] as const)[k % 4] ?? 'none';
			if (key.type === 'multiple' && k % 2 === 1 && key.correct.length >= 2) how = 'partial';
			plan.set(item.position, how);
			if (how === 'none') {
				expected.set(item.position, 0);
				continue;
			}
			const answer = how === 'right' ? rightAnswer(key) : how === 'wrong' ? wrongAnswer(key) : { type: 'multiple' as const, choices: [(key as { correct: number[] }).correct[0] as number] };
			saves.push({ position: item.position, editedAt: T0 + minute, answer });
			expected.set(item.position, how === 'right' ? item.points_cents : how === 'partial' ? Math.floor(item.points_cents / 2) : 0);
		}
		// The fixed seed draws a paper on which every kind of outcome occurs.
		expect([...new Set(plan.values())].sort()).toEqual(['none', 'partial', 'right', 'wrong']);
		expect(await saveAnswers(db, attemptId, m, saves, T0 + minute)).toMatchObject({ ok: true });
		expect(await submitAttempt(db, attemptId, 'member', T0 + 2 * minute)).toEqual({ ok: true, alreadySubmitted: false });

		const after = await itemRows(attemptId);
		expect(after.map((i) => [i.position, i.earned_cents])).toEqual(items.map((i) => [i.position, expected.get(i.position)]));
		const outcomes = { right: 'correct', wrong: 'wrong', partial: 'partial', none: 'unanswered' };
		expect(after.map((i) => i.outcome)).toEqual(items.map((i) => outcomes[plan.get(i.position) ?? 'none']));

		const total = [...expected.values()].reduce((a, b) => a + b, 0);
		const attempt = await attemptRow(attemptId);
		expect(attempt).toMatchObject({ submitted_at: T0 + 2 * minute, submitted_how: 'member', score_cents: total, passed: total >= 900 ? 1 : 0 });

		const areaTotals = new Map<number, { earned: number; possible: number }>();
		for (const item of items) {
			for (const areaId of (await getVersion(db, item.version_id))?.areaIds ?? []) {
				const t = areaTotals.get(areaId) ?? { earned: 0, possible: 0 };
				t.earned += expected.get(item.position) ?? 0;
				t.possible += item.points_cents;
				areaTotals.set(areaId, t);
			}
		}
		const areas = await db.selectFrom('attempt_area').selectAll().where('attempt_id', '=', attemptId).orderBy('area_id').execute();
		expect(areas.map((a) => [a.area_id, a.earned_cents, a.possible_cents])).toEqual(
			[...areaTotals.entries()].sort(([a], [b]) => a - b).map(([areaId, t]) => [areaId, t.earned, t.possible])
		);
	});

	it.each([
		{ rightCount: 4, passCents: 800, passed: 1 },
		{ rightCount: 3, passCents: 800, passed: 0 },
		{ rightCount: 1, passCents: 0, passed: 1 }
	])('$rightCount right answers of 2 points against a pass mark of $passCents cents: passed $passed', async ({ rightCount, passCents, passed }) => {
		const id = await exam({ passCents });
		const m = await member();
		const attemptId = await started(id, m);
		const items = (await itemRows(attemptId)).slice(0, rightCount);
		const saves = await Promise.all(items.map(async (i): Promise<Save> => ({ position: i.position, editedAt: T0, answer: rightAnswer(await keyAt(attemptId, i.position)) })));
		if (saves.length > 0) await saveAnswers(db, attemptId, m, saves, T0 + minute);
		await submitAttempt(db, attemptId, 'member', T0 + 2 * minute);
		expect(await attemptRow(attemptId)).toMatchObject({ score_cents: rightCount * 200, passed });
	});

	it('is harmless twice, also at once', async () => {
		const id = await exam();
		const m = await member();
		const attemptId = await started(id, m);
		const key = await keyAt(attemptId, 1);
		await saveAnswers(db, attemptId, m, [{ position: 1, editedAt: T0, answer: rightAnswer(key) }], T0 + minute);
		const both = await Promise.all([submitAttempt(db, attemptId, 'member', T0 + 2 * minute), submitAttempt(db, attemptId, 'member', T0 + 2 * minute)]);
		expect(both.map((r) => r.ok && r.alreadySubmitted).sort()).toEqual([false, true]);
		const before = await attemptRow(attemptId);
		expect(await submitAttempt(db, attemptId, 'deadline', T0 + hour)).toEqual({ ok: true, alreadySubmitted: true });
		expect(await attemptRow(attemptId)).toEqual(before);
		expect(before).toMatchObject({ submitted_at: T0 + 2 * minute, submitted_how: 'member', score_cents: 200 });
		expect(await submitAttempt(db, 999_999, 'member', T0)).toEqual({ ok: false, problem: 'not_found' });
	});

	it('records a deadline submission at the deadline, however late the sweep runs', async () => {
		const id = await exam();
		const attemptId = await started(id, await member());
		await submitAttempt(db, attemptId, 'deadline', T0 + 3 * hour);
		expect(await attemptRow(attemptId)).toMatchObject({ submitted_at: T0 + 30 * minute, submitted_how: 'deadline', score_cents: 0, passed: 0 });
	});

	it("records a member's submit that arrives after the deadline as the deadline's", async () => {
		const id = await exam();
		const attemptId = await started(id, await member());
		expect(await submitAttempt(db, attemptId, 'member', T0 + 40 * minute)).toEqual({ ok: true, alreadySubmitted: false });
		expect(await attemptRow(attemptId)).toMatchObject({ submitted_at: T0 + 30 * minute, submitted_how: 'deadline' });
	});

	it('submits every expired attempt once, even from two sweeps at once, and leaves open ones alone', async () => {
		const id = await exam();
		const [a, b, c] = [await member(), await member(), await member()];
		const early = await started(id, a, T0);
		const later = await started(id, b, T0 + 10 * minute);
		const open = await started(id, c, T0 + 30 * minute);
		const key = await keyAt(early, 1);
		await saveAnswers(db, early, a, [{ position: 1, editedAt: T0 + minute, answer: rightAnswer(key) }], T0 + minute);

		const now = T0 + 45 * minute;
		const counts = await Promise.all([submitExpired(db, now), submitExpired(db, now)]);
		expect(counts[0] + counts[1]).toBe(2);
		expect(await attemptRow(early)).toMatchObject({ submitted_at: T0 + 30 * minute, submitted_how: 'deadline', score_cents: 200 });
		expect(await attemptRow(later)).toMatchObject({ submitted_at: T0 + 40 * minute, submitted_how: 'deadline', score_cents: 0 });
		expect(await attemptRow(open)).toMatchObject({ submitted_at: null, score_cents: null });
		expect(await submitExpired(db, now)).toBe(0);
		expect(await submitExpired(db, T0 + 60 * minute)).toBe(1);
	});
});
