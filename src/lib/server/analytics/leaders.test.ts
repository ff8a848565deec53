import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../db';
import { castBallot } from '../evaluations/ballots';
import { itemScale, leaderScale } from '../evaluations/defaults';
import { leaderHistory } from '../evaluations/results';
import { freshDatabase, makeMember, makeUnit } from '../testing/db';
import { fullBallot, makeCampaign } from '../testing/evaluations';
import { leadersOverview } from './leaders';

const day = 24 * 60 * 60_000;
const now = Date.UTC(2026, 11, 10, 2);
const criteria = [
	{ name: '总体评价', levels: leaderScale, isOverall: true },
	{ name: '学习态度', levels: itemScale, isOverall: false }
];

let opened: OpenedDatabase;
let principal: number, secretary: number, deputy: number, retired: number;
let raters: number[];

beforeEach(async () => {
	opened = await freshDatabase();
	const db = opened.db;
	const root = await makeUnit(db, { name: '党委', kind: 'committee' });
	const branch = await makeUnit(db, { name: '一支部', kind: 'branch', parentId: root });
	principal = await makeMember(db, { unitId: root, isLeader: true, name: '校长甲', loginId: 'l1', positionTitle: '校长' });
	// A target who is not (or no longer) marked as a leader keeps their history.
	secretary = await makeMember(db, { unitId: branch, name: '书记乙', loginId: 'l2' });
	// A leader nobody has evaluated yet: listed, with no rows.
	deputy = await makeMember(db, { unitId: branch, isLeader: true, name: '副校长丙', loginId: 'l3' });
	retired = await makeMember(db, { unitId: branch, isLeader: true, name: '退休丁', loginId: 'l4', status: 'disabled' });
	raters = [];
	for (let i = 0; i < 6; i++) raters.push(await makeMember(db, { unitId: branch }));
});

afterEach(async () => {
	await opened.db.destroy();
});

describe('leaders overview', () => {
	it('gives each leader the same rows as their own page, oldest first, drafts left out', async () => {
		const db = opened.db;
		// 2025, closed: five ballots, principal's overall 优秀 ×2, 称职 ×2, 基本称职 → 优秀率 0.4, 优秀+称职 0.8,
		// score (1 + 1 + 0.8 + 0.8 + 0.6)/5 = 0.84.
		const old = await makeCampaign(db, { targets: [principal, secretary], criteria, opensAt: now - 400 * day, closesAt: now - 390 * day, now: now - 401 * day });
		await db.updateTable('evaluation').set({ year: 2025 }).where('id', '=', old.id).execute();
		for (const [i, level] of [0, 0, 1, 1, 2].entries()) {
			const ballot = fullBallot(old, (t, c) => (t === old.targetIds[0] && c === old.criterionIds[0] ? level : 1));
			expect((await castBallot(db, old.id, { kind: 'member', memberId: raters[i] as number }, ballot, now - 395 * day)).ok).toBe(true);
		}
		// 2026, open: one ballot, below the threshold of 5 — nothing shown but the count.
		const current = await makeCampaign(db, { targets: [principal], criteria, now: now - day, opensAt: now - day, closesAt: now + day });
		await castBallot(db, current.id, { kind: 'member', memberId: raters[0] as number }, fullBallot(current, 0), now);
		await makeCampaign(db, { targets: [principal, deputy], criteria, status: 'draft', now });

		const leaders = await leadersOverview(db, now);
		expect(leaders.map((l) => [l.name, l.positionTitle, l.unitPath, l.rows.map((r) => [r.year, r.phase, r.ballots])])).toEqual([
			['校长甲', '校长', '党委', [[2025, 'final', 5], [2026, 'open', null]]],
			['书记乙', '', '党委/一支部', [[2025, 'final', 5]]],
			['副校长丙', '', '党委/一支部', []]
		]);
		const first = leaders[0]?.rows;
		expect(first?.[0]?.overall).toMatchObject({ topRate: 0.4, topTwoRate: 0.8 });
		expect(first?.[0]?.score).toBeCloseTo(0.84, 10);
		expect(first?.[1]).toMatchObject({ withheld: { reason: 'campaign_open' }, overall: null, score: null });
		// Exactly the leader page's rows (newest first there).
		for (const l of leaders) expect([...l.rows].reverse()).toEqual((await leaderHistory(db, l.memberId, now))?.rows);
		expect(leaders.some((l) => l.memberId === retired)).toBe(false);
	});

	it('lists leaders with no campaigns at all', async () => {
		expect((await leadersOverview(opened.db, now)).map((l) => [l.name, l.rows.length])).toEqual([
			['校长甲', 0],
			['副校长丙', 0]
		]);
	});
});
