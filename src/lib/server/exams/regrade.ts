import type { Db } from '../db';
import type { QuestionType } from '../bank/types';
import { decodeKey } from '../bank/questions';
import { unitTree } from '../org/units';
import { gradeAttempt } from './attempts';
import { passed, scoreAnswer, type Answer } from './scoring';

// Regrading after a key is corrected in the bank (issue 4: "the committee previews which attempts change and by
// how much, then applies the regrade; it is recorded who did it and when").
//
// Every paper item records the version it was drawn from (`version_id`, never changes: it is what the member
// saw) and the version whose key scored it (`key_version_id`). Editing a question in the bank writes a new
// version and changes neither. A regrade moves `key_version_id` of this test's items holding the question to the
// question's current version and scores the stored answers again.
//
// Answers are stored as ORIGINAL option indexes, so the new key can score an old answer only if the question
// still has the same type and the same number of options; otherwise the answer may not mean the same thing, and
// the regrade is refused with the reason. (Rewording an option is allowed: the committee is correcting it.)

export type RegradeProblem = 'not_found' | 'not_on_test' | 'up_to_date' | 'type_changed' | 'option_count_changed' | 'changed_since_preview';

export type RegradeChange = {
	attemptId: number;
	memberId: number;
	name: string;
	loginId: string;
	unitPath: string;
	oldScoreCents: number;
	newScoreCents: number;
	maxCents: number;
	oldPassed: boolean;
	newPassed: boolean;
};

export type RegradePreview = {
	ok: true;
	questionId: number;
	/** Version numbers of the keys in use now. */
	fromVersions: number[];
	toVersionId: number;
	toVersion: number;
	/** Paper items that move to the current key (submitted or not). */
	items: number;
	/** Submitted attempts whose score changes, with old and new score and pass. */
	changes: RegradeChange[];
	/** The sum of (new − old) over those attempts. */
	deltaCents: number;
};

type Plan = RegradePreview & { submittedAttemptIds: number[] };

function optionCount(type: QuestionType, options: string): number {
	return type === 'single' || type === 'multiple' ? (JSON.parse(options) as string[]).length : 0;
}

async function plan(db: Db, examId: number, questionId: number): Promise<Plan | { ok: false; problem: RegradeProblem }> {
	const exam = await db.selectFrom('exam').select(['id', 'multiple_policy', 'pass_cents']).where('id', '=', examId).executeTakeFirst();
	const current = await db
		.selectFrom('question')
		.innerJoin('question_version', 'question_version.id', 'question.current_version_id')
		.select(['question_version.id', 'question_version.version', 'question_version.type', 'question_version.options', 'question_version.answer'])
		.where('question.id', '=', questionId)
		.executeTakeFirst();
	if (!exam || !current) return { ok: false, problem: 'not_found' };

	const items = await db
		.selectFrom('attempt_item')
		.innerJoin('attempt', 'attempt.id', 'attempt_item.attempt_id')
		.innerJoin('question_version as drawn', 'drawn.id', 'attempt_item.version_id')
		.select([
			'attempt_item.attempt_id',
			'attempt_item.key_version_id',
			'attempt_item.points_cents',
			'attempt_item.answer',
			'attempt_item.earned_cents',
			'drawn.type as drawn_type',
			'drawn.options as drawn_options',
			'attempt.member_id',
			'attempt.submitted_at',
			'attempt.score_cents',
			'attempt.max_cents'
		])
		.where('attempt.exam_id', '=', examId)
		.where('attempt_item.question_id', '=', questionId)
		.execute();
	if (items.length === 0) return { ok: false, problem: 'not_on_test' };
	const stale = items.filter((i) => i.key_version_id !== current.id);
	if (stale.length === 0) return { ok: false, problem: 'up_to_date' };
	for (const item of stale) {
		if (item.drawn_type !== current.type) return { ok: false, problem: 'type_changed' };
		if (optionCount(item.drawn_type, item.drawn_options) !== optionCount(current.type, current.options)) return { ok: false, problem: 'option_count_changed' };
	}

	const key = decodeKey(current.type, current.options, current.answer);
	const byAttempt = new Map<number, { memberId: number; oldScore: number; maxCents: number; delta: number }>();
	for (const item of stale) {
		if (item.submitted_at === null) continue;
		const answer = item.answer === null ? null : (JSON.parse(item.answer) as Answer | null);
		const earned = scoreAnswer(key, answer, item.points_cents, exam.multiple_policy).earnedCents;
		const entry = byAttempt.get(item.attempt_id) ?? { memberId: item.member_id, oldScore: item.score_cents ?? 0, maxCents: item.max_cents, delta: 0 };
		entry.delta += earned - (item.earned_cents ?? 0);
		byAttempt.set(item.attempt_id, entry);
	}
	const changed = [...byAttempt].filter(([, e]) => e.delta !== 0);

	const memberIds = [...new Set(changed.map(([, e]) => e.memberId))];
	const members = memberIds.length ? await db.selectFrom('member').select(['id', 'name', 'login_id', 'unit_id']).where('id', 'in', memberIds).execute() : [];
	const memberOf = new Map(members.map((m) => [m.id, m]));
	const tree = await unitTree(db, { includeArchived: true });
	const paths = new Map(tree.map((u) => [u.id, u.path]));
	const order = new Map(tree.map((u, i) => [u.id, i]));
	const changes: RegradeChange[] = changed
		.map(([attemptId, e]) => {
			const m = memberOf.get(e.memberId);
			const newScore = e.oldScore + e.delta;
			return {
				unitOrder: m ? (order.get(m.unit_id) ?? 0) : 0,
				attemptId,
				memberId: e.memberId,
				name: m?.name ?? '',
				loginId: m?.login_id ?? '',
				unitPath: m ? (paths.get(m.unit_id) ?? '') : '',
				oldScoreCents: e.oldScore,
				newScoreCents: newScore,
				maxCents: e.maxCents,
				oldPassed: passed(e.oldScore, exam.pass_cents),
				newPassed: passed(newScore, exam.pass_cents)
			};
		})
		// In the tree's order, as the results table lists members.
		.sort((a, b) => a.unitOrder - b.unitOrder || a.loginId.localeCompare(b.loginId))
		.map(({ unitOrder: _, ...change }) => change);

	const fromIds = [...new Set(stale.map((i) => i.key_version_id))];
	const fromVersions = (await db.selectFrom('question_version').select('version').where('id', 'in', fromIds).orderBy('version').execute()).map((v) => v.version);
	return {
		ok: true,
		questionId,
		fromVersions,
		toVersionId: current.id,
		toVersion: current.version,
		items: stale.length,
		changes,
		deltaCents: changes.reduce((n, c) => n + c.newScoreCents - c.oldScoreCents, 0),
		submittedAttemptIds: [...byAttempt.keys()]
	};
}

