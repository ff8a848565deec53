import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { getQuestion, reviseQuestion } from '../bank/questions';
import * as createExamResults from '../../../../migrations/20261202000000_create_exam_results';
import { freshDatabase, makeMember, makeTree } from '../testing/db';
import { makeExam } from '../testing/exams';
import { answerFor, takeTest, tinyBank, type TinyBank } from '../testing/tiny-bank';
import { startPaperAttempt, enterAnswers } from './paper-entry';
import { applyRegrade } from './regrade';
import { bestAttempt } from './results';

const now = Date.UTC(2026, 11, 10, 2);
const minute = 60_000;

/** The stored results and area totals, sorted, as plain rows. */
async function stored(db: Db) {
	const results = await db.selectFrom('exam_result').selectAll().orderBy('exam_id').orderBy('member_id').execute();
	const totals = await db.selectFrom('exam_area_total').selectAll().orderBy('exam_id').orderBy('unit_id').orderBy('area_id').execute();
	return { results, totals: totals.map((t) => ({ ...t, earned_cents: Number(t.earned_cents), possible_cents: Number(t.possible_cents) })) };
}

/** The same, recomputed from the attempts with exams/results.ts's own bestAttempt and the given units. */
async function recomputed(db: Db, unitOf: (memberId: number) => number) {
	const attempts = await db.selectFrom('attempt').selectAll().execute();
	const groups = new Map<string, typeof attempts>();
	for (const a of attempts) groups.set(`${a.exam_id}:${a.member_id}`, [...(groups.get(`${a.exam_id}:${a.member_id}`) ?? []), a]);
	const results = [...groups.values()]
		.map((list) => bestAttempt(list))
		.filter((a) => a !== undefined)
		.map((a) => ({ exam_id: a.exam_id, member_id: a.member_id, attempt_id: a.id, unit_id: unitOf(a.member_id), score_cents: a.score_cents, max_cents: a.max_cents, passed: a.passed }))
		.sort((x, y) => x.exam_id - y.exam_id || x.member_id - y.member_id);
	const totals = new Map<string, { exam_id: number; unit_id: number; area_id: number; earned_cents: number; possible_cents: number; results: number }>();
	for (const r of results) {
		for (const a of await db.selectFrom('attempt_area').selectAll().where('attempt_id', '=', r.attempt_id).execute()) {
			const key = `${r.exam_id}:${r.unit_id}:${a.area_id}`;
			const t = totals.get(key) ?? { exam_id: r.exam_id, unit_id: r.unit_id, area_id: a.area_id, earned_cents: 0, possible_cents: 0, results: 0 };
			t.earned_cents += a.earned_cents;
			t.possible_cents += a.possible_cents;
			t.results += 1;
			totals.set(key, t);
		}
	}
	return { results, totals: [...totals.values()].sort((x, y) => x.exam_id - y.exam_id || x.unit_id - y.unit_id || x.area_id - y.area_id) };
}

