import type { Db } from '../db';
import { lockKeys } from '../db/dialect';
import { compiledOnce } from '../db/compiled';
import { recordResult, retractResult } from './exam-results';
import type { Attempt, Exam, SubmittedHow } from '../db/schema';
import { decodeKey } from '../bank/questions';
import type { QuestionKey, QuestionType } from '../bank/types';
import { candidatePool, inAudience } from './exams';
import { poolDigest } from './audit';
import { paperSeed } from './paper-seed';
import { generatePaper, paperAlgorithmVersion, type BlueprintRow } from './papers';
import { parseAnswer, passed, scoreAnswer, sumByArea, type Answer, type Outcome } from './scoring';
import { previousQuarter } from './quarters';

// Attempts: starting (the paper is drawn then), saving answers, submitting and scoring.
//
// The server owns the clock. `deadline_at` is fixed when the attempt starts; every save compares with the server's
// time, and the sweeper (startup.ts) submits attempts whose deadline has passed with what was saved.
//
// No acknowledged answer is lost and no stale write wins: a save carries the time of the edit in server-clock
// milliseconds, and an answer is stored only when its edit is at least as new as the stored one, in one
// transaction that commits (synchronous=FULL) before the server acknowledges. Two tabs or two devices therefore
// end with the answer edited last, whatever order their saves arrive in.

export type StartProblem = 'not_found' | 'not_open' | 'closed' | 'not_in_audience' | 'used_up' | 'unfillable';

export type Eligibility =
	| { kind: 'resume'; attemptId: number }
	| { kind: 'start'; makeupId: number | null; closesAt: number }
	| { kind: 'none'; problem: StartProblem };

/** Attempts older than this many quarters do not count as "recently seen" when a paper is drawn. */
const recentQuarters = 4;

/** What a member may do with a test right now: resume an open attempt, start one (regular or make-up), or why not. */
export async function eligibility(db: Db, exam: Exam, memberId: number, now = Date.now()): Promise<Eligibility> {
	if (exam.status !== 'published') return { kind: 'none', problem: 'not_found' };
	const attempts = await db
		.selectFrom('attempt')
		.select(['id', 'makeup_id', 'submitted_at', 'deadline_at', 'mode'])
		.where('exam_id', '=', exam.id)
		.where('member_id', '=', memberId)
		.execute();
	const open = attempts.find((a) => a.submitted_at === null && a.mode === 'online');
	if (open && open.deadline_at > now) return { kind: 'resume', attemptId: open.id };

	const makeups = await db
		.selectFrom('exam_makeup')
		.innerJoin('exam_makeup_member', 'exam_makeup_member.makeup_id', 'exam_makeup.id')
		.select(['exam_makeup.id', 'exam_makeup.opens_at', 'exam_makeup.closes_at'])
		.where('exam_makeup.exam_id', '=', exam.id)
		.where('exam_makeup_member.member_id', '=', memberId)
		.execute();
	const makeup = makeups.find((m) => m.opens_at <= now && now < m.closes_at && !attempts.some((a) => a.makeup_id === m.id));
	if (makeup) return { kind: 'start', makeupId: makeup.id, closesAt: makeup.closes_at };

	if (now < exam.opens_at) return { kind: 'none', problem: 'not_open' };
	if (now >= exam.closes_at) return { kind: 'none', problem: 'closed' };
	if (!(await inAudience(db, exam.id, memberId))) return { kind: 'none', problem: 'not_in_audience' };
	const regular = attempts.filter((a) => a.makeup_id === null).length;
	if (regular >= exam.attempts_allowed) return { kind: 'none', problem: 'used_up' };
	return { kind: 'start', makeupId: null, closesAt: exam.closes_at };
}

export type StartResult = { ok: true; attemptId: number; resumed: boolean } | { ok: false; problem: StartProblem };

/**
 * Starts (or resumes) the member's attempt and draws the paper. A member who clicks "start" twice, or on two
 * devices at once, gets one attempt: the transaction takes the write lock before it looks.
 */
