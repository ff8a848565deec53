import { sql } from 'kysely';
import type { Db } from '../db';
import type { ExamKind } from '../db/schema';
import { audienceMemberIds } from '../exams/exams';
import { submitExpired } from '../exams/attempts';

// What every dashboard counts. Read README.md beside this file for the rules and why.
//
// - Only published QUARTERLY tests count; practice tests never do.
// - A member's RESULT for a test is their best submitted attempt (exams/results.ts `bestAttempt`: highest score,
//   then the earlier submission, then the lower id), chosen here in SQL by a window function so that dashboards
//   never read attempts into JavaScript one by one.
// - Scores on the dashboards are PERCENT OF THE PAPER'S TOTAL (百分制), so quarters whose tests have different
//   totals can be compared; a single test's page may also show points.
// - A member counts in their CURRENT unit (a member who moved counts where they are now).
// - EXPECTED for a test: its audience as it is now, plus anyone who has a submitted attempt. This is the rule of
//   the test's own progress page, so the two never disagree.

export type CountedResult = {
	examId: number;
	quarter: string;
	memberId: number;
	unitId: number;
	attemptId: number;
	scoreCents: number;
	maxCents: number;
	passed: boolean;
};

export type ResultFilter = {
	/** Members whose current unit is one of these; undefined for everyone. */
	unitIds?: Iterable<number>;
	/** Quarterly tests of these quarters (`2026Q4`); undefined for all. */
	quarters?: string[];
	examId?: number;
	memberId?: number;
};

/**
 * The counted attempt of each member for each published quarterly test, as a subquery with columns
 * attempt_id, exam_id, member_id, quarter. Join it to `attempt` or `attempt_area` for the stored scores.
 * `kinds` widens it for item analysis alone, which also looks at a practice test's questions (same best-attempt rule).
 */
export function countedAttempts(db: Db, kinds: ExamKind[] = ['quarterly']) {
	return db
		.selectFrom('attempt')
		.innerJoin('exam', 'exam.id', 'attempt.exam_id')
		.select([
			'attempt.id as attempt_id',
			'attempt.exam_id',
			'attempt.member_id',
			'exam.quarter',
			// Same order as bestAttempt() in exams/results.ts; both SQLite (3.25+) and PostgreSQL have row_number().
			sql<number>`row_number() over (partition by attempt.exam_id, attempt.member_id order by attempt.score_cents desc, attempt.submitted_at asc, attempt.id asc)`.as(
				'rank'
			)
		])
		.where('exam.kind', 'in', kinds)
		.where('exam.status', '=', 'published')
		.where('attempt.submitted_at', 'is not', null)
		.where('attempt.score_cents', 'is not', null);
}

/** Each member's result per published quarterly test, filtered; ordered by quarter, test and member. */
export async function countedResults(db: Db, filter: ResultFilter = {}): Promise<CountedResult[]> {
	const unitIds = filter.unitIds === undefined ? undefined : [...filter.unitIds];
	if (unitIds !== undefined && unitIds.length === 0) return [];
	let ranked = countedAttempts(db);
	if (filter.quarters) {
		if (filter.quarters.length === 0) return [];
		ranked = ranked.where('exam.quarter', 'in', filter.quarters);
	}
	if (filter.examId !== undefined) ranked = ranked.where('attempt.exam_id', '=', filter.examId);
	if (filter.memberId !== undefined) ranked = ranked.where('attempt.member_id', '=', filter.memberId);
	let query = db
		.selectFrom(ranked.as('c'))
		.innerJoin('attempt', 'attempt.id', 'c.attempt_id')
		.innerJoin('member', 'member.id', 'c.member_id')
		.select(['c.exam_id', 'c.quarter', 'c.member_id', 'member.unit_id', 'c.attempt_id', 'attempt.score_cents', 'attempt.max_cents', 'attempt.passed'])
		.where('c.rank', '=', 1);
	if (unitIds !== undefined) query = query.where('member.unit_id', 'in', unitIds);
	const rows = await query.orderBy('c.quarter').orderBy('c.exam_id').orderBy('c.member_id').execute();
	return rows.map((r) => ({
		examId: r.exam_id,
		quarter: r.quarter,
		memberId: r.member_id,
		unitId: r.unit_id,
		attemptId: r.attempt_id,
		scoreCents: r.score_cents ?? 0,
		maxCents: r.max_cents,
		passed: r.passed === 1
	}));
}

export type CountedTest = { id: number; title: string; quarter: string; opensAt: number; closesAt: number; passCents: number };

/** Published quarterly tests, oldest quarter first; optionally only these quarters. */
export async function countedTests(db: Db, quarters?: string[]): Promise<CountedTest[]> {
	let query = db
		.selectFrom('exam')
		.select(['id', 'title', 'quarter', 'opens_at', 'closes_at', 'pass_cents'])
		.where('kind', '=', 'quarterly')
		.where('status', '=', 'published');
	if (quarters) {
		if (quarters.length === 0) return [];
		query = query.where('quarter', 'in', quarters);
	}
	const rows = await query.orderBy('quarter').orderBy('opens_at').orderBy('id').execute();
	return rows.map((r) => ({ id: r.id, title: r.title, quarter: r.quarter, opensAt: r.opens_at, closesAt: r.closes_at, passCents: r.pass_cents }));
}

/** Quarters that have at least one published quarterly test, oldest first. */
export async function countedQuarters(db: Db): Promise<string[]> {
	return [...new Set((await countedTests(db)).map((t) => t.quarter))];
}

/**
 * Who is expected to take each test (see the rule at the top), as member id → current unit id. Audiences are
 * usually the same definition test after test, so each distinct definition is computed once.
 */
export async function expectedMembers(db: Db, examIds: number[]): Promise<Map<number, Map<number, number>>> {
	const out = new Map<number, Map<number, number>>();
	if (examIds.length === 0) return out;
	const units = new Map((await db.selectFrom('member').select(['id', 'unit_id']).execute()).map((m) => [m.id, m.unit_id]));
	const definitions = await db.selectFrom('exam_audience').select(['exam_id', 'kind', 'ref']).where('exam_id', 'in', examIds).execute();
	const keyOf = new Map<number, string>(examIds.map((id) => [id, '']));
	for (const d of definitions.sort((a, b) => (a.kind + a.ref).localeCompare(b.kind + b.ref))) keyOf.set(d.exam_id, `${keyOf.get(d.exam_id)}|${d.kind}:${d.ref}`);
	const byDefinition = new Map<string, number[]>();
	const takers = await db
		.selectFrom('attempt')
		.select(['exam_id', 'member_id'])
		.distinct()
		.where('exam_id', 'in', examIds)
		.where('submitted_at', 'is not', null)
		.execute();
	for (const examId of examIds) {
		const key = keyOf.get(examId) ?? '';
		let audience = byDefinition.get(key);
		if (!audience) {
			audience = await audienceMemberIds(db, examId);
			byDefinition.set(key, audience);
		}
		const expected = new Map<number, number>();
		for (const id of audience) expected.set(id, units.get(id) as number);
		out.set(examId, expected);
	}
	for (const t of takers) out.get(t.exam_id)?.set(t.member_id, units.get(t.member_id) as number);
	return out;
}

/** Dashboards show the truth: attempts whose time ran out while nobody was looking are submitted first. */
export async function settleExpired(db: Db, now = Date.now()): Promise<void> {
	await submitExpired(db, now);
}

/** Percent of the paper's total, for trends; null when the paper has no points. */
export function percent(scoreCents: number, maxCents: number): number | null {
	return maxCents > 0 ? (100 * scoreCents) / maxCents : null;
}
