import { sql } from 'kysely';
import type { Db } from '../db';
import type { Evaluation, EvaluationKind, EvaluationStatus, Role } from '../db/schema';
import { forgetOldRowVersions } from '../db/dialect';
import { ballotTables, isClosed, isLocked, lockCampaignBallots, parseLevels, wipeBallots } from './ballots';
import { generateCodes, maxCodesPerBatch } from './codes';
import { defaultCriteria, defaultGroupNames, defaultThreshold, minThreshold } from './defaults';
import { computeEligible, parseIdList, parseRoleList, snapshotEligible } from './eligibility';
import type { Level } from './types';

// The committee's set-up of an evaluation campaign (测评活动): settings, targets, criteria, rater groups, codes and
// the run (draft → trial → live). Everything that decides who may rate and how ballots are read is checked for
// the lock (isLocked: the first real ballot is in) inside the same transaction as the change, so a ballot that
// arrives between the page and the click cannot slip under a change.
//
// After the lock only two things may change: the title (a typo is not a rule) and closes_at, later only and only
// while the campaign has not closed. Moving the end earlier could cut raters off; reopening a closed campaign would
// let whoever has seen the results add a ballot and read it back by subtraction.

export const titleMaxLength = 100;
export const maxThreshold = 1000;
export const maxTargets = 100;
export const maxCriteria = 30;
export const maxGroups = 20;
export const maxLevels = 7;
export const levelLabelMaxLength = 10;
export const criterionNameMaxLength = 50;
export const groupNameMaxLength = 30;
export const reportTextMaxLength = 20_000;
export const kinds: EvaluationKind[] = ['study_review', 'member_review', 'custom'];

export type CampaignSettings = {
	title: string;
	year: number;
	kind: EvaluationKind;
	opensAt: number;
	closesAt: number;
	threshold: number;
	commentsEnabled: boolean;
};

export type SettingsField = keyof CampaignSettings;
export type SettingsProblem = 'required' | 'too_long' | 'invalid' | 'window_order' | 'too_small' | 'too_large' | 'locked';
export type SettingsErrors = Partial<Record<SettingsField, SettingsProblem>>;

/** What a change answers: done, or why not. `locked` means the first real ballot is in. */
export type ChangeResult = { ok: true } | { ok: false; problem: 'not_found' | 'locked' };

export function validateSettings(s: CampaignSettings): SettingsErrors {
	const errors: SettingsErrors = {};
	if (!s.title.trim()) errors.title = 'required';
	else if ([...s.title.trim()].length > titleMaxLength) errors.title = 'too_long';
	if (!Number.isInteger(s.year) || s.year < 2000 || s.year > 2100) errors.year = 'invalid';
	if (!kinds.includes(s.kind)) errors.kind = 'invalid';
	if (!Number.isFinite(s.opensAt)) errors.opensAt = 'invalid';
	if (!Number.isFinite(s.closesAt)) errors.closesAt = 'invalid';
	else if (Number.isFinite(s.opensAt) && s.closesAt <= s.opensAt) errors.closesAt = 'window_order';
	// The issue: default 5, never below 3 (fewer would let a small group's answers be read off a slice).
	if (!Number.isInteger(s.threshold)) errors.threshold = 'invalid';
	else if (s.threshold < minThreshold) errors.threshold = 'too_small';
	else if (s.threshold > maxThreshold) errors.threshold = 'too_large';
	return errors;
}

// ---- campaigns --------------------------------------------------------------------------------------------

/**
 * Creates a draft with the kind's default criteria (defaults.ts) and the usual rater groups. The groups rate by
 * code until the committee gives them units or roles: who may rate is a choice, not a default.
 */
