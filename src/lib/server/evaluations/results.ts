import { randomInt } from 'node:crypto';
import type { Db } from '../db';
import type { Evaluation, EvaluationKind } from '../db/schema';
import { parseLevels, resultsAt } from './ballots';
import type { BallotContent, Level } from './types';

// Results of a campaign (测评结果): per target and criterion the count and share of each level, the scale's two
// usual rates, a score, turnout, and comments. The rules that keep a small slice of ballots from being read:
//
// 1. The threshold. Nothing drawn from ballot contents (counts, rates, scores, comments) is shown for a slice
//    with fewer ballots than the campaign's threshold; the page says why instead. Every ballot rates every
//    target (checkBallot), so a target's slice has as many ballots as the campaign or group it is taken from.
// 2. No subtraction. The committee sees the whole campaign and may filter by rater group. Whatever is shown,
//    the figures of the groups not shown are derivable as a whole (campaign minus the shown groups), so the
//    groups left hidden must hold together either no ballot or at least the threshold. `visibleGroups` shows
//    each group that reaches the threshold, and if the groups below it hold between 1 and threshold-1 ballots
//    together, it hides the smallest shown group too (which then lifts the hidden total to the threshold).
//    With two groups this is: a group is shown when it AND the rest reach the threshold, or when the rest is
//    empty (it is the only group with ballots, and equals the campaign).
// 3. Weighted scores. A weighted score mixes per-group means; together with the campaign's plain counts it
//    would give away the mean of a small group (two equations, two unknowns). So a weighted score is shown
//    only when every group with ballots reaches the threshold; otherwise the page says why.
// 4. Turnout (eligible, rated, codes issued and used, ballots per group) is participation, not content: it is
//    shown for every group whatever its size. It says how many took part, never what anyone rated.
// 5. Comments are shown in an order shuffled at every read (their stored order says nothing either, but a
//    fixed order could be matched across reads and filters), only for slices that are shown.
//
// 6. Nothing while the real run is open. Figures that change with each ballot could be read before and after
//    one ballot and subtracted (the demo's 20 ballots were rebuilt exactly that way from the old provisional
//    page), so `campaignResults` gives an open campaign's turnout only: every target is withheld with the reason
//    `campaign_open`, and no ballot's content is even read. Every page, export and dashboard goes through it.
// 7. Final means final. Results appear `resultsSettleMs` (ten seconds) after the end (the window's, or an early close's), and
//    castBallot refuses a ballot that would be cast later than that (ballots.ts), so the set of ballots every
//    published figure is drawn from never changes once any of them is shown. A closed campaign cannot be reopened
//    (campaigns.ts), and the test run's ballots, which the committee may see, are wiped before the real run.

export type Phase = 'draft' | 'trial' | 'open' | 'final';

export type Withheld =
	| { reason: 'below_threshold'; ballots: number }
	| { reason: 'group_hidden' }
	| { reason: 'small_group_weight' }
	/** Rule 6: the real run is open; results appear at `resultsAt`. */
	| { reason: 'campaign_open'; resultsAt: number };

export type LevelCount = { label: string; count: number; rate: number };

export type CriterionResult = {
	criterionId: number;
	name: string;
	isOverall: boolean;
	ballots: number;
	levels: LevelCount[];
	/** The scale's top label (优秀, 好 …) and the share of ballots at it. */
	topLabel: string;
	topRate: number;
	/** The top two labels (优秀+称职, 好+较好 …) and their share; null for a scale of one level. */
	topTwoLabels: [string, string] | null;
	topTwoRate: number | null;
	/** 0..1 from the levels' scores; weighted by group when the campaign is; null when withheld. */
	score: number | null;
};

export type TargetResult = {
	targetId: number;
	memberId: number;
	name: string;
	positionTitle: string;
	ballots: number;
	/** Null when the slice is withheld (see `withheld`). */
	criteria: CriterionResult[] | null;
	/** The overall criterion's score, or the mean of the criteria's scores when there is no overall criterion. */
	score: number | null;
	scoreWithheld: Withheld | null;
	/** Shuffled; null when withheld or comments are off. */
	comments: string[] | null;
	/** 民主评议党员: 优秀 above one third of the ballots on the overall rating (the usual rule caps it there). */
	excellentOverThird: boolean;
	withheld: Withheld | null;
};

