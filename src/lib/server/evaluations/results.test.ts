import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../db';
import { freshDatabase } from '../testing/db';
import { fullBallot, makeCampaign, makeLeadersAndRaters, overallAndItem, type CampaignFixture } from '../testing/evaluations';
import { castBallot } from './ballots';
import { generateCodes, voidBatch } from './codes';
import { leaderScale, memberScale } from './defaults';
import { campaignResults, leaderHistory, ownResults, releaseResults, shuffled, visibleGroups } from './results';

// Hand-computed fixtures: two targets, an overall rating on 优秀/称职/基本称职/不称职 (scores 1/0.8/0.6/0.4) and
// one item on 好/较好/一般/差 (same scores). Every number below is worked out in the comment beside it.

let opened: OpenedDatabase;
let unitId: number;
let leaders: number[];
let raters: number[];

const criteria = overallAndItem;

beforeEach(async () => {
	opened = await freshDatabase();
	({ unitId, leaders, raters } = await makeLeadersAndRaters(opened.db, 8));
});

afterEach(async () => {
	await opened.db.destroy();
});

const member = (i: number) => ({ kind: 'member' as const, memberId: raters[i] as number });

/** Casts one ballot per level pattern: `overall[i]` for the first target's overall rating, `item` elsewhere. */
async function castMembers(f: CampaignFixture, overall: number[], item = 1, now?: number) {
	for (const [i, level] of overall.entries()) {
		const r = await castBallot(opened.db, f.id, member(i), fullBallot(f, (t, c) => (t === f.targetIds[0] && c === f.criterionIds[0] ? level : item)), now);
		expect(r.ok).toBe(true);
	}
}

describe('visibleGroups (no slice by subtraction)', () => {
	it('shows a group when it and the rest reach the threshold, or when the rest is empty', () => {
		expect(visibleGroups([{ groupId: 1, ballots: 18 }, { groupId: 2, ballots: 12 }], 5)).toEqual(new Set([1, 2]));
		expect(visibleGroups([{ groupId: 1, ballots: 6 }, { groupId: 2, ballots: 0 }], 5)).toEqual(new Set([1]));
		// 党员 6, 群众 3: showing 党员 would give 群众's 3 ballots as campaign minus 党员.
		expect(visibleGroups([{ groupId: 1, ballots: 6 }, { groupId: 2, ballots: 3 }], 5)).toEqual(new Set());
		expect(visibleGroups([{ groupId: 1, ballots: 4 }], 5)).toEqual(new Set());
	});

	it('with three groups, hides one more so that the hidden ones together reach the threshold', () => {
		// 10 + 10 + 2: showing both 10s gives the 2 by subtraction; hiding one 10 leaves 12 hidden.
		expect(visibleGroups([{ groupId: 1, ballots: 10 }, { groupId: 2, ballots: 11 }, { groupId: 3, ballots: 2 }], 5)).toEqual(new Set([2]));
		expect(visibleGroups([{ groupId: 1, ballots: 5 }, { groupId: 2, ballots: 5 }, { groupId: 3, ballots: 5 }], 5)).toEqual(new Set([1, 2, 3]));
	});

	it('never leaves a derivable slice between 1 and threshold-1 ballots (random counts)', () => {
		let seed = 7;
		const rand = (n: number) => {
			seed = (seed * 1103515245 + 12345) % 2147483648;
			return seed % n;
		};
		for (let run = 0; run < 2000; run++) {
			const threshold = 3 + rand(5);
			const counts = Array.from({ length: 1 + rand(5) }, (_, i) => ({ groupId: i, ballots: rand(3 * threshold) }));
			const shown = visibleGroups(counts, threshold);
			// What the committee can combine: the campaign, each shown group, their unions, and the campaign minus
			// any union of shown groups. Every such slice must be empty or reach the threshold.
			const shownCounts = counts.filter((g) => shown.has(g.groupId)).map((g) => g.ballots);
			const total = counts.reduce((s, g) => s + g.ballots, 0);
			// Below the threshold the campaign itself is withheld, and no group can be shown.
			if (total < threshold) {
				expect(shown.size).toBe(0);
				continue;
			}
			for (let mask = 0; mask < 1 << shownCounts.length; mask++) {
				const union = shownCounts.reduce((s, n, i) => (mask & (1 << i) ? s + n : s), 0);
				for (const slice of [union, total - union]) expect(slice === 0 || slice >= threshold).toBe(true);
			}
		}
	});
});