/** What applying the current key of the question to this test would change. Writes nothing. */
export async function previewRegrade(db: Db, examId: number, questionId: number): Promise<RegradePreview | { ok: false; problem: RegradeProblem }> {
	const p = await plan(db, examId, questionId);
	if (!p.ok) return p;
	const { submittedAttemptIds: _, ...preview } = p;
	return preview;
}

export type ApplyResult = { ok: true; regradeId: number; attemptsChanged: number; deltaCents: number } | { ok: false; problem: RegradeProblem };

/**
 * Applies the current key in one transaction: moves the items' key version, scores every submitted attempt
 * holding them again (gradeAttempt stores item, area and total scores and pass), and records the regrade.
 * `expectedVersionId` is the version the preview showed: if the key was edited again in between, nothing is
 * applied and the committee previews again.
 */
export async function applyRegrade(db: Db, examId: number, questionId: number, actorId: number, now = Date.now(), expectedVersionId?: number): Promise<ApplyResult> {
	return db.transaction().execute(async (trx): Promise<ApplyResult> => {
		const p = await plan(trx, examId, questionId);
		if (!p.ok) return p;
		if (expectedVersionId !== undefined && expectedVersionId !== p.toVersionId) return { ok: false, problem: 'changed_since_preview' };
		await trx
			.updateTable('attempt_item')
			.set({ key_version_id: p.toVersionId })
			.where('question_id', '=', questionId)
			.where('key_version_id', '!=', p.toVersionId)
			.where('attempt_id', 'in', (eb) => eb.selectFrom('attempt').select('id').where('exam_id', '=', examId))
			.execute();
		// Unsubmitted attempts are scored with the corrected key when they are submitted.
		for (const id of p.submittedAttemptIds) await gradeAttempt(trx, { id, exam_id: examId });
		const row = await trx
			.insertInto('exam_regrade')
			.values({ exam_id: examId, question_id: questionId, to_version_id: p.toVersionId, attempts_changed: p.changes.length, delta_cents: p.deltaCents, at: now, by: actorId })
			.returning('id')
			.executeTakeFirstOrThrow();
		return { ok: true, regradeId: row.id, attemptsChanged: p.changes.length, deltaCents: p.deltaCents };
	});
}

