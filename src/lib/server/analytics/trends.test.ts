import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { freshDatabase, makeMember, makeTree } from '../testing/db';
import { makeExam } from '../testing/exams';
import { answerFor, takeTest, tinyBank } from '../testing/tiny-bank';
import { summarize, type ScoreGroup } from './score-groups';
import { scoreTrends } from './trends';

const now = Date.UTC(2026, 11, 10, 2);
const minute = 60_000;
const day = 24 * 60 * minute;

describe('score trends', () => {
	let db: Db;
	let tree: Awaited<ReturnType<typeof makeTree>>;

	beforeEach(async () => {
		({ db } = await freshDatabase());
		tree = await makeTree(db);
		const admin = await makeMember(db, { unitId: tree.root, roles: ['committee'] });
		const a1 = await makeMember(db, { unitId: tree.branchA });
		const a2 = await makeMember(db, { unitId: tree.branchA });
		await makeMember(db, { unitId: tree.branchA }); // a3 never takes a test: expected, not a taker
		const b1 = await makeMember(db, { unitId: tree.branchB });
		const c1 = await makeMember(db, { unitId: tree.branchC });
		const bank = await tinyBank(db, admin);
		// Paper of 10 points (1000 cents), pass at 6: single 2 + 2, multiple 3, true/false 1, fill 2.
		const audience = { unitIds: [], roles: [], include: [], exclude: [admin] };
		const exam = (quarter: string, opensAt: number, closesAt: number, extra = {}) =>
			makeExam(db, { actorId: admin, quarter, blueprint: bank.blueprint, audience, now: opensAt, opensAt, closesAt, ...extra });
		const q3 = await exam('2026Q3', now - 90 * day, now - 60 * day);
		const q4 = await exam('2026Q4', now - 2 * day, now + 5 * day, { attemptsAllowed: 2 });
		const practice = await exam('2026Q4', now - 2 * day, now + 5 * day, { kind: 'practice' });
		await exam('2027Q1', now + 30 * day, now + 60 * day); // not open yet: no quarter of its own
		// 2026Q3: a1 10/10, a2 only the true/false (1/10), b1 the two singles (4/10), c1 all but the fill (8/10).
		await takeTest(db, q3, a1, now - 80 * day);
		await takeTest(db, q3, a2, now - 80 * day, (item) => answerFor(item.key, item.key.type === 'true_false'));
		await takeTest(db, q3, b1, now - 80 * day, (item) => answerFor(item.key, item.key.type === 'single'));
		await takeTest(db, q3, c1, now - 80 * day, (item) => answerFor(item.key, item.key.type !== 'fill'));
		// 2026Q4 (still open): a1 8/10 then 10/10, the better counts; b1 0/10; c1 never submits; b1's practice does not count.
		await takeTest(db, q4, a1, now - 60 * minute, (item) => answerFor(item.key, item.key.type !== 'fill'));
		await takeTest(db, q4, a1, now - 30 * minute);
		await takeTest(db, q4, b1, now - 30 * minute, (item) => answerFor(item.key, false));
		await takeTest(db, q4, c1, now - 10 * minute, undefined, { submit: false });
		await takeTest(db, practice, b1, now - 10 * minute);
	});

	it('gives mean, median, pass rate and participation per quarter for the whole organization', async () => {
		const trends = await scoreTrends(db, [undefined], now);
		expect(trends.quarters).toEqual([
			{ quarter: '2026Q3', open: false },
			{ quarter: '2026Q4', open: true }
		]);
		expect(trends.series[0]).toEqual([
			// 100, 10, 40, 80: mean 57.5, median (40 + 80) / 2 = 60; a1 and c1 pass; 4 of 5 expected (a3 missed).
			{ quarter: '2026Q3', takers: 4, passed: 2, expected: 5, mean: 57.5, median: 60, passRate: 0.5, participation: 0.8 },
			// 100 (a1's better attempt), 0: mean and median 50; 2 of 5.
			{ quarter: '2026Q4', takers: 2, passed: 1, expected: 5, mean: 50, median: 50, passRate: 0.5, participation: 0.4 }
		]);
	});

	it('gives each set of units its own series from one query', async () => {
		const trends = await scoreTrends(db, [[tree.general, tree.branchA, tree.branchB], [tree.branchA]], now);
		const [general, branchA] = trends.series;
		// 总支 in 2026Q3: 100, 10, 40 → mean 50, median 40, one pass of three; a1 a2 a3 b1 expected.
		expect(general?.[0]).toEqual({ quarter: '2026Q3', takers: 3, passed: 1, expected: 4, mean: 50, median: 40, passRate: 1 / 3, participation: 0.75 });
		// 一支部 in 2026Q3: 100, 10 → mean and median 55; in 2026Q4 only a1 (100) of three.
		expect(branchA?.[0]).toMatchObject({ takers: 2, passed: 1, expected: 3, mean: 55, median: 55, participation: 2 / 3 });
		expect(branchA?.[1]).toMatchObject({ takers: 1, passed: 1, expected: 3, mean: 100, median: 100, passRate: 1, participation: 1 / 3 });
	});

	it('counts a new submission at once, though the aggregates are kept between requests', async () => {
		expect((await scoreTrends(db, [undefined], now)).series[0]?.[1]?.takers).toBe(2);
		const late = await makeMember(db, { unitId: tree.branchC });
		const q4 = (await db.selectFrom('exam').select('id').where('quarter', '=', '2026Q4').where('kind', '=', 'quarterly').executeTakeFirstOrThrow()).id;
		await takeTest(db, q4, late, now - 5 * minute);
		// Now 100, 0, 100 of six expected.
		expect((await scoreTrends(db, [undefined], now)).series[0]?.[1]).toMatchObject({ takers: 3, expected: 6, mean: 200 / 3, median: 100 });
	});

	it('answers empty points for a unit with nobody expected and nobody taking part', async () => {
		const empty = (await scoreTrends(db, [[tree.root]], now)).series[0];
		expect(empty?.[0]).toEqual({ quarter: '2026Q3', takers: 0, passed: 0, expected: 0, mean: null, median: null, passRate: null, participation: null });
	});
});

describe('summarize', () => {
	const group = (scoreCents: number, n: number, passed = scoreCents >= 600): ScoreGroup => ({ quarter: '2026Q4', examId: 1, scoreCents, maxCents: 1000, passed, n });

	it('weights each score by how many share it', () => {
		// 50, 50, 70: mean 170 / 3, median the middle value 50.
		expect(summarize([group(700, 1), group(500, 2)])).toEqual({ takers: 3, passed: 1, mean: 170 / 3, median: 50, passRate: 1 / 3 });
		// 50, 50, 70, 70 (ties on both sides of the middle): median (50 + 70) / 2.
		expect(summarize([group(700, 2), group(500, 2)]).median).toBe(60);
		// One score for everyone.
		expect(summarize([group(1000, 5)])).toEqual({ takers: 5, passed: 5, mean: 100, median: 100, passRate: 1 });
	});

	it('has nothing to say without takers', () => {
		expect(summarize([])).toEqual({ takers: 0, passed: 0, mean: null, median: null, passRate: null });
	});

	it('compares percents across papers with different totals', () => {
		// 30 of 50 = 60%, 90 of 100 = 90%: mean 75, median 75.
		const mixed = [{ ...group(3000, 1), maxCents: 5000 }, { ...group(9000, 1), maxCents: 10000 }];
		expect(summarize(mixed)).toMatchObject({ mean: 75, median: 75 });
	});
});