export async function createCampaign(db: Db, actorId: number, s: CampaignSettings, now = Date.now()): Promise<number> {
	return db.transaction().execute(async (trx) => {
		const { id } = await trx
			.insertInto('evaluation')
			.values({
				title: s.title.trim(),
				year: s.year,
				kind: s.kind,
				status: 'draft',
				opens_at: s.opensAt,
				closes_at: s.closesAt,
				threshold: s.threshold,
				comments_enabled: s.commentsEnabled ? 1 : 0,
				weighted: 0,
				results_released_at: null,
				created_by: actorId,
				created_at: now,
				updated_at: now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx
			.insertInto('evaluation_criterion')
			.values(defaultCriteria(s.kind).map((c, position) => ({ evaluation_id: id, position, name: c.name, levels: JSON.stringify(c.levels), is_overall: c.isOverall ? 1 : 0 })))
			.execute();
		await trx
			.insertInto('evaluation_group')
			.values(defaultGroupNames.map((name, position) => ({ evaluation_id: id, position, name, weight_pct: null, members_rate: 0, unit_ids: '[]', roles: '[]' })))
			.execute();
		return id;
	});
}

/** draft, trial, live before its window (scheduled), live inside it, closed after it. */
export type CampaignPhase = 'draft' | 'trial' | 'scheduled' | 'live' | 'closed';

export function campaignPhase(c: Pick<Evaluation, 'status' | 'opens_at' | 'closes_at'>, now: number): CampaignPhase {
	if (c.status !== 'live') return c.status;
	if (isClosed(c, now)) return 'closed';
	return now < c.opens_at ? 'scheduled' : 'live';
}

export type CampaignListItem = {
	id: number;
	title: string;
	year: number;
	kind: EvaluationKind;
	status: EvaluationStatus;
	opensAt: number;
	closesAt: number;
	ballots: number;
	/** Members on the eligible list plus codes not voided; null for a draft (no list is fixed yet). */
	eligible: number | null;
};

export async function listCampaigns(db: Db): Promise<CampaignListItem[]> {
	const rows = await db
		.selectFrom('evaluation as e')
		.select((eb) => [
			'e.id',
			'e.title',
			'e.year',
			'e.kind',
			'e.status',
			'e.opens_at',
			'e.closes_at',
			eb.selectFrom('evaluation_ballot as b').select((b) => b.fn.countAll<number>().as('n')).whereRef('b.evaluation_id', '=', 'e.id').as('ballots'),
			eb.selectFrom('evaluation_eligible as x').select((b) => b.fn.countAll<number>().as('n')).whereRef('x.evaluation_id', '=', 'e.id').as('members'),
			eb
				.selectFrom('evaluation_code as c')
				.select((b) => b.fn.countAll<number>().as('n'))
				.whereRef('c.evaluation_id', '=', 'e.id')
				.where('c.voided', '=', 0)
				.as('codes')
		])
		.orderBy('e.year', 'desc')
		.orderBy('e.opens_at', 'desc')
		.orderBy('e.id', 'desc')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		title: r.title,
		year: r.year,
		kind: r.kind,
		status: r.status,
		opensAt: r.opens_at,
		closesAt: r.closes_at,
		ballots: Number(r.ballots ?? 0),
		eligible: r.status === 'draft' ? null : Number(r.members ?? 0) + Number(r.codes ?? 0)
	}));
}

export type CampaignView = {
	id: number;
	title: string;
	year: number;
	kind: EvaluationKind;
	status: EvaluationStatus;
	opensAt: number;
	closesAt: number;
	threshold: number;
	commentsEnabled: boolean;
	weighted: boolean;
	ballots: number;
	locked: boolean;
};

export async function getCampaign(db: Db, id: number): Promise<CampaignView | undefined> {
	const row = await db.selectFrom('evaluation').selectAll().where('id', '=', id).executeTakeFirst();
	if (!row) return undefined;
	const ballots = await db.selectFrom('evaluation_ballot').select((eb) => eb.fn.countAll<number>().as('n')).where('evaluation_id', '=', id).executeTakeFirstOrThrow();
	return {
		id: row.id,
		title: row.title,
		year: row.year,
		kind: row.kind,
		status: row.status,
		opensAt: row.opens_at,
		closesAt: row.closes_at,
		threshold: row.threshold,
		commentsEnabled: row.comments_enabled === 1,
		weighted: row.weighted === 1,
		ballots: Number(ballots.n),
		locked: await isLocked(db, id)
	};
}