export type GroupTurnout = {
	groupId: number;
	name: string;
	weightPct: number | null;
	membersRate: boolean;
	/** Signed-in members fixed as eligible for this group, and how many of them have rated. */
	eligibleMembers: number;
	ratedMembers: number;
	/** Codes handed out (not voided, or used before a batch was voided) and used. */
	codesIssued: number;
	codesUsed: number;
	ballots: number;
	/** Whether a filter on this group may be shown (rule 2). */
	visible: boolean;
};

export type CampaignHeader = Pick<Evaluation, 'id' | 'title' | 'year' | 'kind' | 'status' | 'opens_at' | 'closes_at' | 'threshold' | 'weighted' | 'results_released_at' | 'comments_enabled'>;

export type CampaignResults = {
	campaign: CampaignHeader;
	phase: Phase;
	ballots: number;
	groups: GroupTurnout[];
	/** The group filtered on, or null for the whole campaign. */
	groupId: number | null;
	/** Why the slice asked for is not shown (it applies to every target); null when it is shown. */
	withheld: Withheld | null;
	/** Empty for draft and trial: only the ballot count is shown then. */
	targets: TargetResult[];
};

// ---------------------------------------------------------------------------------------------------------
// Pure parts (tested directly)

/** Rule 2: the ids of the groups whose figures may be shown beside the campaign's. */
export function visibleGroups(counts: { groupId: number; ballots: number }[], threshold: number): Set<number> {
	const shown = counts.filter((g) => g.ballots >= threshold).sort((a, b) => a.ballots - b.ballots);
	const hidden = counts.filter((g) => g.ballots < threshold).reduce((sum, g) => sum + g.ballots, 0);
	// The hidden groups together are derivable by subtraction; they must be empty or reach the threshold.
	// Hiding the smallest shown group lifts them to at least the threshold (that group alone reaches it).
	if (hidden > 0 && hidden < threshold) shown.shift();
	// A single group left shown next to a hidden rest is fine: the rest then holds at least the threshold.
	return new Set(shown.map((g) => g.groupId));
}

/** Crypto-random Fisher–Yates: comments come out in a fresh order at every read. */
export function shuffled<T>(items: T[], pick: (n: number) => number = randomInt): T[] {
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = pick(i + 1);
		[out[i], out[j]] = [out[j] as T, out[i] as T];
	}
	return out;
}

export function phaseOf(campaign: Pick<Evaluation, 'status' | 'closes_at'>, now: number): Phase {
	if (campaign.status === 'draft') return 'draft';
	if (campaign.status === 'trial') return 'trial';
	return now >= resultsAt(campaign) ? 'final' : 'open';
}

type Criterion = { id: number; name: string; isOverall: boolean; levels: Level[] };
type Ballot = { groupId: number; content: BallotContent };
type Group = { id: number; weightPct: number | null };

function parseContent(json: string): BallotContent | null {
	try {
		const value = JSON.parse(json) as Partial<BallotContent> | null;
		if (!value || typeof value !== 'object' || typeof value.ratings !== 'object' || value.ratings === null) return null;
		return { ratings: value.ratings, comments: value.comments && typeof value.comments === 'object' ? value.comments : {} };
	} catch {
		return null;
	}
}

function levelOf(b: Ballot, targetId: number, criterion: Criterion): number | null {
	const level = b.content.ratings[String(targetId)]?.[String(criterion.id)];
	return typeof level === 'number' && Number.isInteger(level) && level >= 0 && level < criterion.levels.length ? level : null;
}

/** Mean of the levels' scores over the ballots given; null when none rated. */
function meanScore(ballots: Ballot[], targetId: number, criterion: Criterion): number | null {
	let sum = 0;
	let n = 0;
	for (const b of ballots) {
		const level = levelOf(b, targetId, criterion);
		if (level === null) continue;
		sum += criterion.levels[level]?.score ?? 0;
		n++;
	}
	return n === 0 ? null : sum / n;
}

/**
 * A criterion's score for a target: the mean level score, per rater group and then weighted by the groups'
 * weights (only groups with ballots count, their weights taken in proportion) when the campaign is weighted.
 */
