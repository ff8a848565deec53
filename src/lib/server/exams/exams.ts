import { randomBytes } from 'node:crypto';
import type { Db } from '../db';
import type { AudienceKind, Exam, ExamKind, ResultsPolicy, Role } from '../db/schema';
import { difficulties, questionTypes, type Difficulty, type QuestionType } from '../bank/types';
import { subtreeUnitIds } from '../org/units';
import { roles as allRoles } from '../org/members';
import { checkBlueprint, type BlueprintRow, type Candidate, type RowShortfall } from './papers';
import type { MultiplePolicy } from './scoring';
import { defaultWindow, nextQuarter, parseQuarter } from './quarters';

// A quarterly test: its settings, blueprint and audience. A draft can be changed freely; a published test keeps
// its blueprint, audience and scoring rules once anyone has started it (the papers and scores depend on them),
// while its title and window may still move (say, to give everyone a week more).

export type ExamSettings = {
	title: string;
	quarter: string;
	kind: ExamKind;
	opensAt: number;
	closesAt: number;
	durationMinutes: number;
	passCents: number;
	attemptsAllowed: number;
	multiplePolicy: MultiplePolicy;
	resultsPolicy: ResultsPolicy;
};

export type Audience = { unitIds: number[]; roles: Role[]; include: number[]; exclude: number[] };

export type ExamView = ExamSettings & {
	id: number;
	status: Exam['status'];
	seed: string;
	blueprint: BlueprintRow[];
	audience: Audience;
	totalCents: number;
	questionCount: number;
	publishedAt: number | null;
	/** Someone has started it: blueprint, audience and rules are fixed. */
	locked: boolean;
	clonedFrom: number | null;
};

export type SettingsField = keyof ExamSettings;
export type SettingsProblem = 'required' | 'too_long' | 'invalid' | 'window_order' | 'too_small' | 'too_large';
export type SettingsErrors = Partial<Record<SettingsField, SettingsProblem>>;

export const titleMaxLength = 100;
export const maxDurationMinutes = 600;
export const maxAttempts = 10;
export const maxBlueprintRows = 100;
export const maxQuestionsPerExam = 300;
/** 100 points per question at most, in cents. */
export const maxPointsCents = 10_000;

export const multiplePolicies: MultiplePolicy[] = ['all_or_nothing', 'partial_half'];
export const resultsPolicies: ResultsPolicy[] = ['immediate', 'after_close', 'never'];
export const examKinds: ExamKind[] = ['quarterly', 'practice'];

export function validateSettings(s: ExamSettings): SettingsErrors {
	const errors: SettingsErrors = {};
	if (!s.title.trim()) errors.title = 'required';
	else if ([...s.title.trim()].length > titleMaxLength) errors.title = 'too_long';
	if (!parseQuarter(s.quarter)) errors.quarter = 'invalid';
	if (!examKinds.includes(s.kind)) errors.kind = 'invalid';
	if (!Number.isFinite(s.opensAt)) errors.opensAt = 'invalid';
	if (!Number.isFinite(s.closesAt)) errors.closesAt = 'invalid';
	else if (Number.isFinite(s.opensAt) && s.closesAt <= s.opensAt) errors.closesAt = 'window_order';
	if (!Number.isInteger(s.durationMinutes)) errors.durationMinutes = 'invalid';
	else if (s.durationMinutes < 1) errors.durationMinutes = 'too_small';
	else if (s.durationMinutes > maxDurationMinutes) errors.durationMinutes = 'too_large';
	if (!Number.isInteger(s.passCents) || s.passCents < 0) errors.passCents = 'invalid';
	if (!Number.isInteger(s.attemptsAllowed)) errors.attemptsAllowed = 'invalid';
	else if (s.attemptsAllowed < 1) errors.attemptsAllowed = 'too_small';
	else if (s.attemptsAllowed > maxAttempts) errors.attemptsAllowed = 'too_large';
	if (!multiplePolicies.includes(s.multiplePolicy)) errors.multiplePolicy = 'invalid';
	if (!resultsPolicies.includes(s.resultsPolicy)) errors.resultsPolicy = 'invalid';
	return errors;
}