export type SettingsResult = { ok: true } | { ok: false; problem: 'not_found' } | { ok: false; problem: 'locked'; errors: SettingsErrors };

/** Saves the settings; after the lock only the title and a later end (before the campaign has closed) go through. */
export async function updateSettings(db: Db, id: number, s: CampaignSettings, now = Date.now()): Promise<SettingsResult> {
	return db.transaction().execute(async (trx): Promise<SettingsResult> => {
		const row = await trx.selectFrom('evaluation').selectAll().where('id', '=', id).executeTakeFirst();
		if (!row) return { ok: false, problem: 'not_found' };
		// Closed is closed, ballots or not: the early close's confirmation promises it (closeEarly).
		if (isClosed(row, now) && s.closesAt !== row.closes_at) return { ok: false, problem: 'locked', errors: { closesAt: 'locked' } };
		if (await isLocked(trx, id)) {
			const errors: SettingsErrors = {};
			if (s.year !== row.year) errors.year = 'locked';
			if (s.kind !== row.kind) errors.kind = 'locked';
			if (s.opensAt !== row.opens_at) errors.opensAt = 'locked';
			if (s.closesAt !== row.closes_at && (s.closesAt < row.closes_at || isClosed(row, now))) errors.closesAt = 'locked';
			if (s.threshold !== row.threshold) errors.threshold = 'locked';
			if (s.commentsEnabled !== (row.comments_enabled === 1)) errors.commentsEnabled = 'locked';
			if (Object.keys(errors).length > 0) return { ok: false, problem: 'locked', errors };
		}
		await trx
			.updateTable('evaluation')
			.set({
				title: s.title.trim(),
				year: s.year,
				kind: s.kind,
				opens_at: s.opensAt,
				closes_at: s.closesAt,
				threshold: s.threshold,
				comments_enabled: s.commentsEnabled ? 1 : 0,
				updated_at: now
			})
			.where('id', '=', id)
			.execute();
		return { ok: true };
	});
}

/** Runs `change` in a transaction unless the campaign is missing or locked. */
async function unlessLocked(db: Db, id: number, change: (trx: Db) => Promise<void>, now = Date.now()): Promise<ChangeResult> {
	return db.transaction().execute(async (trx): Promise<ChangeResult> => {
		const row = await trx.selectFrom('evaluation').select('id').where('id', '=', id).executeTakeFirst();
		if (!row) return { ok: false, problem: 'not_found' };
		if (await isLocked(trx, id)) return { ok: false, problem: 'locked' };
		await change(trx);
		await trx.updateTable('evaluation').set({ updated_at: now }).where('id', '=', id).execute();
		return { ok: true };
	});
}

// ---- targets ----------------------------------------------------------------------------------------------

export type TargetView = {
	id: number;
	memberId: number;
	loginId: string;
	name: string;
	unitName: string;
	positionTitle: string;
	reportText: string;
	file: { fileName: string; bytes: number; uploadedAt: number } | null;
};

export async function listTargets(db: Db, evaluationId: number): Promise<TargetView[]> {
	const rows = await db
		.selectFrom('evaluation_target as t')
		.innerJoin('member as m', 'm.id', 't.member_id')
		.innerJoin('unit as u', 'u.id', 'm.unit_id')
		.leftJoin('evaluation_report_file as f', 'f.target_id', 't.id')
		.select(['t.id', 't.member_id', 't.report_text', 'm.login_id', 'm.name', 'm.position_title', 'u.name as unit_name', 'f.file_name', 'f.uploaded_at'])
		// The file's size, not its bytes: a list never loads the PDFs.
		.select(sql<number | null>`length(f.content)`.as('file_bytes'))
		.where('t.evaluation_id', '=', evaluationId)
		.orderBy('t.position')
		.orderBy('t.id')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		memberId: r.member_id,
		loginId: r.login_id,
		name: r.name,
		unitName: r.unit_name,
		positionTitle: r.position_title,
		reportText: r.report_text,
		file: r.file_name !== null && r.uploaded_at !== null ? { fileName: r.file_name, bytes: Number(r.file_bytes ?? 0), uploadedAt: r.uploaded_at } : null
	}));
}