describe('campaignResults', () => {
	// The fixtures' campaigns close in a day; their results are read after that (an open run gives none).
	const afterClose = { now: Date.now() + 2 * 86_400_000 };

	it('counts each level, its share, the two rates named after the scale, and the mean score', async () => {
		const f = await makeCampaign(opened.db, { targets: leaders, criteria, threshold: 5 });
		// First target's overall: 优秀 ×3, 称职, 基本称职, 不称职 → 3/6 = 50%, 优秀+称职 4/6; score (3 + 0.8 + 0.6 + 0.4)/6 = 0.8.
		await castMembers(f, [0, 0, 0, 1, 2, 3]);
		const r = await campaignResults(opened.db, f.id, afterClose);
		expect(r?.phase).toBe('final');
		expect(r?.ballots).toBe(6);
		expect(r?.withheld).toBeNull();
		const [first, second] = r?.targets ?? [];
		expect(first?.ballots).toBe(6);
		const overall = first?.criteria?.[0];
		expect(overall?.levels).toEqual([
			{ label: '优秀', count: 3, rate: 0.5 },
			{ label: '称职', count: 1, rate: 1 / 6 },
			{ label: '基本称职', count: 1, rate: 1 / 6 },
			{ label: '不称职', count: 1, rate: 1 / 6 }
		]);
		expect(overall?.topLabel).toBe('优秀');
		expect(overall?.topRate).toBe(0.5);
		expect(overall?.topTwoLabels).toEqual(['优秀', '称职']);
		expect(overall?.topTwoRate).toBeCloseTo(4 / 6, 10);
		expect(overall?.score).toBeCloseTo(0.8, 10);
		// The item: 较好 ×6 → 好率 0, 好+较好 100%, score 0.8.
		const item = first?.criteria?.[1];
		expect(item?.topTwoLabels).toEqual(['好', '较好']);
		expect(item?.topRate).toBe(0);
		expect(item?.topTwoRate).toBe(1);
		expect(first?.score).toBeCloseTo(0.8, 10);
		// The second target: 称职 on everything → score 0.8, 优秀率 0.
		expect(second?.criteria?.[0]?.levels.map((l) => l.count)).toEqual([0, 6, 0, 0]);
		expect(second?.score).toBeCloseTo(0.8, 10);
	});

	it('weights the groups’ mean scores when the campaign is weighted, and shows a group that may be shown', async () => {
		const f = await makeCampaign(opened.db, {
			targets: leaders,
			criteria,
			weighted: true,
			groups: [
				{ name: '党员', weightPct: 60, unitIds: [unitId] },
				{ name: '教职工群众', weightPct: 40, membersRate: false }
			],
			codes: { 1: 5 }
		});
		// 党员: 5 ballots of 优秀 (mean 1); 群众: 5 ballots of 基本称职 (mean 0.6).
		await castMembers(f, [0, 0, 0, 0, 0]);
		for (const code of f.codes.get(f.groupIds[1] as number) ?? []) {
			expect((await castBallot(opened.db, f.id, { kind: 'code', code }, fullBallot(f, (t, c) => (t === f.targetIds[0] && c === f.criterionIds[0] ? 2 : 1)))).ok).toBe(true);
		}
		const r = await campaignResults(opened.db, f.id, afterClose);
		const overall = r?.targets[0]?.criteria?.[0];
		// Plain mean would be 0.8; weighted 0.6 × 1 + 0.4 × 0.6 = 0.84.
		expect(overall?.score).toBeCloseTo(0.84, 10);
		expect(r?.targets[0]?.score).toBeCloseTo(0.84, 10);
		expect(overall?.levels.map((l) => l.count)).toEqual([5, 0, 5, 0]);
		expect(r?.groups.map((g) => [g.name, g.ballots, g.visible])).toEqual([
			['党员', 5, true],
			['教职工群众', 5, true]
		]);
		// A group's slice is that group alone, its score the group's plain mean.
		const members = await campaignResults(opened.db, f.id, { ...afterClose, groupId: f.groupIds[0] });
		expect(members?.withheld).toBeNull();
		expect(members?.targets[0]?.ballots).toBe(5);
		expect(members?.targets[0]?.criteria?.[0]?.levels.map((l) => l.count)).toEqual([5, 0, 0, 0]);
		expect(members?.targets[0]?.score).toBe(1);
	});

	it('withholds a group whose complement is below the threshold, and a weighted score mixing in a small group', async () => {
		const f = await makeCampaign(opened.db, {
			targets: leaders,
			criteria,
			weighted: true,
			groups: [
				{ name: '党员', weightPct: 50, unitIds: [unitId] },
				{ name: '教职工群众', weightPct: 50, membersRate: false }
			],
			codes: { 1: 2 }
		});
		await castMembers(f, [0, 0, 0, 0, 0, 0]);
		for (const code of f.codes.get(f.groupIds[1] as number) ?? []) expect((await castBallot(opened.db, f.id, { kind: 'code', code }, fullBallot(f, 3))).ok).toBe(true);
		const r = await campaignResults(opened.db, f.id, afterClose);
		// The whole campaign (8 ballots) is shown: counts 6 优秀 + 2 不称职 …
		expect(r?.targets[0]?.criteria?.[0]?.levels.map((l) => l.count)).toEqual([6, 0, 0, 2]);
		// … but not a weighted score: with the counts it would give the 2 codes' mean.
		expect(r?.targets[0]?.score).toBeNull();
		expect(r?.targets[0]?.scoreWithheld).toEqual({ reason: 'small_group_weight' });
		expect(r?.targets[0]?.criteria?.[0]?.score).toBeNull();
		// Neither group may be filtered on: 党员 would give 群众's 2 by subtraction.
		expect(r?.groups.map((g) => g.visible)).toEqual([false, false]);
		const members = await campaignResults(opened.db, f.id, { ...afterClose, groupId: f.groupIds[0] });
		expect(members?.withheld).toEqual({ reason: 'group_hidden' });
		expect(members?.targets[0]?.criteria).toBeNull();
		expect(members?.targets[0]?.comments).toBeNull();
		const codes = await campaignResults(opened.db, f.id, { ...afterClose, groupId: f.groupIds[1] });
		expect(codes?.withheld).toEqual({ reason: 'below_threshold', ballots: 2 });
		expect(codes?.targets.every((t) => t.criteria === null)).toBe(true);
	});

	it('shows nothing of the contents below the threshold and everything at it', async () => {
		const f = await makeCampaign(opened.db, { targets: leaders, criteria, threshold: 5 });
		for (let i = 0; i < 4; i++) {
			const ballot = fullBallot(f, 0);
			ballot.comments[f.targetIds[0] as number] = `意见${i}`;
			await castBallot(opened.db, f.id, member(i), ballot);
		}
		const below = await campaignResults(opened.db, f.id, afterClose);
		expect(below?.ballots).toBe(4);
		expect(below?.withheld).toEqual({ reason: 'below_threshold', ballots: 4 });
		for (const t of below?.targets ?? []) {
			expect(t).toMatchObject({ ballots: 4, criteria: null, score: null, comments: null, withheld: { reason: 'below_threshold', ballots: 4 } });
		}
		// Turnout is participation, not content: shown whatever the count. Any member may rate here: 8 + 2 leaders.
		expect(below?.groups[0]).toMatchObject({ eligibleMembers: 10, ratedMembers: 4, ballots: 4 });
		await castBallot(opened.db, f.id, member(4), fullBallot(f, 1));
		const at = await campaignResults(opened.db, f.id, afterClose);
		expect(at?.withheld).toBeNull();
		expect(at?.targets[0]?.criteria?.[0]?.levels.map((l) => l.count)).toEqual([4, 1, 0, 0]);
		expect([...(at?.targets[0]?.comments ?? [])].sort()).toEqual(['意见0', '意见1', '意见2', '意见3']);
		expect(at?.targets[1]?.comments).toEqual([]);
	});

	it('gives the comments in the order the shuffle picks, and none when comments are off', async () => {
		const f = await makeCampaign(opened.db, { targets: [leaders[0] as number], criteria, threshold: 3 });
		for (let i = 0; i < 3; i++) {
			const ballot = fullBallot(f, 0);
			ballot.comments[f.targetIds[0] as number] = `意见${i}`;
			await castBallot(opened.db, f.id, member(i), ballot);
		}
		const stored = (await campaignResults(opened.db, f.id, { ...afterClose, pick: (n) => n - 1 }))?.targets[0]?.comments ?? [];
		const moved = (await campaignResults(opened.db, f.id, { ...afterClose, pick: () => 0 }))?.targets[0]?.comments ?? [];
		// pick(n) = n-1 swaps nothing (the stored order); pick = 0 rotates it.
		expect(moved).toEqual([...stored.slice(1), stored[0]]);
		expect(shuffled([1, 2, 3], () => 0)).toEqual([2, 3, 1]);

		const off = await makeCampaign(opened.db, { targets: [leaders[0] as number], criteria, threshold: 3, commentsEnabled: false });
		for (let i = 0; i < 3; i++) await castBallot(opened.db, off.id, member(i), fullBallot(off, 0));
		expect((await campaignResults(opened.db, off.id, afterClose))?.targets[0]?.comments).toBeNull();
	});

	it('warns when 优秀 exceeds one third in 民主评议党员', async () => {
		const f = await makeCampaign(opened.db, { kind: 'member_review', targets: leaders, criteria: [{ name: '总体评价', levels: memberScale, isOverall: true }] });
		// First target: 3 of 6 优秀 (more than a third); second: 2 of 6 (exactly a third, no warning).
		for (let i = 0; i < 6; i++) {
			await castBallot(opened.db, f.id, member(i), fullBallot(f, (t) => (t === f.targetIds[0] ? (i < 3 ? 0 : 1) : i < 2 ? 0 : 1)));
		}
		const r = await campaignResults(opened.db, f.id, afterClose);
		expect(r?.targets.map((t) => t.excellentOverThird)).toEqual([true, false]);
		expect(r?.targets[0]?.criteria?.[0]?.topTwoLabels).toEqual(['优秀', '合格']);
		// The same counts in a 述学评学 campaign give no warning: the rule is 民主评议党员's.
		const other = await makeCampaign(opened.db, { targets: leaders, criteria: [{ name: '总体评价', levels: leaderScale, isOverall: true }] });
		for (let i = 0; i < 6; i++) await castBallot(opened.db, other.id, member(i), fullBallot(other, 0));
		expect((await campaignResults(opened.db, other.id, afterClose))?.targets.map((t) => t.excellentOverThird)).toEqual([false, false]);
	});

	it('counts turnout per group: eligible members who rated, codes issued (not voided) and used', async () => {
		const f = await makeCampaign(opened.db, {
			targets: leaders,
			criteria,
			groups: [
				{ name: '党员', unitIds: [unitId] },
				{ name: '教职工群众', membersRate: false }
			],
			codes: { 1: 4 }
		});
		const thrownAway = await generateCodes(opened.db, f.id, f.groupIds[1] as number, 3);
		await voidBatch(opened.db, f.id, thrownAway.batch);
		await castMembers(f, [0, 0, 0]);
		const codes = f.codes.get(f.groupIds[1] as number) ?? [];
		for (const code of codes.slice(0, 2)) await castBallot(opened.db, f.id, { kind: 'code', code }, fullBallot(f, 0));
		const r = await campaignResults(opened.db, f.id, afterClose);
		expect(r?.groups.map((g) => ({ name: g.name, e: g.eligibleMembers, rated: g.ratedMembers, issued: g.codesIssued, used: g.codesUsed, ballots: g.ballots }))).toEqual([
			{ name: '党员', e: 8, rated: 3, issued: 0, used: 0, ballots: 3 },
			{ name: '教职工群众', e: 0, rated: 0, issued: 4, used: 2, ballots: 2 }
		]);
	});

	it('gives only the ballot count for draft and trial campaigns, and null for unknown campaigns and groups', async () => {
		const trial = await makeCampaign(opened.db, { targets: leaders, criteria, status: 'trial', threshold: 3 });
		for (let i = 0; i < 4; i++) await castBallot(opened.db, trial.id, member(i), fullBallot(trial, 0));
		const r = await campaignResults(opened.db, trial.id);
		expect(r).toMatchObject({ phase: 'trial', ballots: 4, targets: [] });
		const draft = await makeCampaign(opened.db, { targets: leaders, criteria, status: 'draft' });
		expect(await campaignResults(opened.db, draft.id)).toMatchObject({ phase: 'draft', ballots: 0, targets: [] });
		expect(await campaignResults(opened.db, 999_999)).toBeNull();
		expect(await campaignResults(opened.db, trial.id, { groupId: 999_999 })).toBeNull();
	});
});