export async function startAttempt(
	db: Db,
	examId: number,
	memberId: number,
	now = Date.now(),
	mode: 'online' | 'paper' = 'online'
): Promise<StartResult> {
	await submitExpired(db, now, { examId, memberId });
	return db.transaction().execute(async (trx) => {
		// Two starts at once (two tabs, two servers) give one attempt: the second waits and then resumes it.
		await lockKeys(trx, 'attempt_start', [`${examId}:${memberId}`]);
		const exam = await trx.selectFrom('exam').selectAll().where('id', '=', examId).executeTakeFirst();
		if (!exam) return { ok: false, problem: 'not_found' } as const;
		const can = await eligibility(trx, exam, memberId, now);
		if (can.kind === 'resume') return { ok: true, attemptId: can.attemptId, resumed: true } as const;
		if (can.kind === 'none') return { ok: false, problem: can.problem } as const;

		const previous = await trx
			.selectFrom('attempt')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('exam_id', '=', examId)
			.where('member_id', '=', memberId)
			.executeTakeFirstOrThrow();
		const number = Number(previous.n) + 1;
		const blueprintRows = await trx.selectFrom('exam_blueprint_row').selectAll().where('exam_id', '=', examId).orderBy('position').execute();
		const blueprint: BlueprintRow[] = blueprintRows.map((r) => ({ areaId: r.area_id, type: r.type, difficulty: r.difficulty, count: r.count, points: r.points_cents }));
		const candidates = await candidatePool(trx);
		const recent = await recentlySeen(trx, memberId, exam.quarter);
		const paper = generatePaper({ seed: paperSeed(exam.seed, number), memberId, blueprint, candidates, recentlySeen: recent });
		if (!paper.ok) return { ok: false, problem: 'unfillable' } as const;

		const types = new Map(
			(
				await trx
					.selectFrom('question_version')
					.select(['id', 'type'])
					.where('id', 'in', paper.items.length > 0 ? paper.items.map((i) => i.versionId) : [0])
					.execute()
			).map((v) => [v.id, v.type])
		);
		const maxCents = paper.items.reduce((n, i) => n + i.points, 0);
		const deadline = Math.min(now + exam.duration_minutes * 60_000, can.closesAt);
		const attempt = await trx
			.insertInto('attempt')
			.values({
				exam_id: examId,
				member_id: memberId,
				number,
				makeup_id: can.makeupId,
				mode,
				started_at: now,
				// A printed paper is answered on paper and entered later: its deadline is the window's close.
				deadline_at: mode === 'paper' ? can.closesAt : deadline,
				submitted_at: null,
				submitted_how: null,
				score_cents: null,
				max_cents: maxCents,
				passed: null,
				paper_algorithm: paperAlgorithmVersion,
				recent_questions: JSON.stringify(recent),
				pool_digest: poolDigest(candidates),
				entered_by: null
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		if (paper.items.length > 0) {
			await trx
				.insertInto('attempt_item')
				.values(
					paper.items.map((item) => ({
						attempt_id: attempt.id,
						position: item.position,
						question_id: item.questionId,
						version_id: item.versionId,
						key_version_id: item.versionId,
						type: types.get(item.versionId) as QuestionType,
						points_cents: item.points,
						option_order: JSON.stringify(item.optionOrder),
						answer: null,
						edited_at: null,
						earned_cents: null,
						outcome: null
					}))
				)
				.execute();
		}
		return { ok: true, attemptId: attempt.id, resumed: false } as const;
	});
}

/** Questions on the member's papers of this quarter and the four before it. */
async function recentlySeen(db: Db, memberId: number, quarter: string): Promise<number[]> {
	const quarters = [quarter];
	for (let i = 0; i < recentQuarters; i++) quarters.push(previousQuarter(quarters[quarters.length - 1] as string));
	const rows = await db
		.selectFrom('attempt_item')
		.innerJoin('attempt', 'attempt.id', 'attempt_item.attempt_id')
		.innerJoin('exam', 'exam.id', 'attempt.exam_id')
		.select('attempt_item.question_id')
		.distinct()
		.where('attempt.member_id', '=', memberId)
		.where('exam.quarter', 'in', quarters)
		.execute();
	return rows.map((r) => r.question_id);
}

// ---- saving answers ----------------------------------------------------------------------------------------

/** One change from the page: an answer (original option indexes) and/or the flag, with the edit's server-clock time. */
export type Save = { position: number; editedAt: number; answer?: unknown; flagged?: boolean };

export type SaveProblem = 'not_found' | 'submitted' | 'deadline' | 'invalid';
export type SaveResult =
	| { ok: true; results: ('saved' | 'stale')[]; deadlineAt: number }
	| { ok: false; problem: SaveProblem; position?: number };

/** The most saves one request may carry: a whole paper queued offline fits easily. */
export const maxSavesPerRequest = 500;

/**
 * Stores a batch of saves in order, all or nothing. Each answer is kept only if its edit is not older than the
 * stored one: `stale` tells the page that a newer answer (another tab, another device) is already there.
 * `editedAt` later than now is taken as now, so a browser whose clock estimate runs ahead cannot pin an answer
 * against later edits.
 */
export async function saveAnswers(db: Db, attemptId: number, memberId: number, saves: Save[], now = Date.now()): Promise<SaveResult> {
	const result = await db.transaction().execute((trx) => applySaves(trx, attemptId, memberId, saves, now));
	// Past the deadline with the attempt still open: submit it now with what was saved, rather than wait for the sweep.
	if (!result.ok && result.problem === 'deadline') await submitAttempt(db, attemptId, 'deadline', now);
	return result;
}

// The queries of a save, compiled once (db/compiled.ts): they run thousands of times a second during a test.
const attemptToSave = compiledOnce((db: Db, attemptId: number) =>
	db.selectFrom('attempt').select(['member_id', 'deadline_at', 'submitted_at', 'mode', 'started_at']).where('id', '=', attemptId)
);
const itemTypeAt = compiledOnce((db: Db, attemptId: number, position: number) =>
	db.selectFrom('attempt_item').select(['position', 'type']).where('attempt_id', '=', attemptId).where('position', '=', position)
);
/** Keeps the answer only if its edit is not older than the stored one. */
const storeAnswer = compiledOnce((db: Db, answer: string, editedAt: number, attemptId: number, position: number) =>
	db
		.updateTable('attempt_item')
		.set({ answer, edited_at: editedAt })
		.where('attempt_id', '=', attemptId)
		.where('position', '=', position)
		.where((eb) => eb.or([eb('edited_at', 'is', null), eb('edited_at', '<=', editedAt)]))
);
const storeFlag = compiledOnce((db: Db, flagged: number, attemptId: number, position: number) =>
	db.updateTable('attempt_item').set({ flagged }).where('attempt_id', '=', attemptId).where('position', '=', position)
);

/**
 * saveAnswers' work inside the caller's transaction, so that several members' saves can share one commit
 * (save-batch.ts). Writes nothing unless it returns ok; the caller submits an attempt found past its deadline.
 */
export async function applySaves(trx: Db, attemptId: number, memberId: number, saves: Save[], now: number): Promise<SaveResult> {
	if (saves.length === 0 || saves.length > maxSavesPerRequest) return { ok: false, problem: 'invalid' };
	const attempt = (await attemptToSave(trx, attemptId)).rows[0];
	// Someone else's attempt looks exactly like a missing one: its existence is nobody else's business.
	if (!attempt || attempt.member_id !== memberId || attempt.mode !== 'online') return { ok: false, problem: 'not_found' };
	if (attempt.submitted_at !== null) return { ok: false, problem: 'submitted' };
	if (now >= attempt.deadline_at) return { ok: false, problem: 'deadline' };

	const positions = [...new Set(saves.map((s) => s.position))];
	if (!positions.every((p) => Number.isInteger(p))) return { ok: false, problem: 'invalid' };
	// One position (a save as the page sends it) is the common case and has a query compiled once; a queue sent
	// after the network came back lists several.
	const items =
		positions.length === 1
			? (await itemTypeAt(trx, attemptId, positions[0] as number)).rows
			: await trx.selectFrom('attempt_item').select(['position', 'type']).where('attempt_id', '=', attemptId).where('position', 'in', positions).execute();
	const typeAt = new Map(items.map((i) => [i.position, i.type]));

	const checked: { position: number; editedAt: number; answer: string | undefined; flagged: boolean | undefined }[] = [];
	for (const save of saves) {
		const type = typeAt.get(save.position);
		if (!type || typeof save.editedAt !== 'number' || !Number.isFinite(save.editedAt)) return { ok: false, problem: 'invalid', position: save.position };
		if (save.flagged !== undefined && typeof save.flagged !== 'boolean') return { ok: false, problem: 'invalid', position: save.position };
		let answer: string | undefined;
		if (save.answer !== undefined) {
			const parsed = save.answer === null ? null : parseAnswer(type, save.answer);
			if (save.answer !== null && parsed === null) return { ok: false, problem: 'invalid', position: save.position };
			answer = JSON.stringify(parsed);
		}
		checked.push({ position: save.position, editedAt: Math.min(Math.trunc(save.editedAt), now), answer, flagged: save.flagged });
	}

	const results: ('saved' | 'stale')[] = [];
	for (const save of checked) {
		let outcome: 'saved' | 'stale' = 'saved';
		if (save.answer !== undefined) {
			const updated = await storeAnswer(trx, save.answer, save.editedAt, attemptId, save.position);
			if (Number(updated.numAffectedRows ?? 0) === 0) outcome = 'stale';
		}
		if (save.flagged !== undefined) {
			await storeFlag(trx, save.flagged ? 1 : 0, attemptId, save.position);
		}
		results.push(outcome);
	}
	return { ok: true, results, deadlineAt: attempt.deadline_at };
}

// ---- submitting and scoring ---------------------------------------------------------------------------------

export type SubmitResult = { ok: true; alreadySubmitted: boolean } | { ok: false; problem: 'not_found' };

/**
 * Submits and scores an attempt. Submitting twice is harmless: the second call finds it submitted and changes
 * nothing. An attempt submitted by the deadline is recorded at its deadline, not at the moment the sweep ran.
 */
export async function submitAttempt(db: Db, attemptId: number, how: SubmittedHow, now = Date.now(), enteredBy: number | null = null): Promise<SubmitResult> {
	// Inside a caller's transaction (a manager entering a paper's answers stores and submits them as one change),
	// join it: Kysely cannot open a transaction within a transaction.
	const inTransaction = <T>(work: (trx: Db) => Promise<T>) => (db.isTransaction ? work(db) : db.transaction().execute(work));
	return inTransaction(async (trx) => {
		const attempt = await trx.selectFrom('attempt').selectAll().where('id', '=', attemptId).executeTakeFirst();
		if (!attempt) return { ok: false, problem: 'not_found' } as const;
		if (attempt.submitted_at !== null) return { ok: true, alreadySubmitted: true } as const;
		// A member's submit that arrives after the deadline (time ran out before the sweep came by) is the deadline's
		// submission: saves were refused from the deadline on, so the answers are the deadline's, and "submitted by
		// the member" at a time past the deadline would record a late submission that the rules never allowed.
		const by: SubmittedHow = how === 'member' && attempt.mode === 'online' && now >= attempt.deadline_at ? 'deadline' : how;
		const at = by === 'deadline' ? Math.min(now, attempt.deadline_at) : now;
		// The update is conditional, so two servers (or the sweep and the member) submitting at once submit once.
		const updated = await trx
			.updateTable('attempt')
			.set({ submitted_at: at, submitted_how: by, entered_by: enteredBy })
			.where('id', '=', attemptId)
			.where('submitted_at', 'is', null)
			.executeTakeFirst();
		if (Number(updated.numUpdatedRows) === 0) return { ok: true, alreadySubmitted: true } as const;
		await gradeAttempt(trx, attempt);
		return { ok: true, alreadySubmitted: false } as const;
	});
}

export type GradedItem = { position: number; earnedCents: number; outcome: Outcome };

/** Scores every item from its stored answer and its key version, and stores item, area and total scores. */
export async function gradeAttempt(db: Db, attempt: Pick<Attempt, 'id' | 'exam_id'>): Promise<{ scoreCents: number; items: GradedItem[] }> {
	const exam = await db.selectFrom('exam').select(['multiple_policy', 'pass_cents']).where('id', '=', attempt.exam_id).executeTakeFirstOrThrow();
	const { member_id: memberId } = await db.selectFrom('attempt').select('member_id').where('id', '=', attempt.id).executeTakeFirstOrThrow();
	// The member's stored result (dashboards) is taken out while this attempt's scores change, and put back after.
	const resultUnit = await retractResult(db, attempt.exam_id, memberId);
	const items = await itemsWithKeys(db, attempt.id);
	const graded = items.map((item) => {
		const answer = item.answer === null ? null : (JSON.parse(item.answer) as Answer | null);
		const scored = scoreAnswer(item.key, answer, item.pointsCents, exam.multiple_policy);
		return { position: item.position, earnedCents: scored.earnedCents, outcome: scored.outcome, areaIds: item.areaIds, pointsCents: item.pointsCents };
	});
	for (const g of graded) {
		await db
			.updateTable('attempt_item')
			.set({ earned_cents: g.earnedCents, outcome: g.outcome })
			.where('attempt_id', '=', attempt.id)
			.where('position', '=', g.position)
			.execute();
	}
	const scoreCents = graded.reduce((n, g) => n + g.earnedCents, 0);
	await db.deleteFrom('attempt_area').where('attempt_id', '=', attempt.id).execute();
	const areas = [...sumByArea(graded)];
	if (areas.length > 0) {
		await db
			.insertInto('attempt_area')
			.values(areas.map(([areaId, t]) => ({ attempt_id: attempt.id, area_id: areaId, earned_cents: t.earnedCents, possible_cents: t.possibleCents })))
			.execute();
	}
	await db
		.updateTable('attempt')
		.set({ score_cents: scoreCents, passed: passed(scoreCents, exam.pass_cents) ? 1 : 0 })
		.where('id', '=', attempt.id)
		.execute();
	await recordResult(db, attempt.exam_id, memberId, resultUnit);
	return { scoreCents, items: graded.map(({ position, earnedCents, outcome }) => ({ position, earnedCents, outcome })) };
}

/** The items of an attempt with the key that scores them and the areas of the version drawn. */
export async function itemsWithKeys(db: Db, attemptId: number) {
	const rows = await db
		.selectFrom('attempt_item')
		.innerJoin('question_version as key', 'key.id', 'attempt_item.key_version_id')
		.select([
			'attempt_item.position',
			'attempt_item.question_id',
			'attempt_item.version_id',
			'attempt_item.key_version_id',
			'attempt_item.points_cents',
			'attempt_item.answer',
			'attempt_item.option_order',
			'key.type',
			'key.options',
			'key.answer as key_answer'
		])
		.where('attempt_item.attempt_id', '=', attemptId)
		.orderBy('attempt_item.position')
		.execute();
	const areaRows = rows.length
		? await db.selectFrom('question_version_area').select(['version_id', 'area_id']).where('version_id', 'in', [...new Set(rows.map((r) => r.version_id))]).execute()
		: [];
	return rows.map((r) => ({
		position: r.position,
		questionId: r.question_id,
		versionId: r.version_id,
		keyVersionId: r.key_version_id,
		pointsCents: r.points_cents,
		answer: r.answer,
		optionOrder: JSON.parse(r.option_order) as number[],
		key: decodeKey(r.type, r.options, r.key_answer) as QuestionKey,
		areaIds: areaRows.filter((a) => a.version_id === r.version_id).map((a) => a.area_id)
	}));
}

/**
 * Submits every open attempt whose deadline has passed, with what was saved. Run by a timer on every server and
 * before anything reads an attempt; the conditional update in submitAttempt makes concurrent runs harmless.
 */
export async function submitExpired(db: Db, now = Date.now(), only: { examId?: number; memberId?: number } = {}): Promise<number> {
	let query = db.selectFrom('attempt').select('id').where('submitted_at', 'is', null).where('deadline_at', '<=', now).where('mode', '=', 'online');
	if (only.examId !== undefined) query = query.where('exam_id', '=', only.examId);
	if (only.memberId !== undefined) query = query.where('member_id', '=', only.memberId);
	const expired = await query.execute();
	let submitted = 0;
	for (const { id } of expired) {
		const result = await submitAttempt(db, id, 'deadline', now);
		if (result.ok && !result.alreadySubmitted) submitted++;
	}
	return submitted;
}