export type Candidate = { id: number; loginId: string; name: string; unitName: string; positionTitle: string; isLeader: boolean };

/** Active members who are not targets yet, leaders (is_leader) first: they are whom a 述学评学 evaluates. */
export async function targetCandidates(db: Db, evaluationId: number, o: { leadersOnly?: boolean } = {}): Promise<Candidate[]> {
	let query = db
		.selectFrom('member as m')
		.innerJoin('unit as u', 'u.id', 'm.unit_id')
		.select(['m.id', 'm.login_id', 'm.name', 'm.position_title', 'm.is_leader', 'u.name as unit_name'])
		.where('m.status', '=', 'active')
		.where('m.id', 'not in', (eb) => eb.selectFrom('evaluation_target').select('member_id').where('evaluation_id', '=', evaluationId));
	if (o.leadersOnly) query = query.where('m.is_leader', '=', 1);
	const rows = await query.orderBy('m.is_leader', 'desc').orderBy('m.login_id').execute();
	return rows.map((r) => ({ id: r.id, loginId: r.login_id, name: r.name, unitName: r.unit_name, positionTitle: r.position_title, isLeader: r.is_leader === 1 }));
}

/** Adds members as targets after the ones already there, skipping those already in. */
export async function addTargets(db: Db, evaluationId: number, memberIds: number[]): Promise<ChangeResult | { ok: false; problem: 'too_many' }> {
	return unlessLocked(db, evaluationId, async (trx) => {
		const existing = await trx.selectFrom('evaluation_target').select(['member_id', 'position']).where('evaluation_id', '=', evaluationId).execute();
		const have = new Set(existing.map((t) => t.member_id));
		const fresh = [...new Set(memberIds)].filter((id) => !have.has(id));
		if (existing.length + fresh.length > maxTargets) throw new TooMany();
		let position = existing.reduce((p, t) => Math.max(p, t.position + 1), 0);
		for (const member_id of fresh) {
			await trx.insertInto('evaluation_target').values({ evaluation_id: evaluationId, member_id, position: position++, report_text: '' }).execute();
		}
	}).catch((e) => {
		if (e instanceof TooMany) return { ok: false as const, problem: 'too_many' as const };
		throw e;
	});
}

class TooMany extends Error {}

async function targetIn(trx: Db, evaluationId: number, targetId: number) {
	return trx.selectFrom('evaluation_target').select(['id', 'position']).where('id', '=', targetId).where('evaluation_id', '=', evaluationId).executeTakeFirst();
}

export async function removeTarget(db: Db, evaluationId: number, targetId: number): Promise<ChangeResult> {
	let found = true;
	const result = await unlessLocked(db, evaluationId, async (trx) => {
		if (!(await targetIn(trx, evaluationId, targetId))) {
			found = false;
			return;
		}
		await trx.deleteFrom('evaluation_target').where('id', '=', targetId).execute();
	});
	return result.ok && !found ? { ok: false, problem: 'not_found' } : result;
}

/** Moves a target one place up (-1) or down (+1); positions are renumbered 0, 1, 2 … on the way. */
export async function moveTarget(db: Db, evaluationId: number, targetId: number, step: -1 | 1): Promise<ChangeResult> {
	let found = true;
	const result = await unlessLocked(db, evaluationId, async (trx) => {
		const rows = await trx.selectFrom('evaluation_target').select('id').where('evaluation_id', '=', evaluationId).orderBy('position').orderBy('id').execute();
		const ids = rows.map((r) => r.id);
		const at = ids.indexOf(targetId);
		if (at < 0) {
			found = false;
			return;
		}
		const to = at + step;
		if (to < 0 || to >= ids.length) return;
		[ids[at], ids[to]] = [ids[to] as number, ids[at] as number];
		for (const [position, id] of ids.entries()) await trx.updateTable('evaluation_target').set({ position }).where('id', '=', id).execute();
	});
	return result.ok && !found ? { ok: false, problem: 'not_found' } : result;
}

