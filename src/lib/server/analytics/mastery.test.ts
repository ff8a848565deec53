import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { freshDatabase, makeMember, makeTree } from '../testing/db';
import { makeExam } from '../testing/exams';
import { answerFor, takeTest, tinyBank, type TinyBank } from '../testing/tiny-bank';
import { areaOrder, bandOf, heatTable, quarterAreaTable, quarterIndex } from '$lib/analytics/mastery';
import { areaMastery } from './mastery';

const now = Date.UTC(2026, 11, 10, 2);
const minute = 60_000;
const day = 24 * 60 * minute;

// The tiny bank's paper: 政治理论 (theory) has the first single (2), the multiple (3) and the fill (2): 7 points;
// 党章党规党纪 (charter) the second single (2), the multiple (3, it is in both areas) and the true/false (1): 6.
describe('content-area mastery', () => {
	let db: Db;
	let tree: Awaited<ReturnType<typeof makeTree>>;
	let bank: TinyBank;

	beforeEach(async () => {
		({ db } = await freshDatabase());
		tree = await makeTree(db);
		const admin = await makeMember(db, { unitId: tree.root, roles: ['committee'] });
		const a1 = await makeMember(db, { unitId: tree.branchA });
		const a2 = await makeMember(db, { unitId: tree.branchA });
		const b1 = await makeMember(db, { unitId: tree.branchB });
		const c1 = await makeMember(db, { unitId: tree.branchC });
		await makeMember(db, { unitId: tree.branchC }); // never takes a test: no area rows at all
		bank = await tinyBank(db, admin);
		const audience = { unitIds: [], roles: [], include: [], exclude: [admin] };
		const exam = (quarter: string, opensAt: number, closesAt: number, extra = {}) =>
			makeExam(db, { actorId: admin, quarter, blueprint: bank.blueprint, audience, now: opensAt, opensAt, closesAt, ...extra });
		const q3 = await exam('2026Q3', now - 90 * day, now - 60 * day);
		const q4 = await exam('2026Q4', now - 2 * day, now + 5 * day, { attemptsAllowed: 2 });
		const practice = await exam('2026Q4', now - 2 * day, now + 5 * day, { kind: 'practice' });
		const { s1, f1 } = bank.questionIds;
		// 2026Q3: a1 everything (theory 7/7, charter 6/6); a2 only the true/false (0/7, 1/6); b1 the singles (2/7, 2/6);
		// c1 only the theory single and fill (4/7, 0/6).
		await takeTest(db, q3, a1, now - 80 * day);
		await takeTest(db, q3, a2, now - 80 * day, (item) => answerFor(item.key, item.key.type === 'true_false'));
		await takeTest(db, q3, b1, now - 80 * day, (item) => answerFor(item.key, item.key.type === 'single'));
		await takeTest(db, q3, c1, now - 80 * day, (item) => answerFor(item.key, item.questionId === s1 || item.questionId === f1));
		// 2026Q4: a1 first misses the fill (5/7, 6/6), then gets everything: the better attempt counts. b1 nothing.
		await takeTest(db, q4, a1, now - 60 * minute, (item) => answerFor(item.key, item.key.type !== 'fill'));
		await takeTest(db, q4, a1, now - 30 * minute);
		await takeTest(db, q4, b1, now - 30 * minute, (item) => answerFor(item.key, false));
		await takeTest(db, practice, c1, now - 10 * minute);
	});

	it('sums earned over possible points per area and quarter', async () => {
		const mastery = await areaMastery(db, [undefined], now);
		expect(mastery.quarters).toEqual([
			{ quarter: '2026Q3', open: false },
			{ quarter: '2026Q4', open: true }
		]);
		expect(mastery.areas.map((a) => a.id)).toEqual([bank.areaIds.theory, bank.areaIds.charter]);
		const [theory, charter] = mastery.sets[0] ?? [];
		// 2026Q3 theory: 7 + 0 + 2 + 4 = 13 of 28; charter: 6 + 1 + 2 + 0 = 9 of 24.
		expect(theory?.[0]).toEqual({ earnedCents: 1300, possibleCents: 2800, attempts: 4, share: 13 / 28 });
		expect(charter?.[0]).toEqual({ earnedCents: 900, possibleCents: 2400, attempts: 4, share: 9 / 24 });
		// 2026Q4: a1's better attempt (7/7, 6/6) and b1's nothing; c1's practice test does not count.
		expect(theory?.[1]).toEqual({ earnedCents: 700, possibleCents: 1400, attempts: 2, share: 0.5 });
		expect(charter?.[1]).toEqual({ earnedCents: 600, possibleCents: 1200, attempts: 2, share: 0.5 });
	});

	it('gives each set of units its own cells, weakest area first', async () => {
		const mastery = await areaMastery(db, [[tree.branchA], [tree.branchC], [tree.root]], now);
		const [branchA, branchC, root] = mastery.sets;
		// 一支部 2026Q3: theory 7/14, charter 7/12; 机关支部: theory 4/7, charter 0/6; the root's own members took nothing.
		expect(branchA?.map((area) => area[0]?.share)).toEqual([0.5, 7 / 12]);
		expect(branchC?.map((area) => area[0]?.share)).toEqual([4 / 7, 0]);
		expect(branchC?.map((area) => area[1])).toEqual([null, null]);
		expect(root?.flat().every((cell) => cell === null)).toBe(true);
		// Weakest first: theory before charter in 一支部, charter (0%) before theory in 机关支部.
		expect(areaOrder(mastery, 0, 0)).toEqual([0, 1]);
		expect(areaOrder(mastery, 0, 1)).toEqual([1, 0]);
		// Areas with nothing that quarter go last, in the bank's order.
		expect(areaOrder(mastery, 1, 1)).toEqual([0, 1]);
	});

	it('builds the heat map and the quarter tables in percent', async () => {
		const mastery = await areaMastery(db, [undefined, [tree.branchC]], now);
		const order = areaOrder(mastery, 0, 1);
		const heat = heatTable(mastery, order, 'zh-CN', 1);
		expect(heat.columns).toEqual(['学习内容领域', '2026年第三季度', '2026年第四季度（进行中）']);
		expect(heat.rows).toEqual([
			['党章党规党纪', 0, null],
			['政治理论（党的创新理论）', 57.1, null]
		]);
		const quarter = quarterAreaTable(mastery, 0, order, ['全部单位', '机关支部'], 'zh-CN');
		expect(quarter.rows).toEqual([
			['党章党规党纪', 37.5, 0],
			['政治理论（党的创新理论）', 46.4, 57.1]
		]);
	});

	it('picks the quarter asked for, else the latest closed one', async () => {
		const quarters = [
			{ quarter: '2026Q3', open: false },
			{ quarter: '2026Q4', open: true }
		];
		expect(quarterIndex(quarters, null)).toBe(0);
		expect(quarterIndex(quarters, '2026Q4')).toBe(1);
		expect(quarterIndex(quarters, '2025Q1')).toBe(-1);
		expect(quarterIndex([{ quarter: '2026Q4', open: true }], null)).toBe(0);
		expect(quarterIndex([], null)).toBe(-1);
	});

	it('puts shares in bands of ten points from 60%', () => {
		expect([null, 0, 0.599, 0.6, 0.75, 0.8999, 0.9, 1].map(bandOf)).toEqual([null, 0, 0, 1, 2, 3, 4, 4]);
	});
});