export type BlueprintProblem = 'area' | 'type' | 'difficulty' | 'count' | 'points' | 'too_many_rows' | 'too_many_questions';

/** Checks what a person typed into the blueprint editor; row numbers are 1-based as shown. */
export function validateBlueprint(rows: BlueprintRow[], areaIds: Set<number>): { row: number; problem: BlueprintProblem }[] {
	const problems: { row: number; problem: BlueprintProblem }[] = [];
	if (rows.length > maxBlueprintRows) problems.push({ row: rows.length, problem: 'too_many_rows' });
	rows.forEach((r, i) => {
		const row = i + 1;
		if (!areaIds.has(r.areaId)) problems.push({ row, problem: 'area' });
		else if (!questionTypes.includes(r.type)) problems.push({ row, problem: 'type' });
		else if (!difficulties.includes(r.difficulty)) problems.push({ row, problem: 'difficulty' });
		else if (!Number.isInteger(r.count) || r.count < 1 || r.count > maxQuestionsPerExam) problems.push({ row, problem: 'count' });
		else if (!Number.isInteger(r.points) || r.points < 1 || r.points > maxPointsCents) problems.push({ row, problem: 'points' });
	});
	const total = rows.reduce((n, r) => n + (Number.isInteger(r.count) ? r.count : 0), 0);
	if (total > maxQuestionsPerExam) problems.push({ row: rows.length, problem: 'too_many_questions' });
	return problems;
}

export function blueprintTotals(rows: BlueprintRow[]): { questionCount: number; totalCents: number } {
	return {
		questionCount: rows.reduce((n, r) => n + r.count, 0),
		totalCents: rows.reduce((n, r) => n + r.count * r.points, 0)
	};
}

function newSeed(): string {
	return randomBytes(16).toString('hex');
}