export type ReportChange = { text: string; file?: { fileName: string; bytes: Uint8Array }; removeFile?: boolean };

/**
 * The learning report (述学报告) as text and/or a PDF (checked by report-file.ts before it gets here). Locked with
 * the targets: raters rated having read this report.
 */
export async function saveReport(db: Db, evaluationId: number, targetId: number, change: ReportChange, now = Date.now()): Promise<ChangeResult> {
	let found = true;
	const result = await unlessLocked(db, evaluationId, async (trx) => {
		if (!(await targetIn(trx, evaluationId, targetId))) {
			found = false;
			return;
		}
		await trx.updateTable('evaluation_target').set({ report_text: change.text.slice(0, reportTextMaxLength) }).where('id', '=', targetId).execute();
		if (change.file) {
			await trx.deleteFrom('evaluation_report_file').where('target_id', '=', targetId).execute();
			await trx.insertInto('evaluation_report_file').values({ target_id: targetId, file_name: change.file.fileName, content: change.file.bytes, uploaded_at: now }).execute();
		} else if (change.removeFile) {
			await trx.deleteFrom('evaluation_report_file').where('target_id', '=', targetId).execute();
		}
	});
	return result.ok && !found ? { ok: false, problem: 'not_found' } : result;
}

// ---- criteria ---------------------------------------------------------------------------------------------

export type CriterionView = { id: number; name: string; levels: Level[]; isOverall: boolean };
/** A row of the criteria editor: `id` null for a new row. */
export type CriterionRow = { id: number | null; name: string; levels: Level[]; isOverall: boolean };

export async function listCriteria(db: Db, evaluationId: number): Promise<CriterionView[]> {
	const rows = await db.selectFrom('evaluation_criterion').selectAll().where('evaluation_id', '=', evaluationId).orderBy('position').orderBy('id').execute();
	return rows.map((r) => ({ id: r.id, name: r.name, levels: parseLevels(r.levels), isOverall: r.is_overall === 1 }));
}

/**
 * Replaces the criteria with the rows as given, all or nothing (rows are checked by setup-form.ts first). Rows that
 * keep their id keep their row, so a test run's ballots still point at them.
 */
export async function saveCriteria(db: Db, evaluationId: number, rows: CriterionRow[]): Promise<ChangeResult> {
	return unlessLocked(db, evaluationId, async (trx) => {
		const existing = new Set(
			(await trx.selectFrom('evaluation_criterion').select('id').where('evaluation_id', '=', evaluationId).execute()).map((r) => r.id)
		);
		const kept = new Set<number>();
		for (const [position, r] of rows.entries()) {
			const values = { position, name: r.name.trim(), levels: JSON.stringify(r.levels), is_overall: r.isOverall ? 1 : 0 };
			if (r.id !== null && existing.has(r.id) && !kept.has(r.id)) {
				kept.add(r.id);
				await trx.updateTable('evaluation_criterion').set(values).where('id', '=', r.id).execute();
			} else {
				await trx.insertInto('evaluation_criterion').values({ evaluation_id: evaluationId, ...values }).execute();
			}
		}
		const gone = [...existing].filter((id) => !kept.has(id));
		if (gone.length > 0) await trx.deleteFrom('evaluation_criterion').where('id', 'in', gone).execute();
	});
}

// ---- rater groups -----------------------------------------------------------------------------------------

export type GroupView = {
	id: number;
	name: string;
	weightPct: number | null;
	membersRate: boolean;
	unitIds: number[];
	roles: Role[];
	/** Members who would rate in this group by its rules as they stand now. */
	eligibleNow: number;
	/** On the eligible list fixed when the run opened (0 for a draft). */
	eligibleFixed: number;
	/** Codes issued and not voided. */
	codes: number;
};
export type GroupRow = { id: number | null; name: string; weightPct: number | null; membersRate: boolean; unitIds: number[]; roles: Role[] };

