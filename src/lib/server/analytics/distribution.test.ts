import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { freshDatabase, makeMember, makeTree } from '../testing/db';
import { makeExam } from '../testing/exams';
import { answerFor, takeTest, tinyBank } from '../testing/tiny-bank';
import { binOf, histogramTable, unitComparisonTable } from '$lib/analytics/distribution';
import { testDistribution, testList } from './distribution';

const now = Date.UTC(2026, 11, 10, 2);
const minute = 60_000;
const day = 24 * 60 * minute;

describe('test distribution', () => {
	let db: Db;
	let tree: Awaited<ReturnType<typeof makeTree>>;
	let q3: number, q4: number, practice: number, draft: number;

	beforeEach(async () => {
		({ db } = await freshDatabase());
		tree = await makeTree(db);
		const admin = await makeMember(db, { unitId: tree.root, roles: ['committee'] });
		const a1 = await makeMember(db, { unitId: tree.branchA });
		const a2 = await makeMember(db, { unitId: tree.branchA });
		await makeMember(db, { unitId: tree.branchA }); // a3 misses every test
		const b1 = await makeMember(db, { unitId: tree.branchB });
		const c1 = await makeMember(db, { unitId: tree.branchC });
		const bank = await tinyBank(db, admin);
		// Paper of 10 points, pass at 6 (60%).
		const audience = { unitIds: [], roles: [], include: [], exclude: [admin] };
		const exam = (quarter: string, opensAt: number, closesAt: number, extra = {}) =>
			makeExam(db, { actorId: admin, quarter, blueprint: bank.blueprint, audience, now: opensAt, opensAt, closesAt, ...extra });
		q3 = await exam('2026Q3', now - 90 * day, now - 60 * day);
		q4 = await exam('2026Q4', now - 2 * day, now + 5 * day);
		practice = await exam('2026Q4', now - 2 * day, now + 5 * day, { kind: 'practice' });
		draft = await exam('2026Q4', now - 2 * day, now + 5 * day, { publish: false });
		await exam('2027Q1', now + 30 * day, now + 60 * day);
		// 2026Q3: a1 100%, a2 10%, b1 40%, c1 80%.
		await takeTest(db, q3, a1, now - 80 * day);
		await takeTest(db, q3, a2, now - 80 * day, (item) => answerFor(item.key, item.key.type === 'true_false'));
		await takeTest(db, q3, b1, now - 80 * day, (item) => answerFor(item.key, item.key.type === 'single'));
		await takeTest(db, q3, c1, now - 80 * day, (item) => answerFor(item.key, item.key.type !== 'fill'));
		// 2026Q4: a1 100%, b1 0%.
		await takeTest(db, q4, a1, now - 30 * minute);
		await takeTest(db, q4, b1, now - 30 * minute, (item) => answerFor(item.key, false));
		await takeTest(db, practice, c1, now - 10 * minute);
	});

	it('lists the counted tests that have opened, newest first', async () => {
		expect(await testList(db, undefined, now)).toEqual([
			{ id: q4, title: '测试用季度测试', quarter: '2026Q4', open: true, takers: 2, mean: 50, passRate: 0.5 },
			{ id: q3, title: '测试用季度测试', quarter: '2026Q3', open: false, takers: 4, mean: 57.5, passRate: 0.5 }
		]);
		// 一支部 only: a1 and a2 in 2026Q3 (100, 10), a1 in 2026Q4.
		expect((await testList(db, [tree.branchA], now)).map((t) => [t.takers, t.mean])).toEqual([
			[1, 100],
			[2, 55]
		]);
	});

	it('counts takers per band of ten with the pass mark in percent', async () => {
		const d = await testDistribution(db, q3, { id: null }, now);
		expect(d?.test).toMatchObject({ id: q3, passCents: 600, totalCents: 1000, passPercent: 60, open: false });
		// 10 → 10–20, 40 → 40–50, 80 → 80–90, 100 → the last band 90–100.
		expect(d?.bins).toEqual([0, 1, 0, 0, 1, 0, 0, 0, 1, 1]);
		expect(d?.summary).toEqual({ takers: 4, passed: 2, expected: 5, mean: 57.5, median: 60, passRate: 0.5, participation: 0.8 });
		expect(histogramTable(d!).rows.at(-1)).toEqual(['90–100', 1]);
	});

	it('compares the units directly below the chosen one', async () => {
		// The whole organization: the root's children (the root's own member, the committee, was not expected).
		const all = await testDistribution(db, q3, { id: null }, now);
		expect(all?.units).toEqual([
			// 总支: a1 a2 a3 b1 expected; 100, 10, 40 → mean 50, median 40, one pass.
			{ id: tree.general, name: '测试总支', direct: false, expected: 4, takers: 3, passed: 1, mean: 50, median: 40, passRate: 1 / 3, participation: 0.75 },
			{ id: tree.branchC, name: '机关支部', direct: false, expected: 1, takers: 1, passed: 1, mean: 80, median: 80, passRate: 1, participation: 1 }
		]);
		const general = await testDistribution(db, q3, { id: tree.general, unitIds: [tree.general, tree.branchA, tree.branchB] }, now);
		expect(general?.bins).toEqual([0, 1, 0, 0, 1, 0, 0, 0, 0, 1]);
		expect(general?.units.map((u) => [u.name, u.expected, u.takers, u.mean])).toEqual([
			['一支部', 3, 2, 55],
			['二支部', 1, 1, 40]
		]);
		// A branch has no units below it: its own members are the one row.
		const branch = await testDistribution(db, q3, { id: tree.branchA, unitIds: [tree.branchA] }, now);
		expect(unitComparisonTable(branch!).rows).toEqual([['一支部（本级党员）', 3, 2, 66.7, 55, 55, 50]]);
	});

	it('knows only published quarterly tests', async () => {
		expect(await testDistribution(db, practice, { id: null }, now)).toBeUndefined();
		expect(await testDistribution(db, draft, { id: null }, now)).toBeUndefined();
		expect(await testDistribution(db, 999999, { id: null }, now)).toBeUndefined();
	});

	it('closes the last band so that 100 falls in it', () => {
		expect([0, 9.99, 10, 59.99, 60, 99.9, 100].map(binOf)).toEqual([0, 0, 1, 5, 6, 9, 9]);
	});
});