export function criterionScore(ballots: Ballot[], targetId: number, criterion: Criterion, groups: Group[], weighted: boolean): number | null {
	if (!weighted) return meanScore(ballots, targetId, criterion);
	let sum = 0;
	let weights = 0;
	for (const g of groups) {
		const mean = meanScore(
			ballots.filter((b) => b.groupId === g.id),
			targetId,
			criterion
		);
		if (mean === null) continue;
		const w = g.weightPct ?? 0;
		sum += w * mean;
		weights += w;
	}
	return weights === 0 ? null : sum / weights;
}

/** Counts and rates of one criterion for one target over the ballots given. */
export function countLevels(ballots: Ballot[], targetId: number, criterion: Criterion): Omit<CriterionResult, 'score'> {
	const counts = criterion.levels.map(() => 0);
	let n = 0;
	for (const b of ballots) {
		const level = levelOf(b, targetId, criterion);
		if (level === null) continue;
		counts[level] = (counts[level] ?? 0) + 1;
		n++;
	}
	const rate = (c: number) => (n === 0 ? 0 : c / n);
	const [top, second] = criterion.levels;
	return {
		criterionId: criterion.id,
		name: criterion.name,
		isOverall: criterion.isOverall,
		ballots: n,
		levels: criterion.levels.map((l, i) => ({ label: l.label, count: counts[i] ?? 0, rate: rate(counts[i] ?? 0) })),
		topLabel: top?.label ?? '',
		topRate: rate(counts[0] ?? 0),
		topTwoLabels: top && second ? [top.label, second.label] : null,
		topTwoRate: second ? rate((counts[0] ?? 0) + (counts[1] ?? 0)) : null
	};
}

// ---------------------------------------------------------------------------------------------------------
// Reading a campaign

async function header(db: Db, evaluationId: number): Promise<CampaignHeader | undefined> {
	return db
		.selectFrom('evaluation')
		.select(['id', 'title', 'year', 'kind', 'status', 'opens_at', 'closes_at', 'threshold', 'weighted', 'results_released_at', 'comments_enabled'])
		.where('id', '=', evaluationId)
		.executeTakeFirst();
}

async function turnout(db: Db, evaluationId: number, ballotsPerGroup: Map<number, number>, threshold: number): Promise<GroupTurnout[]> {
	const groups = await db
		.selectFrom('evaluation_group')
		.select(['id', 'name', 'weight_pct', 'members_rate'])
		.where('evaluation_id', '=', evaluationId)
		.orderBy('position')
		.execute();
	const eligible = await db
		.selectFrom('evaluation_eligible')
		.select(['group_id', (eb) => eb.fn.countAll<number>().as('n')])
		.where('evaluation_id', '=', evaluationId)
		.groupBy('group_id')
		.execute();
	// Who has rated is counted per group through the eligible list; participation itself records no group.
	const rated = await db
		.selectFrom('evaluation_participation as p')
		.innerJoin('evaluation_eligible as e', (j) => j.onRef('e.evaluation_id', '=', 'p.evaluation_id').onRef('e.member_id', '=', 'p.member_id'))
		.select(['e.group_id', (eb) => eb.fn.countAll<number>().as('n')])
		.where('p.evaluation_id', '=', evaluationId)
		.groupBy('e.group_id')
		.execute();
	const codes = await db
		.selectFrom('evaluation_code')
		.select(['group_id', 'used', 'voided', (eb) => eb.fn.countAll<number>().as('n')])
		.where('evaluation_id', '=', evaluationId)
		.groupBy(['group_id', 'used', 'voided'])
		.execute();
	const visible = visibleGroups(
		groups.map((g) => ({ groupId: g.id, ballots: ballotsPerGroup.get(g.id) ?? 0 })),
		threshold
	);
	const byGroup = (rows: { group_id: number; n: number }[], id: number) => rows.filter((r) => r.group_id === id).reduce((s, r) => s + Number(r.n), 0);
	return groups.map((g) => ({
		groupId: g.id,
		name: g.name,
		weightPct: g.weight_pct,
		membersRate: g.members_rate === 1,
		eligibleMembers: byGroup(eligible, g.id),
		ratedMembers: byGroup(rated, g.id),
		codesIssued: byGroup(
			codes.filter((c) => c.voided === 0 || c.used === 1),
			g.id
		),
		codesUsed: byGroup(
			codes.filter((c) => c.used === 1),
			g.id
		),
		ballots: ballotsPerGroup.get(g.id) ?? 0,
		visible: visible.has(g.id)
	}));
}

export type RollEntry = { memberId: number; name: string; loginId: string };
export type GroupRoll = { groupId: number; name: string; rated: RollEntry[]; notRated: RollEntry[] };