export async function listGroups(db: Db, evaluationId: number): Promise<GroupView[]> {
	const rows = await db.selectFrom('evaluation_group').selectAll().where('evaluation_id', '=', evaluationId).orderBy('position').orderBy('id').execute();
	const now = new Map<number, number>();
	for (const groupId of (await computeEligible(db, evaluationId)).values()) now.set(groupId, (now.get(groupId) ?? 0) + 1);
	const fixed = await db
		.selectFrom('evaluation_eligible')
		.select(['group_id', (eb) => eb.fn.countAll<number>().as('n')])
		.where('evaluation_id', '=', evaluationId)
		.groupBy('group_id')
		.execute();
	const codes = await db
		.selectFrom('evaluation_code')
		.select(['group_id', (eb) => eb.fn.countAll<number>().as('n')])
		.where('evaluation_id', '=', evaluationId)
		.where('voided', '=', 0)
		.groupBy('group_id')
		.execute();
	const fixedOf = new Map(fixed.map((r) => [r.group_id, Number(r.n)]));
	const codesOf = new Map(codes.map((r) => [r.group_id, Number(r.n)]));
	return rows.map((g) => ({
		id: g.id,
		name: g.name,
		weightPct: g.weight_pct,
		membersRate: g.members_rate === 1,
		unitIds: parseIdList(g.unit_ids),
		roles: parseRoleList(g.roles),
		eligibleNow: now.get(g.id) ?? 0,
		eligibleFixed: fixedOf.get(g.id) ?? 0,
		codes: codesOf.get(g.id) ?? 0
	}));
}

export type GroupsResult = ChangeResult | { ok: false; problem: 'has_codes'; name: string };

/**
 * Replaces the rater groups, all or nothing (rows checked by setup-form.ts first; weights sum to 100 or are all
 * empty). A group with codes handed out cannot go: its slips would stop working in the raters' hands. While a run
 * is open (and not yet locked) the eligible list follows the new rules.
 */
export async function saveGroups(db: Db, evaluationId: number, rows: GroupRow[]): Promise<GroupsResult> {
	let refused: GroupsResult | null = null;
	const result = await unlessLocked(db, evaluationId, async (trx) => {
		const existing = await trx.selectFrom('evaluation_group').select('id').where('evaluation_id', '=', evaluationId).execute();
		const known = new Set(existing.map((r) => r.id));
		const kept = new Set<number>();
		const weighted = rows.some((r) => r.weightPct !== null);
		for (const [position, r] of rows.entries()) {
			const values = {
				position,
				name: r.name.trim(),
				weight_pct: weighted ? r.weightPct : null,
				members_rate: r.membersRate ? 1 : 0,
				unit_ids: JSON.stringify(r.unitIds),
				roles: JSON.stringify(r.roles)
			};
			if (r.id !== null && known.has(r.id) && !kept.has(r.id)) {
				kept.add(r.id);
				await trx.updateTable('evaluation_group').set(values).where('id', '=', r.id).execute();
			} else {
				await trx.insertInto('evaluation_group').values({ evaluation_id: evaluationId, ...values }).execute();
			}
		}
		const gone = [...known].filter((id) => !kept.has(id));
		if (gone.length > 0) {
			const withCodes = await trx
				.selectFrom('evaluation_code as c')
				.innerJoin('evaluation_group as g', 'g.id', 'c.group_id')
				.select('g.name')
				.where('c.evaluation_id', '=', evaluationId)
				.where('c.group_id', 'in', gone)
				.where('c.voided', '=', 0)
				.executeTakeFirst();
			if (withCodes) {
				refused = { ok: false, problem: 'has_codes', name: withCodes.name };
				throw new Refused();
			}
			await trx.deleteFrom('evaluation_group').where('id', 'in', gone).execute();
		}
		await trx.updateTable('evaluation').set({ weighted: weighted ? 1 : 0 }).where('id', '=', evaluationId).execute();
		const status = await trx.selectFrom('evaluation').select('status').where('id', '=', evaluationId).executeTakeFirstOrThrow();
		if (status.status !== 'draft') await snapshotEligible(trx, evaluationId);
	}).catch((e) => {
		if (e instanceof Refused && refused) return refused;
		throw e;
	});
	return result;
}

