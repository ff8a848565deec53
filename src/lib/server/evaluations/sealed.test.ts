import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../db';
import { freshDatabase } from '../testing/db';
import { fullBallot, makeCampaign, makeLeadersAndRaters, overallAndItem, type CampaignFixture } from '../testing/evaluations';
import { leadersOverview } from '../analytics/leaders';
import { castBallot, resultsAt, resultsSettleMs } from './ballots';
import { closeEarly, getCampaign, updateSettings } from './campaigns';
import { campaignResults, leaderHistory, ownResults, releaseResults, resultsByGroup, type CampaignResults } from './results';

// Issue 16: while the real run is open nobody sees a figure drawn from ballots (the domain refuses it, whoever
// asks), and once it has closed the figures are exactly those of the ballots cast, and never change again.

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

let opened: OpenedDatabase;
let leaders: number[];
let raters: number[];
let unitId: number;

const criteria = overallAndItem;

beforeEach(async () => {
	opened = await freshDatabase();
	({ unitId, leaders, raters } = await makeLeadersAndRaters(opened.db, 12));
});

afterEach(async () => {
	await opened.db.destroy();
});

/** A deterministic spread of levels and comments, different for every rater. */
function ballotOf(f: CampaignFixture, i: number) {
	const ballot = fullBallot(f, (t, c) => (i * 7 + t * 3 + c) % 4);
	if (i % 3 !== 2) ballot.comments[f.targetIds[i % f.targetIds.length] as number] = `第${i}条意见`;
	return ballot;
}

/** What may change from one ballot to the next while the run is open: turnout, and nothing else. */
function withoutTurnout(r: CampaignResults | null) {
	if (!r) return r;
	return {
		...r,
		ballots: 'turnout',
		groups: r.groups.map((g) => ({ ...g, ratedMembers: 'turnout', codesUsed: 'turnout', ballots: 'turnout', visible: 'turnout' })),
		targets: r.targets.map((t) => ({ ...t, ballots: 'turnout' }))
	};
}

describe('an open real run gives turnout only', () => {
	it('refuses every figure, comment and rate at the domain function, for the campaign, each group, a leader and the dashboards', async () => {
		const f = await makeCampaign(opened.db, {
			targets: leaders,
			criteria,
			threshold: 3,
			groups: [{ name: '党员', unitIds: [unitId] }, { name: '领导班子' }]
		});
		const now = Date.now();
		let before: unknown[] | null = null;
		for (let i = 0; i < raters.length; i++) {
			expect((await castBallot(opened.db, f.id, { kind: 'member', memberId: raters[i] as number }, ballotOf(f, i))).ok).toBe(true);
			const all = await campaignResults(opened.db, f.id, { now });
			expect(all?.phase).toBe('open');
			expect(all?.ballots).toBe(i + 1);
			expect(all?.withheld).toEqual({ reason: 'campaign_open', resultsAt: resultsAt({ closes_at: (await getCampaign(opened.db, f.id))?.closesAt ?? 0 }) });
			for (const t of all?.targets ?? []) {
				expect(t).toMatchObject({ criteria: null, score: null, scoreWithheld: null, comments: null, excellentOverThird: false, withheld: { reason: 'campaign_open' } });
			}
			const group = await campaignResults(opened.db, f.id, { now, groupId: f.groupIds[0] });
			expect(group?.targets.every((t) => t.criteria === null && t.comments === null)).toBe(true);
			const both = await resultsByGroup(opened.db, f.id, now);
			const history = await leaderHistory(opened.db, leaders[0] as number, now);
			expect(history?.rows).toEqual([expect.objectContaining({ phase: 'open', ballots: null, overall: null, score: null, withheld: expect.objectContaining({ reason: 'campaign_open' }) })]);
			const overview = await leadersOverview(opened.db, now);
			// Apart from turnout, every view is the same after this ballot as before it.
			const views = [withoutTurnout(all), withoutTurnout(group), withoutTurnout(both?.all ?? null), ...(both?.byGroup ?? []).map(withoutTurnout), history, overview];
			if (before) expect(views).toEqual(before);
			before = views;
			// Nothing of a ballot's content anywhere in what the committee is given.
			expect(JSON.stringify(views)).not.toMatch(/意见|"levels"|topRate/);
		}
		expect(await ownResults(opened.db, f.id, leaders[0] as number, now)).toBeNull();
		expect(await releaseResults(opened.db, f.id, now)).toEqual({ ok: false, problem: 'not_closed' });
	});

	it('stays open for a few seconds after the end: no ballot is taken then, and results appear after it', async () => {
		const now = Date.now();
		const f = await makeCampaign(opened.db, { targets: leaders, criteria, threshold: 3, opensAt: now - day, closesAt: now + hour, now: now - day });
		for (let i = 0; i < 3; i++) await castBallot(opened.db, f.id, { kind: 'member', memberId: raters[i] as number }, ballotOf(f, i), now);
		const end = now + hour;
		expect(await castBallot(opened.db, f.id, { kind: 'member', memberId: raters[3] as number }, ballotOf(f, 3), end)).toEqual({ ok: false, problem: 'not_open' });
		expect((await campaignResults(opened.db, f.id, { now: end + resultsSettleMs - 1 }))?.phase).toBe('open');
		const final = await campaignResults(opened.db, f.id, { now: end + resultsSettleMs });
		expect(final?.phase).toBe('final');
		expect(final?.targets[0]?.criteria).not.toBeNull();
	});
});