export async function createExam(db: Db, actorId: number, settings: ExamSettings, now = Date.now()): Promise<number> {
	const row = await db
		.insertInto('exam')
		.values({
			title: settings.title.trim(),
			quarter: settings.quarter,
			kind: settings.kind,
			status: 'draft',
			opens_at: settings.opensAt,
			closes_at: settings.closesAt,
			duration_minutes: settings.durationMinutes,
			pass_cents: settings.passCents,
			attempts_allowed: settings.attemptsAllowed,
			multiple_policy: settings.multiplePolicy,
			results_policy: settings.resultsPolicy,
			seed: newSeed(),
			cloned_from: null,
			published_at: null,
			published_by: null,
			created_at: now,
			created_by: actorId,
			updated_at: now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export type ExamChangeResult = { ok: true } | { ok: false; problem: 'not_found' | 'locked' };

/**
 * Saves the settings. Once someone has started the test, only the title and the window may change: the pass mark,
 * duration, attempts and scoring rules are part of what members were told when they started.
 */
export async function updateExamSettings(db: Db, id: number, s: ExamSettings, now = Date.now()): Promise<ExamChangeResult> {
	return db.transaction().execute(async (trx) => {
		const exam = await trx.selectFrom('exam').selectAll().where('id', '=', id).executeTakeFirst();
		if (!exam) return { ok: false, problem: 'not_found' } as const;
		const locked = await hasAttempts(trx, id);
		const changesRules =
			exam.quarter !== s.quarter ||
			exam.kind !== s.kind ||
			exam.duration_minutes !== s.durationMinutes ||
			exam.pass_cents !== s.passCents ||
			exam.attempts_allowed !== s.attemptsAllowed ||
			exam.multiple_policy !== s.multiplePolicy;
		if (locked && changesRules) return { ok: false, problem: 'locked' } as const;
		await trx
			.updateTable('exam')
			.set({
				title: s.title.trim(),
				quarter: s.quarter,
				kind: s.kind,
				opens_at: s.opensAt,
				closes_at: s.closesAt,
				duration_minutes: s.durationMinutes,
				pass_cents: s.passCents,
				attempts_allowed: s.attemptsAllowed,
				multiple_policy: s.multiplePolicy,
				results_policy: s.resultsPolicy,
				updated_at: now
			})
			.where('id', '=', id)
			.execute();
		return { ok: true } as const;
	});
}

async function hasAttempts(db: Db, examId: number): Promise<boolean> {
	const row = await db.selectFrom('attempt').select('id').where('exam_id', '=', examId).limit(1).executeTakeFirst();
	return row !== undefined;
}

/** Replaces the blueprint (all rows at once: the editor saves the whole table). Refused once anyone has started. */
export async function setBlueprint(db: Db, examId: number, rows: BlueprintRow[], now = Date.now()): Promise<ExamChangeResult> {
	return db.transaction().execute(async (trx) => {
		const exam = await trx.selectFrom('exam').select('id').where('id', '=', examId).executeTakeFirst();
		if (!exam) return { ok: false, problem: 'not_found' } as const;
		if (await hasAttempts(trx, examId)) return { ok: false, problem: 'locked' } as const;
		await writeBlueprint(trx, examId, rows, now);
		return { ok: true } as const;
	});
}

/** The rows themselves; the caller holds the transaction and has checked the lock. */
async function writeBlueprint(trx: Db, examId: number, rows: BlueprintRow[], now: number): Promise<void> {
	await trx.deleteFrom('exam_blueprint_row').where('exam_id', '=', examId).execute();
	if (rows.length > 0) {
		await trx
			.insertInto('exam_blueprint_row')
			.values(
				rows.map((r, i) => ({
					exam_id: examId,
					position: i + 1,
					area_id: r.areaId,
					type: r.type,
					difficulty: r.difficulty,
					count: r.count,
					points_cents: r.points
				}))
			)
			.execute();
	}
	await trx.updateTable('exam').set({ updated_at: now }).where('id', '=', examId).execute();
}

export async function setAudience(db: Db, examId: number, audience: Audience, now = Date.now()): Promise<ExamChangeResult> {
	return db.transaction().execute(async (trx) => {
		const exam = await trx.selectFrom('exam').select('id').where('id', '=', examId).executeTakeFirst();
		if (!exam) return { ok: false, problem: 'not_found' } as const;
		if (await hasAttempts(trx, examId)) return { ok: false, problem: 'locked' } as const;
		await writeAudience(trx, examId, audience, now);
		return { ok: true } as const;
	});
}

/** The audience rows themselves; the caller holds the transaction and has checked the lock. */
async function writeAudience(trx: Db, examId: number, audience: Audience, now: number): Promise<void> {
	await trx.deleteFrom('exam_audience').where('exam_id', '=', examId).execute();
	const rows: { exam_id: number; kind: AudienceKind; ref: string }[] = [
		...[...new Set(audience.unitIds)].map((id) => ({ exam_id: examId, kind: 'unit' as const, ref: String(id) })),
		...[...new Set(audience.roles)].map((role) => ({ exam_id: examId, kind: 'role' as const, ref: role })),
		...[...new Set(audience.include)].map((id) => ({ exam_id: examId, kind: 'include' as const, ref: String(id) })),
		...[...new Set(audience.exclude)].map((id) => ({ exam_id: examId, kind: 'exclude' as const, ref: String(id) }))
	];
	if (rows.length > 0) await trx.insertInto('exam_audience').values(rows).execute();
	await trx.updateTable('exam').set({ updated_at: now }).where('id', '=', examId).execute();
}

export async function getExam(db: Db, id: number): Promise<ExamView | undefined> {
	const exam = await db.selectFrom('exam').selectAll().where('id', '=', id).executeTakeFirst();
	if (!exam) return undefined;
	const [rows, audienceRows, locked] = await Promise.all([
		db.selectFrom('exam_blueprint_row').selectAll().where('exam_id', '=', id).orderBy('position').execute(),
		db.selectFrom('exam_audience').selectAll().where('exam_id', '=', id).execute(),
		hasAttempts(db, id)
	]);
	const blueprint: BlueprintRow[] = rows.map((r) => ({ areaId: r.area_id, type: r.type, difficulty: r.difficulty, count: r.count, points: r.points_cents }));
	return { ...toSettings(exam), id: exam.id, status: exam.status, seed: exam.seed, blueprint, audience: toAudience(audienceRows), ...blueprintTotals(blueprint), publishedAt: exam.published_at, locked, clonedFrom: exam.cloned_from };
}

export function toSettings(exam: Exam): ExamSettings {
	return {
		title: exam.title,
		quarter: exam.quarter,
		kind: exam.kind,
		opensAt: exam.opens_at,
		closesAt: exam.closes_at,
		durationMinutes: exam.duration_minutes,
		passCents: exam.pass_cents,
		attemptsAllowed: exam.attempts_allowed,
		multiplePolicy: exam.multiple_policy,
		resultsPolicy: exam.results_policy
	};
}

function toAudience(rows: { kind: AudienceKind; ref: string }[]): Audience {
	const of = (kind: AudienceKind) => rows.filter((r) => r.kind === kind).map((r) => r.ref);
	return {
		unitIds: of('unit').map(Number),
		roles: of('role').filter((r): r is Role => (allRoles as string[]).includes(r)),
		include: of('include').map(Number),
		exclude: of('exclude').map(Number)
	};
}

export type ExamSummary = ExamSettings & { id: number; status: Exam['status']; questionCount: number; totalCents: number; started: number; submitted: number };

/** Every test, newest quarter first, with how many have started and submitted. */
export async function listExams(db: Db): Promise<ExamSummary[]> {
	const exams = await db.selectFrom('exam').selectAll().orderBy('quarter', 'desc').orderBy('opens_at', 'desc').orderBy('id', 'desc').execute();
	const totals = await db
		.selectFrom('exam_blueprint_row')
		.select(['exam_id', (eb) => eb.fn.sum<number>('count').as('n'), (eb) => eb.fn.sum<number>(eb('count', '*', eb.ref('points_cents'))).as('cents')])
		.groupBy('exam_id')
		.execute();
	const counts = await db
		.selectFrom('attempt')
		.select(['exam_id', (eb) => eb.fn.count<number>('member_id').distinct().as('started'), (eb) => eb.fn.count<number>('submitted_at').as('submitted')])
		.groupBy('exam_id')
		.execute();
	const totalOf = new Map(totals.map((t) => [t.exam_id, t]));
	const countOf = new Map(counts.map((c) => [c.exam_id, c]));
	return exams.map((e) => ({
		...toSettings(e),
		id: e.id,
		status: e.status,
		questionCount: Number(totalOf.get(e.id)?.n ?? 0),
		totalCents: Number(totalOf.get(e.id)?.cents ?? 0),
		started: Number(countOf.get(e.id)?.started ?? 0),
		submitted: Number(countOf.get(e.id)?.submitted ?? 0)
	}));
}

// ---- the pool a paper is drawn from -------------------------------------------------------------------------

/** Active questions (their current versions), as the paper generator wants them. */
export async function candidatePool(db: Db): Promise<Candidate[]> {
	const versions = await db
		.selectFrom('question')
		.innerJoin('question_version', 'question_version.id', 'question.current_version_id')
		.select(['question.id as questionId', 'question_version.id as versionId', 'question_version.type', 'question_version.difficulty', 'question_version.options'])
		.where('question.status', '=', 'active')
		.execute();
	const areas = await db
		.selectFrom('question_version_area')
		.innerJoin('question', 'question.current_version_id', 'question_version_area.version_id')
		.select(['question_version_area.version_id', 'question_version_area.area_id'])
		.where('question.status', '=', 'active')
		.execute();
	const areasOf = new Map<number, number[]>();
	for (const a of areas) {
		const list = areasOf.get(a.version_id);
		if (list) list.push(a.area_id);
		else areasOf.set(a.version_id, [a.area_id]);
	}
	return versions.map((v) => ({
		questionId: v.questionId,
		versionId: v.versionId,
		type: v.type,
		difficulty: v.difficulty,
		areaIds: areasOf.get(v.versionId) ?? [],
		optionCount: v.type === 'single' || v.type === 'multiple' ? (JSON.parse(v.options) as string[]).length : 0
	}));
}

export type BlueprintRowStatus = BlueprintRow & { available: number; missing: number };

/** Beside every row: how many active questions fit it and how many a maximum draw leaves missing. */
export async function blueprintStatus(db: Db, rows: BlueprintRow[]): Promise<BlueprintRowStatus[]> {
	if (rows.length === 0) return [];
	const pool = await candidatePool(db);
	const shortfall = checkBlueprint(rows, pool);
	return rows.map((r, i) => {
		const s = shortfall.find((x) => x.row === i);
		const available = s?.available ?? pool.filter((c) => c.type === r.type && c.difficulty === r.difficulty && c.areaIds.includes(r.areaId)).length;
		return { ...r, available, missing: s?.missing ?? 0 };
	});
}

export type PublishResult =
	| { ok: true }
	| { ok: false; problem: 'not_found' | 'no_rows' | 'pass_above_total' }
	| { ok: false; problem: 'unfillable'; shortfall: RowShortfall[] };

/** Publishing is refused while any row cannot be filled from the active questions. */
export async function publishExam(db: Db, id: number, actorId: number, now = Date.now()): Promise<PublishResult> {
	const exam = await getExam(db, id);
	if (!exam) return { ok: false, problem: 'not_found' };
	if (exam.blueprint.length === 0) return { ok: false, problem: 'no_rows' };
	if (exam.passCents > exam.totalCents) return { ok: false, problem: 'pass_above_total' };
	const shortfall = checkBlueprint(exam.blueprint, await candidatePool(db));
	if (shortfall.length > 0) return { ok: false, problem: 'unfillable', shortfall };
	await db.updateTable('exam').set({ status: 'published', published_at: now, published_by: actorId, updated_at: now }).where('id', '=', id).execute();
	return { ok: true };
}

/** Back to draft, only while nobody has started it. */
export async function unpublishExam(db: Db, id: number, now = Date.now()): Promise<ExamChangeResult> {
	if (await hasAttempts(db, id)) return { ok: false, problem: 'locked' };
	const result = await db.updateTable('exam').set({ status: 'draft', published_at: null, published_by: null, updated_at: now }).where('id', '=', id).executeTakeFirst();
	return Number(result.numUpdatedRows) === 1 ? { ok: true } : { ok: false, problem: 'not_found' };
}

/** A draft copy for the next quarter: same blueprint, audience and rules, the next quarter's default window, a new seed. */
export async function cloneExam(db: Db, id: number, actorId: number, timeZone: string, now = Date.now()): Promise<number | undefined> {
	const exam = await getExam(db, id);
	if (!exam) return undefined;
	const quarter = nextQuarter(exam.quarter);
	const window = defaultWindow(quarter, timeZone);
	const title = exam.title.includes(exam.quarter) ? exam.title.replace(exam.quarter, quarter) : exam.title;
	// One transaction: a copy is whole (settings, blueprint and audience) or not there at all.
	return db.transaction().execute(async (trx) => {
		const newId = await createExam(trx, actorId, { ...exam, title, quarter, ...window }, now);
		await trx.updateTable('exam').set({ cloned_from: id }).where('id', '=', newId).execute();
		await writeBlueprint(trx, newId, exam.blueprint, now);
		await writeAudience(trx, newId, exam.audience, now);
		return newId;
	});
}

export async function deleteDraft(db: Db, id: number): Promise<ExamChangeResult> {
	return db.transaction().execute(async (trx) => {
		const exam = await trx.selectFrom('exam').select('status').where('id', '=', id).executeTakeFirst();
		if (!exam) return { ok: false, problem: 'not_found' } as const;
		if (exam.status !== 'draft' || (await hasAttempts(trx, id))) return { ok: false, problem: 'locked' } as const;
		await trx.updateTable('exam').set({ cloned_from: null }).where('cloned_from', '=', id).execute();
		await trx.deleteFrom('exam').where('id', '=', id).execute();
		return { ok: true } as const;
	});
}

// ---- audience ---------------------------------------------------------------------------------------------

/** Active members who are to take the test (see the migration for the rule). */
export async function audienceMemberIds(db: Db, examId: number): Promise<number[]> {
	const rows = await db.selectFrom('exam_audience').select(['kind', 'ref']).where('exam_id', '=', examId).execute();
	const audience = toAudience(rows);
	let query = db.selectFrom('member').select('member.id').where('member.status', '=', 'active');
	if (audience.unitIds.length > 0) {
		const units = new Set<number>();
		for (const unitId of audience.unitIds) for (const u of await subtreeUnitIds(db, unitId)) units.add(u);
		query = query.where('member.unit_id', 'in', [...units]);
	}
	if (audience.roles.length > 0) {
		const wanted = audience.roles;
		query = query.where((eb) =>
			eb.exists(eb.selectFrom('member_role').select('member_role.member_id').whereRef('member_role.member_id', '=', 'member.id').where('member_role.role', 'in', wanted))
		);
	}
	const ids = new Set((await query.execute()).map((r) => r.id));
	if (audience.include.length > 0) {
		const added = await db.selectFrom('member').select('id').where('id', 'in', audience.include).where('status', '=', 'active').execute();
		for (const a of added) ids.add(a.id);
	}
	for (const id of audience.exclude) ids.delete(id);
	return [...ids].sort((a, b) => a - b);
}

export async function inAudience(db: Db, examId: number, memberId: number): Promise<boolean> {
	// The audience is small enough (a county: hundreds) that computing it whole is simpler than a special query.
	return (await audienceMemberIds(db, examId)).includes(memberId);
}

// ---- make-ups (补考) ---------------------------------------------------------------------------------------

export type Makeup = { id: number; opensAt: number; closesAt: number; memberIds: number[] };

export async function createMakeup(
	db: Db,
	examId: number,
	input: { opensAt: number; closesAt: number; memberIds: number[] },
	actorId: number,
	now = Date.now()
): Promise<{ ok: true; id: number } | { ok: false; problem: 'not_found' | 'window_order' | 'no_members' | 'not_published' }> {
	if (!(input.closesAt > input.opensAt)) return { ok: false, problem: 'window_order' };
	const memberIds = [...new Set(input.memberIds)];
	if (memberIds.length === 0) return { ok: false, problem: 'no_members' };
	return db.transaction().execute(async (trx) => {
		const exam = await trx.selectFrom('exam').select('status').where('id', '=', examId).executeTakeFirst();
		if (!exam) return { ok: false, problem: 'not_found' } as const;
		if (exam.status !== 'published') return { ok: false, problem: 'not_published' } as const;
		const existing = await trx.selectFrom('member').select('id').where('id', 'in', memberIds).execute();
		if (existing.length !== memberIds.length) return { ok: false, problem: 'no_members' } as const;
		const row = await trx
			.insertInto('exam_makeup')
			.values({ exam_id: examId, opens_at: input.opensAt, closes_at: input.closesAt, created_at: now, created_by: actorId })
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx.insertInto('exam_makeup_member').values(memberIds.map((member_id) => ({ makeup_id: row.id, member_id }))).execute();
		return { ok: true, id: row.id } as const;
	});
}

export async function listMakeups(db: Db, examId: number): Promise<Makeup[]> {
	const makeups = await db.selectFrom('exam_makeup').selectAll().where('exam_id', '=', examId).orderBy('opens_at').execute();
	if (makeups.length === 0) return [];
	const members = await db.selectFrom('exam_makeup_member').selectAll().where('makeup_id', 'in', makeups.map((m) => m.id)).execute();
	return makeups.map((m) => ({
		id: m.id,
		opensAt: m.opens_at,
		closesAt: m.closes_at,
		memberIds: members.filter((x) => x.makeup_id === m.id).map((x) => x.member_id)
	}));
}

export { type BlueprintRow, type Difficulty, type QuestionType };