class Refused extends Error {}

// ---- codes ------------------------------------------------------------------------------------------------

export type IssueResult = { ok: true; batch: number; codes: string[] } | { ok: false; problem: 'not_found' | 'locked' | 'count' };

/**
 * A batch of one-time codes for a group. Refused after the lock: new codes after the first real ballot would be
 * new raters, and would let whoever holds them add ballots to a campaign whose results they can watch.
 */
export async function issueCodes(db: Db, evaluationId: number, groupId: number, count: number): Promise<IssueResult> {
	if (!Number.isInteger(count) || count < 1 || count > maxCodesPerBatch) return { ok: false, problem: 'count' };
	const group = await db.selectFrom('evaluation_group').select('id').where('id', '=', groupId).where('evaluation_id', '=', evaluationId).executeTakeFirst();
	if (!group) return { ok: false, problem: 'not_found' };
	if (await isLocked(db, evaluationId)) return { ok: false, problem: 'locked' };
	const { batch, codes } = await generateCodes(db, evaluationId, groupId, count);
	return { ok: true, batch, codes };
}

export type BatchView = { batch: number; groupId: number; groupName: string; issued: number; used: number; voided: number };

export async function listBatches(db: Db, evaluationId: number): Promise<BatchView[]> {
	const rows = await db
		.selectFrom('evaluation_code as c')
		.innerJoin('evaluation_group as g', 'g.id', 'c.group_id')
		.select((eb) => [
			'c.batch',
			'c.group_id',
			'g.name',
			eb.fn.countAll<number>().as('issued'),
			eb.fn.sum<number>('c.used').as('used'),
			eb.fn.sum<number>('c.voided').as('voided')
		])
		.where('c.evaluation_id', '=', evaluationId)
		.groupBy(['c.batch', 'c.group_id', 'g.name'])
		.orderBy('c.batch')
		.execute();
	return rows.map((r) => ({ batch: r.batch, groupId: r.group_id, groupName: r.name, issued: Number(r.issued), used: Number(r.used), voided: Number(r.voided) }));
}

// ---- the run ----------------------------------------------------------------------------------------------

export type RunProblem = 'not_found' | 'locked' | 'status' | 'no_targets' | 'no_criteria' | 'no_groups' | 'window_over' | 'not_open';
export type RunResult = { ok: true; eligible: number } | { ok: false; problem: RunProblem };

async function readiness(trx: Db, evaluationId: number): Promise<RunProblem | null> {
	const count = async (table: 'evaluation_target' | 'evaluation_criterion' | 'evaluation_group') =>
		Number((await trx.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('evaluation_id', '=', evaluationId).executeTakeFirstOrThrow()).n);
	if ((await count('evaluation_target')) === 0) return 'no_targets';
	if ((await count('evaluation_criterion')) === 0) return 'no_criteria';
	if ((await count('evaluation_group')) === 0) return 'no_groups';
	return null;
}

/** The test run (试测): ballots are taken at once, whatever the window; the eligible list is fixed as it stands. */
export async function startTrial(db: Db, evaluationId: number, now = Date.now()): Promise<RunResult> {
	return db.transaction().execute(async (trx): Promise<RunResult> => {
		const row = await trx.selectFrom('evaluation').select('status').where('id', '=', evaluationId).executeTakeFirst();
		if (!row) return { ok: false, problem: 'not_found' };
		if (row.status !== 'draft') return { ok: false, problem: 'status' };
		const problem = await readiness(trx, evaluationId);
		if (problem) return { ok: false, problem };
		const eligible = await snapshotEligible(trx, evaluationId);
		await trx.updateTable('evaluation').set({ status: 'trial', updated_at: now }).where('id', '=', evaluationId).execute();
		return { ok: true, eligible };
	});
}