export type RegradeCandidate = {
	questionId: number;
	type: QuestionType;
	/** The current version's stem. */
	stem: string;
	fromVersions: number[];
	toVersion: number;
	/** Items on this test's papers still scored by an older version. */
	items: number;
	/** Whether the key itself differs (a new version may only reword the stem or the explanation). */
	keyChanged: boolean;
	/** Why a regrade would be refused, if it would. */
	problem: 'type_changed' | 'option_count_changed' | null;
};

/** The test's questions whose current version is newer than the key that scored them. */
export async function regradeCandidates(db: Db, examId: number): Promise<RegradeCandidate[]> {
	const groups = await db
		.selectFrom('attempt_item')
		.innerJoin('attempt', 'attempt.id', 'attempt_item.attempt_id')
		.innerJoin('question', 'question.id', 'attempt_item.question_id')
		.innerJoin('question_version as key', 'key.id', 'attempt_item.key_version_id')
		.innerJoin('question_version as drawn', 'drawn.id', 'attempt_item.version_id')
		.select((eb) => [
			'attempt_item.question_id',
			'question.current_version_id',
			'key.version as key_version',
			'key.answer as key_answer',
			'drawn.type as drawn_type',
			'drawn.options as drawn_options',
			eb.fn.countAll<number>().as('n')
		])
		.where('attempt.exam_id', '=', examId)
		.whereRef('attempt_item.key_version_id', '!=', 'question.current_version_id')
		// By the joined versions' own keys (equal to attempt_item's key_version_id and version_id): PostgreSQL then
		// knows their other columns are one per group.
		.groupBy(['attempt_item.question_id', 'question.current_version_id', 'key.id', 'drawn.id'])
		.execute();
	if (groups.length === 0) return [];
	const currentIds = [...new Set(groups.map((g) => g.current_version_id).filter((id): id is number => id !== null))];
	const currents = new Map(
		(await db.selectFrom('question_version').select(['id', 'version', 'type', 'stem', 'options', 'answer']).where('id', 'in', currentIds).execute()).map((v) => [v.id, v])
	);
	const out = new Map<number, RegradeCandidate>();
	for (const g of groups) {
		const current = g.current_version_id === null ? undefined : currents.get(g.current_version_id);
		if (!current) continue;
		const c = out.get(g.question_id) ?? {
			questionId: g.question_id,
			type: current.type,
			stem: current.stem,
			fromVersions: [],
			toVersion: current.version,
			items: 0,
			keyChanged: false,
			problem: null
		};
		if (!c.fromVersions.includes(g.key_version)) c.fromVersions.push(g.key_version);
		c.items += Number(g.n);
		if (g.drawn_type !== current.type) c.problem = 'type_changed';
		else if (optionCount(g.drawn_type, g.drawn_options) !== optionCount(current.type, current.options)) c.problem ??= 'option_count_changed';
		// The stored key is canonical JSON (bank/questions.ts encodeKey), so equal keys are equal strings.
		if (g.drawn_type !== current.type || g.key_answer !== current.answer) c.keyChanged = true;
		out.set(g.question_id, c);
	}
	for (const c of out.values()) c.fromVersions.sort((a, b) => a - b);
	// Key changes first: those are the ones that move scores.
	return [...out.values()].sort((a, b) => Number(b.keyChanged) - Number(a.keyChanged) || a.questionId - b.questionId);
}

export type RegradeRecord = { id: number; questionId: number; toVersion: number; attemptsChanged: number; deltaCents: number; at: number; byName: string | null };

/** Past regrades of the test, newest first, with who applied them. */
export async function listRegrades(db: Db, examId: number): Promise<RegradeRecord[]> {
	const rows = await db
		.selectFrom('exam_regrade')
		.innerJoin('question_version', 'question_version.id', 'exam_regrade.to_version_id')
		.leftJoin('member', 'member.id', 'exam_regrade.by')
		.select(['exam_regrade.id', 'exam_regrade.question_id', 'question_version.version', 'exam_regrade.attempts_changed', 'exam_regrade.delta_cents', 'exam_regrade.at', 'member.name'])
		.where('exam_regrade.exam_id', '=', examId)
		.orderBy('exam_regrade.at', 'desc')
		.orderBy('exam_regrade.id', 'desc')
		.execute();
	return rows.map((r) => ({ id: r.id, questionId: r.question_id, toVersion: r.version, attemptsChanged: r.attempts_changed, deltaCents: r.delta_cents, at: r.at, byName: r.name }));
}
