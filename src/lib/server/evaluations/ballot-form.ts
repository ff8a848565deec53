import type { Db } from '../db';
import type { EvaluationStatus } from '../db/schema';
import { acceptsBallots, hasRated, isClosed, parseLevels, publishedReceipts } from './ballots';
import { hashCode, normalizeCode } from './codes';
import type { BallotInput, Level } from './types';

// The rater's side of a campaign: what the ballot page shows, reading a submitted ballot form, the campaigns a
// member may rate, finding a campaign for a one-time code, and throttling code guessing. Nothing here logs.

export type BallotTarget = { id: number; name: string; positionTitle: string; unitName: string; report: string; hasPdf: boolean };
export type BallotCriterion = { id: number; name: string; levels: Level[]; isOverall: boolean };
export type BallotForm = {
	id: number;
	title: string;
	status: EvaluationStatus;
	closesAt: number;
	threshold: number;
	commentsEnabled: boolean;
	targets: BallotTarget[];
	criteria: BallotCriterion[];
};

/** The ballot of a campaign, targets and criteria in their order; null when there is no such campaign. */
export async function ballotForm(db: Db, evaluationId: number): Promise<BallotForm | null> {
	const campaign = await db
		.selectFrom('evaluation')
		.select(['id', 'title', 'status', 'closes_at', 'threshold', 'comments_enabled'])
		.where('id', '=', evaluationId)
		.executeTakeFirst();
	if (!campaign) return null;
	const targets = await db
		.selectFrom('evaluation_target as t')
		.innerJoin('member as m', 'm.id', 't.member_id')
		.innerJoin('unit as u', 'u.id', 'm.unit_id')
		.leftJoin('evaluation_report_file as f', 'f.target_id', 't.id')
		.select(['t.id', 'm.name', 'm.position_title', 'u.name as unit_name', 't.report_text', 'f.target_id as pdf'])
		.where('t.evaluation_id', '=', evaluationId)
		.orderBy('t.position')
		.orderBy('t.id')
		.execute();
	const criteria = await db
		.selectFrom('evaluation_criterion')
		.select(['id', 'name', 'levels', 'is_overall'])
		.where('evaluation_id', '=', evaluationId)
		.orderBy('position')
		.orderBy('id')
		.execute();
	return {
		id: campaign.id,
		title: campaign.title,
		status: campaign.status,
		closesAt: campaign.closes_at,
		threshold: campaign.threshold,
		commentsEnabled: campaign.comments_enabled === 1,
		targets: targets.map((t) => ({ id: t.id, name: t.name, positionTitle: t.position_title, unitName: t.unit_name, report: t.report_text, hasPdf: t.pdf !== null })),
		criteria: criteria.map((c) => ({ id: c.id, name: c.name, levels: parseLevels(c.levels), isOverall: c.is_overall === 1 }))
	};
}

export const ratingField = (targetId: number, criterionId: number) => `r_${targetId}_${criterionId}`;
export const commentField = (targetId: number) => `c_${targetId}`;

/**
 * The ballot as submitted (`r_<target>_<criterion>` = level index, `c_<target>` = comment), and the same fields as
 * strings to fill the form again after an error. Only the form's own fields are read; anything else is ignored.
 */
export function readBallot(ballot: Pick<BallotForm, 'targets' | 'criteria'>, form: FormData): { input: BallotInput; values: Record<string, string> } {
	const input: BallotInput = { ratings: {}, comments: {} };
	const values: Record<string, string> = {};
	for (const target of ballot.targets) {
		const ratings: Record<number, number> = {};
		for (const criterion of ballot.criteria) {
			const raw = form.get(ratingField(target.id, criterion.id));
			if (typeof raw !== 'string' || raw === '') continue;
			values[ratingField(target.id, criterion.id)] = raw.slice(0, 3);
			// Anything but a small whole number is out of the scale: checkBallot says so, by target and criterion.
			ratings[criterion.id] = /^\d{1,3}$/.test(raw) ? Number(raw) : -1;
		}
		input.ratings[target.id] = ratings;
		const comment = form.get(commentField(target.id));
		if (typeof comment === 'string' && comment.trim()) {
			// Kept a little past the limit, so that "too long" is said instead of the text being cut silently.
			input.comments[target.id] = comment.slice(0, 2000);
			values[commentField(target.id)] = comment.slice(0, 2000);
		}
	}
	return { input, values };
}

export type MemberCampaign = { id: number; title: string; status: EvaluationStatus; closesAt: number; rated: boolean; open: boolean; closed: boolean; resultsReleased: boolean; isTarget: boolean };