/**
 * 谁已评、谁未评: the members fixed as eligible for each rater group who rate signed in, split by whether they have
 * rated, in login-id order (participation has no time, so no order says when anyone rated). Turnout, which the
 * organizers need to run the meeting; it says nothing of what anyone rated. Raters with codes are not named.
 */
export async function raterRoll(db: Db, evaluationId: number): Promise<GroupRoll[]> {
	const groups = await db.selectFrom('evaluation_group').select(['id', 'name']).where('evaluation_id', '=', evaluationId).where('members_rate', '=', 1).orderBy('position').execute();
	const rows = await db
		.selectFrom('evaluation_eligible as e')
		.innerJoin('member as m', 'm.id', 'e.member_id')
		.leftJoin('evaluation_participation as p', (j) => j.onRef('p.evaluation_id', '=', 'e.evaluation_id').onRef('p.member_id', '=', 'e.member_id'))
		.select(['e.group_id', 'm.id', 'm.name', 'm.login_id', 'p.member_id as rated'])
		.where('e.evaluation_id', '=', evaluationId)
		.orderBy('m.login_id')
		.execute();
	return groups.map((g) => {
		const mine = rows.filter((r) => r.group_id === g.id);
		const entry = (r: (typeof rows)[number]): RollEntry => ({ memberId: r.id, name: r.name, loginId: r.login_id });
		return { groupId: g.id, name: g.name, rated: mine.filter((r) => r.rated !== null).map(entry), notRated: mine.filter((r) => r.rated === null).map(entry) };
	});
}

export type ResultsOptions = { groupId?: number | null; now?: number; pick?: (n: number) => number; targetId?: number };

/**
 * The results of a campaign as the committee may see them, for the whole campaign or one rater group (rules at
 * the top of this file). Null when the campaign does not exist. Draft and trial campaigns give only the ballot
 * count: a test run's ballots are not results. An open real run gives turnout and its targets without a figure
 * (rule 6): this function is where that is refused, so no page or export can show more by forgetting it.
 */