describe('after close', () => {
	it('publishes exactly the counts and comments of the ballots cast, for the campaign and each shown group', async () => {
		const now = Date.now();
		const f = await makeCampaign(opened.db, {
			targets: leaders,
			criteria,
			threshold: 3,
			opensAt: now - day,
			closesAt: now + hour,
			now: now - day,
			groups: [{ name: '党员', unitIds: [unitId] }, { name: '群众', membersRate: false }],
			codes: { 1: 4 }
		});
		// What the test cast, group by group: the expected figures are counted from these, not from the database.
		const cast: { group: number; ballot: ReturnType<typeof ballotOf> }[] = [];
		for (let i = 0; i < 9; i++) {
			const ballot = ballotOf(f, i);
			expect((await castBallot(opened.db, f.id, { kind: 'member', memberId: raters[i] as number }, ballot, now)).ok).toBe(true);
			cast.push({ group: f.groupIds[0] as number, ballot });
		}
		for (const [j, code] of (f.codes.get(f.groupIds[1] as number) ?? []).entries()) {
			const ballot = ballotOf(f, 20 + j);
			expect((await castBallot(opened.db, f.id, { kind: 'code', code }, ballot, now)).ok).toBe(true);
			cast.push({ group: f.groupIds[1] as number, ballot });
		}
		const after = now + hour + resultsSettleMs;
		const check = (r: CampaignResults | null, groupId: number | null) => {
			const mine = cast.filter((c) => groupId === null || c.group === groupId);
			expect(r?.withheld).toBeNull();
			for (const t of r?.targets ?? []) {
				expect(t.ballots).toBe(mine.length);
				for (const c of t.criteria ?? []) {
					const counts = c.levels.map((_, level) => mine.filter((b) => b.ballot.ratings[t.targetId]?.[c.criterionId] === level).length);
					expect(c.levels.map((l) => l.count)).toEqual(counts);
				}
				const comments = mine.map((b) => b.ballot.comments[t.targetId]).filter((x): x is string => x !== undefined);
				expect([...(t.comments ?? [])].sort()).toEqual(comments.sort());
			}
		};
		const all = await campaignResults(opened.db, f.id, { now: after });
		expect(all?.phase).toBe('final');
		check(all, null);
		// 9 and 4 ballots with a threshold of 3: both groups reach it and may be shown on their own.
		for (const g of all?.groups ?? []) {
			expect(g.visible).toBe(true);
			check(await campaignResults(opened.db, f.id, { now: after, groupId: g.groupId }), g.groupId);
		}
		// Later reads give the same figures (comments in a fresh order): nothing is added after close.
		const later = await campaignResults(opened.db, f.id, { now: after + day, pick: () => 0 });
		check(later, null);
	});
});

describe('closing early', () => {
	it('ends the window now, to the minute, cannot be undone, and refuses a campaign that is not open', async () => {
		const now = Date.now();
		const f = await makeCampaign(opened.db, { targets: leaders, criteria, threshold: 3, opensAt: now - day, closesAt: now + day, now: now - day });
		for (let i = 0; i < 3; i++) await castBallot(opened.db, f.id, { kind: 'member', memberId: raters[i] as number }, ballotOf(f, i), now);
		const at = now + 5 * minute + 42_000;
		expect(await closeEarly(opened.db, f.id, at)).toEqual({ ok: true, eligible: 3 });
		const closed = await getCampaign(opened.db, f.id);
		expect(closed?.closesAt).toBe(at - (at % minute));
		expect(await castBallot(opened.db, f.id, { kind: 'member', memberId: raters[3] as number }, ballotOf(f, 3), at)).toEqual({ ok: false, problem: 'not_open' });
		expect(await closeEarly(opened.db, f.id, at + 1)).toEqual({ ok: false, problem: 'not_open' });
		// Reopening by moving the end later is refused; the title can still be corrected.
		const settings = { title: '改名', year: 2026, kind: 'study_review' as const, opensAt: closed?.opensAt ?? 0, closesAt: closed?.closesAt ?? 0, threshold: 3, commentsEnabled: true };
		expect(await updateSettings(opened.db, f.id, { ...settings, closesAt: at + day }, at + minute)).toMatchObject({ ok: false, problem: 'locked', errors: { closesAt: 'locked' } });
		expect(await updateSettings(opened.db, f.id, settings, at + minute)).toEqual({ ok: true });
		expect((await campaignResults(opened.db, f.id, { now: (closed?.closesAt ?? 0) + resultsSettleMs }))?.phase).toBe('final');

		const draft = await makeCampaign(opened.db, { targets: leaders, criteria, status: 'draft' });
		expect(await closeEarly(opened.db, draft.id, now)).toEqual({ ok: false, problem: 'not_open' });
		const scheduled = await makeCampaign(opened.db, { targets: leaders, criteria, opensAt: now + day, closesAt: now + 2 * day });
		expect(await closeEarly(opened.db, scheduled.id, now)).toEqual({ ok: false, problem: 'not_open' });
		expect(await closeEarly(opened.db, 999_999, now)).toEqual({ ok: false, problem: 'not_found' });
	});
});