/**
 * The campaigns on a member's 我的测评 page: those whose eligible list holds them (trial or live) and, once
 * closed, those they could have rated, with whether they have rated (participation only, never which ballot).
 * Campaigns in which they are a target are listed too, for a link to their released results.
 */
export async function campaignsForMember(db: Db, memberId: number, now = Date.now()): Promise<MemberCampaign[]> {
	const rows = await db
		.selectFrom('evaluation as e')
		.select(['e.id', 'e.title', 'e.status', 'e.opens_at', 'e.closes_at', 'e.results_released_at'])
		.select((eb) => [
			eb.exists(eb.selectFrom('evaluation_eligible as el').select('el.member_id').whereRef('el.evaluation_id', '=', 'e.id').where('el.member_id', '=', memberId)).as('eligible'),
			eb.exists(eb.selectFrom('evaluation_participation as p').select('p.member_id').whereRef('p.evaluation_id', '=', 'e.id').where('p.member_id', '=', memberId)).as('rated'),
			eb.exists(eb.selectFrom('evaluation_target as t').select('t.id').whereRef('t.evaluation_id', '=', 'e.id').where('t.member_id', '=', memberId)).as('target')
		])
		.where('e.status', 'in', ['trial', 'live'])
		.orderBy('e.closes_at', 'desc')
		.orderBy('e.id', 'desc')
		.execute();
	return rows
		.filter((r) => Number(r.eligible) === 1 || Number(r.target) === 1)
		.map((r) => ({
			id: r.id,
			title: r.title,
			status: r.status,
			closesAt: r.closes_at,
			rated: Number(r.rated) === 1,
			open: Number(r.eligible) === 1 && acceptsBallots({ status: r.status, opens_at: r.opens_at, closes_at: r.closes_at }, now),
			closed: isClosed(r, now),
			resultsReleased: r.results_released_at !== null,
			isTarget: Number(r.target) === 1
		}));
}

export type RaterView =
	| { state: 'open'; ballot: BallotForm }
	| { state: 'rated'; ballot: BallotForm }
	| { state: 'closed'; ballot: BallotForm }
	| { state: 'not_open'; ballot: BallotForm };

/** What a member sees at /evaluations/[id]/rate; null (a 404) when the campaign does not exist or they are not on its eligible list. */
export async function raterView(db: Db, evaluationId: number, memberId: number, now = Date.now()): Promise<RaterView | null> {
	const eligible = await db
		.selectFrom('evaluation_eligible')
		.select('member_id')
		.where('evaluation_id', '=', evaluationId)
		.where('member_id', '=', memberId)
		.executeTakeFirst();
	if (!eligible) return null;
	const ballot = await ballotForm(db, evaluationId);
	if (!ballot || ballot.status === 'draft') return null;
	const campaign = await db.selectFrom('evaluation').select(['status', 'opens_at', 'closes_at']).where('id', '=', evaluationId).executeTakeFirstOrThrow();
	if (isClosed(campaign, now)) return { state: 'closed', ballot };
	if (await hasRated(db, evaluationId, memberId)) return { state: 'rated', ballot };
	if (!acceptsBallots(campaign, now)) return { state: 'not_open', ballot };
	return { state: 'open', ballot };
}

/** The target a member is in this campaign, if any (their own card says so). */
export async function ownTargetId(db: Db, evaluationId: number, memberId: number): Promise<number | null> {
	const row = await db.selectFrom('evaluation_target').select('id').where('evaluation_id', '=', evaluationId).where('member_id', '=', memberId).executeTakeFirst();
	return row?.id ?? null;
}

/** A campaign's public receipts page: its title and window, and the receipts once it has closed (null before). */
export async function receiptsPage(db: Db, evaluationId: number, now = Date.now()) {
	const campaign = await db.selectFrom('evaluation').select(['id', 'title', 'status', 'closes_at']).where('id', '=', evaluationId).executeTakeFirst();
	if (!campaign || campaign.status === 'draft') return null;
	return { title: campaign.title, status: campaign.status, closesAt: campaign.closes_at, receipts: await publishedReceipts(db, campaign.id, now) };
}

export type CodeLookup = { ok: true; evaluationId: number; code: string } | { ok: false; problem: 'code_unknown' | 'code_used' };

/**
 * The campaign a typed code belongs to: the code's hash includes the campaign id, so each campaign taking ballots
 * now is tried in turn. A voided code, or one of a campaign not taking ballots, is unknown.
 */