export async function campaignResults(db: Db, evaluationId: number, o: ResultsOptions = {}): Promise<CampaignResults | null> {
	const campaign = await header(db, evaluationId);
	if (!campaign) return null;
	const now = o.now ?? Date.now();
	const phase = phaseOf(campaign, now);
	const counted = await db
		.selectFrom('evaluation_ballot')
		.select(['group_id', (eb) => eb.fn.countAll<number>().as('n')])
		.where('evaluation_id', '=', evaluationId)
		.groupBy('group_id')
		.execute();
	const ballotsPerGroup = new Map(counted.map((r) => [r.group_id, Number(r.n)]));
	const ballots = counted.reduce((sum, r) => sum + Number(r.n), 0);
	const groups = await turnout(db, evaluationId, ballotsPerGroup, campaign.threshold);
	const groupId = o.groupId ?? null;
	const group = groupId === null ? null : groups.find((g) => g.groupId === groupId);
	if (groupId !== null && !group) return null;
	const base = { campaign, phase, ballots, groups, groupId };
	if (phase === 'draft' || phase === 'trial') return { ...base, withheld: null, targets: [] };

	let targetQuery = db
		.selectFrom('evaluation_target as t')
		.innerJoin('member as m', 'm.id', 't.member_id')
		.select(['t.id', 't.member_id', 'm.name', 'm.position_title'])
		.where('t.evaluation_id', '=', evaluationId);
	if (o.targetId !== undefined) targetQuery = targetQuery.where('t.id', '=', o.targetId);
	const targets = await targetQuery.orderBy('t.position').execute();
	const blank = (t: (typeof targets)[number], sliceBallots: number, withheld: Withheld | null): TargetResult => ({
		targetId: t.id,
		memberId: t.member_id,
		name: t.name,
		positionTitle: t.position_title,
		ballots: sliceBallots,
		criteria: null,
		score: null,
		scoreWithheld: null,
		comments: null,
		excellentOverThird: false,
		withheld
	});

	if (phase === 'open') {
		// Rule 6: turnout and who is rated, nothing read from a ballot. A slice's ballot count is turnout.
		const withheld: Withheld = { reason: 'campaign_open', resultsAt: resultsAt(campaign) };
		const sliceBallots = group ? group.ballots : ballots;
		return { ...base, withheld, targets: targets.map((t) => blank(t, sliceBallots, withheld)) };
	}

	const rows = await db.selectFrom('evaluation_ballot').select(['group_id', 'content']).where('evaluation_id', '=', evaluationId).execute();
	const all: Ballot[] = [];
	for (const r of rows) {
		const content = parseContent(r.content);
		if (content) all.push({ groupId: r.group_id, content });
	}
	const slice = group ? all.filter((b) => b.groupId === group.groupId) : all;

	let withheld: Withheld | null = null;
	if (slice.length < campaign.threshold) withheld = { reason: 'below_threshold', ballots: slice.length };
	else if (group && !group.visible) withheld = { reason: 'group_hidden' };

	const criteria: Criterion[] = (
		await db.selectFrom('evaluation_criterion').select(['id', 'name', 'levels', 'is_overall']).where('evaluation_id', '=', evaluationId).orderBy('position').execute()
	).map((c) => ({ id: c.id, name: c.name, isOverall: c.is_overall === 1, levels: parseLevels(c.levels) }));

	// Rule 3: weighted only over the whole campaign, and only when no group with ballots is below the threshold.
	const weighted = campaign.weighted === 1 && group === null;
	const smallGroup = groups.some((g) => g.ballots > 0 && g.ballots < campaign.threshold);
	const groupWeights: Group[] = groups.map((g) => ({ id: g.groupId, weightPct: g.weightPct }));

	const results: TargetResult[] = targets.map((t) => {
		const rating = slice.filter((b) => b.content.ratings[String(t.id)] !== undefined);
		const out = blank(t, rating.length, withheld ?? (rating.length < campaign.threshold ? { reason: 'below_threshold', ballots: rating.length } : null));
		if (out.withheld) return out;
		const scoreWithheld: Withheld | null = weighted && smallGroup ? { reason: 'small_group_weight' } : null;
		out.criteria = criteria.map((c) => ({
			...countLevels(rating, t.id, c),
			score: scoreWithheld ? null : criterionScore(rating, t.id, c, groupWeights, weighted)
		}));
		out.scoreWithheld = scoreWithheld;
		if (!scoreWithheld) {
			const overall = out.criteria.find((c) => c.isOverall);
			const scores = out.criteria.map((c) => c.score).filter((s): s is number => s !== null);
			out.score = overall ? overall.score : scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null;
		}
		const overall = out.criteria.find((c) => c.isOverall);
		out.excellentOverThird = campaign.kind === 'member_review' && overall !== undefined && (overall.levels[0]?.count ?? 0) * 3 > overall.ballots;
		if (campaign.comments_enabled === 1) {
			const comments = rating.map((b) => b.content.comments[String(t.id)]).filter((c): c is string => typeof c === 'string' && c.trim() !== '');
			out.comments = shuffled(comments, o.pick);
		}
		return out;
	});
	return { ...base, withheld, targets: results };
}

/** The form's criteria with their level labels, in order (the column layout of the 汇总表). */
export async function campaignCriteria(db: Db, evaluationId: number): Promise<{ name: string; isOverall: boolean; levels: string[] }[]> {
	const rows = await db.selectFrom('evaluation_criterion').select(['name', 'levels', 'is_overall']).where('evaluation_id', '=', evaluationId).orderBy('position').execute();
	return rows.map((c) => ({ name: c.name, isOverall: c.is_overall === 1, levels: parseLevels(c.levels).map((l) => l.label) }));
}

/** The whole campaign and each rater group, as the export and the printed page give them. */
export async function resultsByGroup(db: Db, evaluationId: number, now = Date.now()): Promise<{ all: CampaignResults; byGroup: CampaignResults[] } | null> {
	const all = await campaignResults(db, evaluationId, { now });
	if (!all) return null;
	const byGroup: CampaignResults[] = [];
	for (const g of all.groups) {
		const r = await campaignResults(db, evaluationId, { now, groupId: g.groupId });
		if (r) byGroup.push(r);
	}
	return { all, byGroup };
}

// ---------------------------------------------------------------------------------------------------------
// A target's own results, one leader across campaigns, releasing

/**
 * A target's own released results: only their own row of a closed campaign whose results the committee has
 * released. Null otherwise (the page answers 404, the same as for a campaign that does not exist).
 */