/**
 * A change of run that wipes the test ballots (wipeBallots), in one transaction: after any batch of the campaign's
 * ballots being cast (a test ballot must not land after the wipe), and once committed, the wiped rows' earlier
 * versions are dropped from the database too.
 */
async function wipingTestBallots(db: Db, evaluationId: number, change: (trx: Db) => Promise<RunResult>): Promise<RunResult> {
	const result = await db.transaction().execute(async (trx) => {
		await lockCampaignBallots(trx, evaluationId);
		return change(trx);
	});
	if (result.ok) await forgetOldRowVersions(db, ballotTables);
	return result;
}

/**
 * The real run (正式测评), in one transaction: the test run's ballots, receipts and participation go (its codes
 * can be used again), the eligible list is fixed anew, and the status turns live. Ballots are then taken inside
 * the window only.
 */
export async function startLive(db: Db, evaluationId: number, now = Date.now()): Promise<RunResult> {
	return wipingTestBallots(db, evaluationId, async (trx) => {
		const row = await trx.selectFrom('evaluation').select(['status', 'closes_at']).where('id', '=', evaluationId).executeTakeFirst();
		if (!row) return { ok: false, problem: 'not_found' };
		if (row.status === 'live') return { ok: false, problem: 'status' };
		if (now >= row.closes_at) return { ok: false, problem: 'window_over' };
		const problem = await readiness(trx, evaluationId);
		if (problem) return { ok: false, problem };
		await wipeBallots(trx, evaluationId);
		const eligible = await snapshotEligible(trx, evaluationId);
		await trx.updateTable('evaluation').set({ status: 'live', updated_at: now }).where('id', '=', evaluationId).execute();
		return { ok: true, eligible };
	});
}

/** Back to draft from the test run, or from the real run while no real ballot is in. The test ballots go too. */
export async function backToDraft(db: Db, evaluationId: number, now = Date.now()): Promise<RunResult> {
	return wipingTestBallots(db, evaluationId, async (trx) => {
		const row = await trx.selectFrom('evaluation').select('status').where('id', '=', evaluationId).executeTakeFirst();
		if (!row) return { ok: false, problem: 'not_found' };
		if (row.status === 'draft') return { ok: false, problem: 'status' };
		if (await isLocked(trx, evaluationId)) return { ok: false, problem: 'locked' };
		await wipeBallots(trx, evaluationId);
		await trx.deleteFrom('evaluation_eligible').where('evaluation_id', '=', evaluationId).execute();
		await trx.updateTable('evaluation').set({ status: 'draft', updated_at: now }).where('id', '=', evaluationId).execute();
		return { ok: true, eligible: 0 };
	});
}

/**
 * 提前结束: the committee ends the real run now, once everyone at the meeting has rated. It cannot be reopened
 * (updateSettings refuses a later end once closed). Taken after any batch of ballots being cast, so a ballot is
 * either in before the end or refused; results appear ten seconds later, as after the window's own end.
 */
export async function closeEarly(db: Db, evaluationId: number, now = Date.now()): Promise<RunResult> {
	return db.transaction().execute(async (trx): Promise<RunResult> => {
		await lockCampaignBallots(trx, evaluationId);
		const row = await trx.selectFrom('evaluation').select(['status', 'opens_at', 'closes_at']).where('id', '=', evaluationId).executeTakeFirst();
		if (!row) return { ok: false, problem: 'not_found' };
		if (row.status !== 'live' || now < row.opens_at || isClosed(row, now)) return { ok: false, problem: 'not_open' };
		// To the minute, as the settings form writes times (so a later title change keeps the end as it is).
		const minute = now - (now % 60_000);
		const end = minute > row.opens_at ? minute : now;
		await trx.updateTable('evaluation').set({ closes_at: end, updated_at: now }).where('id', '=', evaluationId).execute();
		const rated = await trx.selectFrom('evaluation_ballot').select((eb) => eb.fn.countAll<number>().as('n')).where('evaluation_id', '=', evaluationId).executeTakeFirstOrThrow();
		return { ok: true, eligible: Number(rated.n) };
	});
}

export { defaultThreshold, minThreshold, maxCodesPerBatch };