export async function findCampaignForCode(db: Db, typed: string, now = Date.now()): Promise<CodeLookup> {
	const code = normalizeCode(typed);
	if (!code) return { ok: false, problem: 'code_unknown' };
	const campaigns = await db.selectFrom('evaluation').select(['id', 'status', 'opens_at', 'closes_at']).where('status', 'in', ['trial', 'live']).execute();
	for (const campaign of campaigns) {
		if (!acceptsBallots(campaign, now)) continue;
		const row = await db
			.selectFrom('evaluation_code')
			.select(['used', 'voided'])
			.where('code_hash', '=', hashCode(campaign.id, code))
			.where('evaluation_id', '=', campaign.id)
			.executeTakeFirst();
		if (!row || row.voided === 1) continue;
		if (row.used === 1) return { ok: false, problem: 'code_used' };
		return { ok: true, evaluationId: campaign.id, code };
	}
	return { ok: false, problem: 'code_unknown' };
}

// Code guessing: at most `codeGuessLimit` wrong codes per address in `codeGuessWindowMs`, counted in the sign-in
// throttle's table under their own key (so several app servers share them). A meeting room often sits behind one
// school address and people mistype slips, so the limit is generous and counts wrong codes only: with 31^10
// possible codes and a few hundred valid ones, 30 guesses per 10 minutes finds one in about 10^8 years. The
// address is kept in that table alone, as the sign-in throttle keeps it, and never beside anything of a ballot.
export const codeGuessLimit = 30;
export const codeGuessWindowMs = 10 * 60_000;

const guessKey = (address: string) => `ballot-code:${address}`;

/** Milliseconds until this address may try another code (0: now). */
export async function codeGuessWait(db: Db, address: string, now = Date.now()): Promise<number> {
	const row = await db.selectFrom('sign_in_throttle').select(['failures', 'last_failure_at']).where('key', '=', guessKey(address)).executeTakeFirst();
	if (!row || now - row.last_failure_at >= codeGuessWindowMs || row.failures < codeGuessLimit) return 0;
	return row.last_failure_at + codeGuessWindowMs - now;
}

/** Counts a wrong code; a wrong code after a quiet window starts the count again. */
export async function recordWrongCode(db: Db, address: string, now = Date.now()): Promise<void> {
	await db
		.insertInto('sign_in_throttle')
		.values({ key: guessKey(address), failures: 1, last_failure_at: now })
		.onConflict((oc) =>
			oc.column('key').doUpdateSet((eb) => ({
				failures: eb
					.case()
					.when('sign_in_throttle.last_failure_at', '<=', now - codeGuessWindowMs)
					.then(1)
					.else(eb('sign_in_throttle.failures', '+', 1))
					.end(),
				last_failure_at: now
			}))
		)
		.execute();
}

/** The PDF of a target's learning report, for a campaign; null when there is none. */
export async function reportFile(db: Db, evaluationId: number, targetId: number): Promise<{ fileName: string; content: Uint8Array } | null> {
	const row = await db
		.selectFrom('evaluation_report_file as f')
		.innerJoin('evaluation_target as t', 't.id', 'f.target_id')
		.select(['f.file_name', 'f.content'])
		.where('t.id', '=', targetId)
		.where('t.evaluation_id', '=', evaluationId)
		.executeTakeFirst();
	return row ? { fileName: row.file_name, content: row.content } : null;
}

/** May this member read this campaign's reports? Eligible raters (and the campaign's own targets) only. */
export async function mayReadReports(db: Db, evaluationId: number, memberId: number): Promise<boolean> {
	const row = await db
		.selectFrom('evaluation_eligible')
		.select('member_id')
		.where('evaluation_id', '=', evaluationId)
		.where('member_id', '=', memberId)
		.executeTakeFirst();
	return row !== undefined;
}

/** Is this code one that may still rate in this campaign (for the reports of a ballot opened by code)? */
export async function codeMayRate(db: Db, evaluationId: number, typed: string): Promise<boolean> {
	const code = normalizeCode(typed);
	if (!code) return false;
	const row = await db
		.selectFrom('evaluation_code')
		.select(['used', 'voided'])
		.where('code_hash', '=', hashCode(evaluationId, code))
		.where('evaluation_id', '=', evaluationId)
		.executeTakeFirst();
	return row !== undefined && row.used === 0 && row.voided === 0;
}

/** A report PDF as an inline download, kept by no cache. */
export function pdfResponse(file: { fileName: string; content: Uint8Array }): Response {
	return new Response(new Uint8Array(file.content), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
			'cache-control': 'private, no-store'
		}
	});
}