export async function ownResults(db: Db, evaluationId: number, memberId: number, now = Date.now()): Promise<CampaignResults | null> {
	const campaign = await header(db, evaluationId);
	if (!campaign || campaign.results_released_at === null || phaseOf(campaign, now) !== 'final') return null;
	const target = await db.selectFrom('evaluation_target').select('id').where('evaluation_id', '=', evaluationId).where('member_id', '=', memberId).executeTakeFirst();
	if (!target) return null;
	const results = await campaignResults(db, evaluationId, { now, targetId: target.id });
	if (!results) return null;
	// The target sees their own figures and the campaign's turnout; group filters stay the committee's.
	return { ...results, groups: results.groups.map((g) => ({ ...g, visible: false })) };
}

export type LeaderCampaignRow = {
	evaluationId: number;
	title: string;
	year: number;
	kind: EvaluationKind;
	phase: Phase;
	released: boolean;
	threshold: number;
	weighted: boolean;
	/** Null while the campaign is open: these pages show results, and an open campaign has none yet. */
	ballots: number | null;
	withheld: Withheld | null;
	overall: Pick<CriterionResult, 'name' | 'topLabel' | 'topRate' | 'topTwoLabels' | 'topTwoRate'> | null;
	score: number | null;
	scoreWithheld: Withheld | null;
};

/**
 * One target's row of a campaign's results: only what `campaignResults` shows for the whole campaign (threshold,
 * weighted-score rule), the overall criterion's two rates and the score. Shared by a leader's page and the
 * committee's leaders dashboard, so neither can show a figure the other withholds.
 */
export function leaderRow(r: CampaignResults, target: TargetResult): LeaderCampaignRow {
	const overall = target.criteria?.find((c) => c.isOverall) ?? target.criteria?.[0] ?? null;
	return {
		evaluationId: r.campaign.id,
		title: r.campaign.title,
		year: r.campaign.year,
		kind: r.campaign.kind,
		phase: r.phase,
		released: r.campaign.results_released_at !== null,
		threshold: r.campaign.threshold,
		weighted: r.campaign.weighted === 1,
		ballots: r.phase === 'open' ? null : target.ballots,
		withheld: target.withheld,
		overall: overall ? { name: overall.name, topLabel: overall.topLabel, topRate: overall.topRate, topTwoLabels: overall.topTwoLabels, topTwoRate: overall.topTwoRate } : null,
		score: target.score,
		scoreWithheld: target.scoreWithheld
	};
}

/** One leader's results across the campaigns they were a target of (live or closed ones), newest first. */
export async function leaderHistory(db: Db, memberId: number, now = Date.now()): Promise<{ name: string; positionTitle: string; rows: LeaderCampaignRow[] } | null> {
	const member = await db.selectFrom('member').select(['name', 'position_title']).where('id', '=', memberId).executeTakeFirst();
	if (!member) return null;
	const targets = await db
		.selectFrom('evaluation_target as t')
		.innerJoin('evaluation as e', 'e.id', 't.evaluation_id')
		.select(['t.id', 't.evaluation_id'])
		.where('t.member_id', '=', memberId)
		.where('e.status', '=', 'live')
		.orderBy('e.year', 'desc')
		.orderBy('e.opens_at', 'desc')
		.execute();
	const rows: LeaderCampaignRow[] = [];
	for (const t of targets) {
		const r = await campaignResults(db, t.evaluation_id, { now, targetId: t.id });
		const target = r?.targets[0];
		if (r && target) rows.push(leaderRow(r, target));
	}
	return { name: member.name, positionTitle: member.position_title, rows };
}

export type ReleaseProblem = 'not_found' | 'not_closed' | 'already_released';

/** 向被测评人公布结果: only once the real run has closed; the time is kept, and it is done once. */
export async function releaseResults(db: Db, evaluationId: number, now = Date.now()): Promise<{ ok: true } | { ok: false; problem: ReleaseProblem }> {
	const campaign = await header(db, evaluationId);
	if (!campaign) return { ok: false, problem: 'not_found' };
	if (phaseOf(campaign, now) !== 'final') return { ok: false, problem: 'not_closed' };
	if (campaign.results_released_at !== null) return { ok: false, problem: 'already_released' };
	await db.updateTable('evaluation').set({ results_released_at: now, updated_at: now }).where('id', '=', evaluationId).where('results_released_at', 'is', null).execute();
	return { ok: true };
}
