import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { createMakeup } from '../exams/exams';
import { freshDatabase, makeMember, makeTree } from '../testing/db';
import { makeExam } from '../testing/exams';
import { answerFor, takeTest, tinyBank, type TinyBank } from '../testing/tiny-bank';
import { audiences, countedQuarters, countedResults, countedSubmissions, countedTests, expectedMembers, percent } from './counted';

const now = Date.UTC(2026, 11, 10, 2);
const minute = 60_000;
const day = 24 * 60 * minute;

describe('counted results', () => {
	let db: Db;
	let tree: Awaited<ReturnType<typeof makeTree>>;
	let bank: TinyBank;
	let admin: number, a1: number, a2: number, b1: number, c1: number;
	let q3: number, q4: number, practice: number;

	beforeEach(async () => {
		({ db } = await freshDatabase());
		tree = await makeTree(db);
		admin = await makeMember(db, { unitId: tree.root, roles: ['committee'], loginId: 'admin' });
		a1 = await makeMember(db, { unitId: tree.branchA, loginId: 'a1' });
		a2 = await makeMember(db, { unitId: tree.branchA, loginId: 'a2' });
		b1 = await makeMember(db, { unitId: tree.branchB, loginId: 'b1' });
		c1 = await makeMember(db, { unitId: tree.branchC, loginId: 'c1' });
		bank = await tinyBank(db, admin);
		const audience = { unitIds: [], roles: [], include: [], exclude: [admin] };
		q3 = await makeExam(db, { actorId: admin, quarter: '2026Q3', blueprint: bank.blueprint, audience, now: now - 90 * day, opensAt: now - 90 * day, closesAt: now - 60 * day });
		q4 = await makeExam(db, { actorId: admin, quarter: '2026Q4', blueprint: bank.blueprint, audience, attemptsAllowed: 2, now: now - 2 * day, opensAt: now - 2 * day });
		practice = await makeExam(db, { actorId: admin, quarter: '2026Q4', kind: 'practice', blueprint: bank.blueprint, audience, now: now - 2 * day, opensAt: now - 2 * day });
		// 2026Q3: a1 all right (10 points), b1 all wrong but the true/false (1 point).
		await takeTest(db, q3, a1, now - 80 * day);
		await takeTest(db, q3, b1, now - 80 * day, (item) => answerFor(item.key, item.key.type === 'true_false'));
		// 2026Q4: a1 takes it twice, worse the second time: the first (better) attempt counts.
		await takeTest(db, q4, a1, now - 60 * minute, (item) => answerFor(item.key, item.key.type !== 'fill'));
		await takeTest(db, q4, a1, now - 30 * minute, (item) => answerFor(item.key, item.key.type === 'single'));
		await takeTest(db, q4, c1, now - 30 * minute);
		// Unsubmitted and practice attempts never count.
		await takeTest(db, q4, a2, now - 10 * minute, undefined, { submit: false });
		await takeTest(db, practice, b1, now - 10 * minute);
	});

	it('counts the best submitted attempt of published quarterly tests only', async () => {
		const rows = await countedResults(db);
		expect(rows.map((r) => [r.quarter, r.memberId, r.scoreCents, r.passed])).toEqual([
			['2026Q3', a1, 1000, true],
			['2026Q3', b1, 100, false],
			['2026Q4', a1, 800, true],
			['2026Q4', c1, 1000, true]
		]);
		expect(rows.every((r) => r.maxCents === 1000)).toBe(true);
		expect(rows.find((r) => r.memberId === c1)?.unitId).toBe(tree.branchC);
	});

	it('filters by unit, quarter, test and member', async () => {
		expect((await countedResults(db, { unitIds: [tree.branchA, tree.branchB] })).map((r) => r.memberId)).toEqual([a1, b1, a1]);
		expect(await countedResults(db, { unitIds: [] })).toEqual([]);
		expect((await countedResults(db, { quarters: ['2026Q4'] })).map((r) => r.memberId)).toEqual([a1, c1]);
		expect((await countedResults(db, { examId: q3 })).map((r) => r.memberId)).toEqual([a1, b1]);
		expect((await countedResults(db, { memberId: a1 })).map((r) => r.quarter)).toEqual(['2026Q3', '2026Q4']);
	});

	it('lists counted tests and quarters, leaving practice tests out', async () => {
		expect((await countedTests(db)).map((t) => t.id)).toEqual([q3, q4]);
		expect((await countedTests(db, ['2026Q4'])).map((t) => t.id)).toEqual([q4]);
		expect(await countedQuarters(db)).toEqual(['2026Q3', '2026Q4']);
	});

	it('expects the audience as it is now plus anyone who took the test', async () => {
		const only = await makeExam(db, { actorId: admin, quarter: '2026Q4', blueprint: bank.blueprint, audience: { unitIds: [tree.branchA], roles: [], include: [], exclude: [] }, now: now - 2 * day, opensAt: now - 2 * day });
		await createMakeup(db, only, { opensAt: now - day, closesAt: now + day, memberIds: [c1] }, admin, now - day);
		await takeTest(db, only, c1, now - 60 * minute);
		const expected = await expectedMembers(db, [q3, only]);
		expect([...(expected.get(q3) ?? new Map()).keys()].sort((x, y) => x - y)).toEqual([a1, a2, b1, c1]);
		expect(Object.fromEntries(expected.get(only) ?? new Map())).toEqual({ [a1]: tree.branchA, [a2]: tree.branchA, [c1]: tree.branchC });
	});

	it('gives the counted score as the highest submission, and the audiences without the takers', async () => {
		// a1's Q4: 800 then 400 → 800, as the best attempt; the unsubmitted and practice attempts are left out.
		const grouped = await countedSubmissions(db)
			.select(['attempt.exam_id', 'attempt.member_id', (eb) => eb.fn.max('attempt.score_cents').as('score')])
			.groupBy(['attempt.exam_id', 'attempt.member_id'])
			.orderBy('attempt.exam_id')
			.orderBy('attempt.member_id')
			.execute();
		expect(grouped.map((g) => [g.exam_id, g.member_id, Number(g.score)])).toEqual((await countedResults(db)).map((r) => [r.examId, r.memberId, r.scoreCents]));
		expect([...((await audiences(db, [q3])).get(q3) ?? [])].sort((x, y) => x - y)).toEqual([a1, a2, b1, c1]);
	});

	it('turns scores into percent of the total', () => {
		expect(percent(750, 1000)).toBe(75);
		expect(percent(0, 0)).toBeNull();
	});
});