describe('releasing and a target’s own results', () => {
	const day = 86_400_000;

	async function closedCampaign(now: number) {
		const f = await makeCampaign(opened.db, { targets: leaders, criteria, opensAt: now - 2 * day, closesAt: now - day, now: now - 3 * day });
		await castMembers(f, [0, 0, 1, 1, 2], 1, now - 1.5 * day);
		return f;
	}

	it('releases only a closed campaign, once', async () => {
		const now = Date.now();
		const live = await makeCampaign(opened.db, { targets: leaders, criteria });
		expect(await releaseResults(opened.db, live.id, now)).toEqual({ ok: false, problem: 'not_closed' });
		const f = await closedCampaign(now);
		expect((await campaignResults(opened.db, f.id, { now }))?.phase).toBe('final');
		expect(await releaseResults(opened.db, f.id, now)).toEqual({ ok: true });
		expect(await releaseResults(opened.db, f.id, now + 1)).toEqual({ ok: false, problem: 'already_released' });
		expect((await opened.db.selectFrom('evaluation').select('results_released_at').where('id', '=', f.id).executeTakeFirstOrThrow()).results_released_at).toBe(now);
		expect(await releaseResults(opened.db, 999_999, now)).toEqual({ ok: false, problem: 'not_found' });
	});

	it('shows a target only their own row, and only once released', async () => {
		const now = Date.now();
		const f = await closedCampaign(now);
		expect(await ownResults(opened.db, f.id, leaders[0] as number, now)).toBeNull();
		await releaseResults(opened.db, f.id, now);
		const own = await ownResults(opened.db, f.id, leaders[0] as number, now);
		expect(own?.targets.map((t) => t.memberId)).toEqual([leaders[0]]);
		// 优秀 ×2, 称职 ×2, 基本称职 → 优秀率 40%, 优秀+称职 80%, score (2 + 1.6 + 0.6)/5 = 0.84.
		expect(own?.targets[0]?.criteria?.[0]?.levels.map((l) => l.count)).toEqual([2, 2, 1, 0]);
		expect(own?.targets[0]?.score).toBeCloseTo(0.84, 10);
		expect(own?.groups.every((g) => !g.visible)).toBe(true);
		// Not a target of it: nothing, the same as for a campaign that does not exist.
		expect(await ownResults(opened.db, f.id, raters[0] as number, now)).toBeNull();
		expect(await ownResults(opened.db, 999_999, leaders[0] as number, now)).toBeNull();
	});

	it('lists one leader’s campaigns newest first, leaving out drafts and respecting the threshold', async () => {
		const now = Date.now();
		const old = await closedCampaign(now);
		await opened.db.updateTable('evaluation').set({ year: 2025, title: '2025年度述学评学' }).where('id', '=', old.id).execute();
		const current = await makeCampaign(opened.db, { targets: [leaders[0] as number], criteria, threshold: 5 });
		await castBallot(opened.db, current.id, member(0), fullBallot(current, 0));
		await makeCampaign(opened.db, { targets: [leaders[0] as number], criteria, status: 'draft' });
		const history = await leaderHistory(opened.db, leaders[0] as number, now);
		expect(history?.name).toBe('校长甲');
		expect(history?.rows.map((r) => [r.year, r.phase, r.ballots])).toEqual([
			[2026, 'open', null],
			[2025, 'final', 5]
		]);
		expect(history?.rows[0]).toMatchObject({ overall: null, score: null, withheld: { reason: 'campaign_open' } });
		expect(history?.rows[1]?.overall).toMatchObject({ name: '总体评价', topRate: 0.4, topTwoRate: 0.8 });
		expect(history?.rows[1]?.score).toBeCloseTo(0.84, 10);
		expect(await leaderHistory(opened.db, 999_999, now)).toBeNull();
	});
});