describe('stored results (exam_result, exam_area_total)', () => {
	let db: Db;
	let tree: Awaited<ReturnType<typeof makeTree>>;
	let bank: TinyBank;
	let admin: number, a1: number, a2: number, b1: number;
	let examId: number;
	const home = new Map<number, number>();

	beforeEach(async () => {
		({ db } = await freshDatabase());
		tree = await makeTree(db);
		admin = await makeMember(db, { unitId: tree.root, roles: ['committee'], loginId: 'admin' });
		a1 = await makeMember(db, { unitId: tree.branchA, loginId: 'a1' });
		a2 = await makeMember(db, { unitId: tree.branchA, loginId: 'a2' });
		b1 = await makeMember(db, { unitId: tree.branchB, loginId: 'b1' });
		home.clear();
		for (const [id, unit] of [[admin, tree.root], [a1, tree.branchA], [a2, tree.branchA], [b1, tree.branchB]] as const) home.set(id, unit);
		bank = await tinyBank(db, admin);
		examId = await makeExam(db, { actorId: admin, blueprint: bank.blueprint, attemptsAllowed: 3, audience: { unitIds: [], roles: [], include: [], exclude: [admin] }, now: now - 60 * minute });
	});

	it('holds each member’s best submitted attempt and its area scores, through retakes, paper entry and a regrade', async () => {
		const unitOf = (id: number) => home.get(id) as number;
		// a1: all right, then a worse retake (the first still counts), b1: wrong except true/false, then better.
		await takeTest(db, examId, a1, now - 50 * minute);
		await takeTest(db, examId, a1, now - 40 * minute, (item) => answerFor(item.key, item.key.type === 'single'));
		await takeTest(db, examId, b1, now - 50 * minute, (item) => answerFor(item.key, item.key.type === 'true_false'));
		expect(await stored(db)).toEqual(await recomputed(db, unitOf));
		await takeTest(db, examId, b1, now - 30 * minute, (item) => answerFor(item.key, item.key.type !== 'fill'));
		// An attempt not yet submitted has no result.
		await takeTest(db, examId, a2, now - 5 * minute, undefined, { submit: false });
		const first = await stored(db);
		expect(first).toEqual(await recomputed(db, unitOf));
		expect(first.results.map((r) => [r.member_id, r.score_cents])).toEqual([
			[a1, 1000],
			[b1, 800]
		]);
		// Sum over areas: theory has s1 (2) + m1 (3) + f1 (2) = 7 points, charter s2 (2) + m1 (3) + t1 (1) = 6.
		expect(first.totals.filter((t) => t.unit_id === tree.branchA).map((t) => [t.area_id, t.earned_cents, t.possible_cents, t.results])).toEqual(
			[
				[bank.areaIds.theory, 700, 700, 1],
				[bank.areaIds.charter, 600, 600, 1]
			].sort((x, y) => (x[0] as number) - (y[0] as number))
		);

		// A printed paper entered by a manager counts like any other.
		const paper = await startPaperAttempt(db, examId, a2, now);
		expect(paper.ok).toBe(false); // a2 has an online attempt under way
		const c1 = await makeMember(db, { unitId: tree.branchC, loginId: 'c1' });
		home.set(c1, tree.branchC);
		const printed = await startPaperAttempt(db, examId, c1, now);
		if (!printed.ok) throw new Error(printed.problem);
		const items = await db.selectFrom('attempt_item').select(['position']).where('attempt_id', '=', printed.attemptId).execute();
		const entered = await enterAnswers(db, printed.attemptId, items.map((i) => ({ position: i.position, answer: null })), admin, now);
		expect(entered.ok).toBe(true);
		expect(await stored(db)).toEqual(await recomputed(db, unitOf));

		// A member moves after the test: their result stays with the branch they took it in, also through a regrade.
		await db.updateTable('member').set({ unit_id: tree.branchC }).where('id', '=', a1).execute();
		const s1 = (await getQuestion(db, bank.questionIds.s1))!;
		if (s1.type !== 'single') throw new Error('s1 is single choice');
		const revised = await reviseQuestion(db, admin, s1.id, { ...s1, correct: (s1.correct + 1) % s1.options.length }, now);
		expect(revised.ok).toBe(true);
		const applied = await applyRegrade(db, examId, s1.id, admin, now);
		expect(applied.ok).toBe(true);
		const after = await stored(db);
		expect(after).toEqual(await recomputed(db, unitOf));
		expect(after.results.find((r) => r.member_id === a1)).toMatchObject({ unit_id: tree.branchA, score_cents: 800 });
	});

	it('is filled in from existing attempts by the migration', async () => {
		await takeTest(db, examId, a1, now - 50 * minute);
		await takeTest(db, examId, b1, now - 50 * minute, (item) => answerFor(item.key, item.key.type === 'true_false'));
		await takeTest(db, examId, b1, now - 40 * minute);
		const kept = await stored(db);
		await createExamResults.down(db);
		await createExamResults.up(db);
		expect(await stored(db)).toEqual(kept);
	});
});
