import type { Db } from '../db';
import type { ExamKind } from '../db/schema';
import { submitExpired } from '../exams/attempts';
import { takeExpectedLists } from './expected';

// What every dashboard counts. Read README.md beside this file for the rules and why.
//
// - Only published QUARTERLY tests count; practice tests never do.
// - A member's RESULT for a test is their best submitted attempt (exams/results.ts `bestAttempt`: highest score,
//   then the earlier submission, then the lower id). It is stored when scored (exam_result, kept by
//   exams/exam-results.ts), so dashboards read one row per member and test and never choose among attempts.
// - Scores on the dashboards are PERCENT OF THE PAPER'S TOTAL (百分制), so quarters whose tests have different
//   totals can be compared; a single test's page may also show points.
// - A result counts in the unit the member belonged to when it was recorded: a branch's history stays the
//   branch's when a member moves on.
// - EXPECTED for a test (expected.ts): its audience plus anyone who has a result (in the unit of their result),
//   live while the test is open and stored when it closes, so later arrivals have not "missed" it.

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
 * The counted attempt of each member for each published quarterly test, as a subquery with columns attempt_id,
 * exam_id, member_id, unit_id and quarter. Join it to
 * `attempt` or `attempt_area` for the stored scores. `kinds` widens it for item analysis alone, which also looks at
 * a practice test's questions (same best-attempt rule; exam_result holds every test's results).
 */
export function countedAttempts(db: Db, kinds: ExamKind[] = ['quarterly']) {
	return db
		.selectFrom('exam_result')
		.innerJoin('exam', 'exam.id', 'exam_result.exam_id')
		.select(['exam_result.attempt_id', 'exam_result.exam_id', 'exam_result.member_id', 'exam_result.unit_id', 'exam.quarter'])
		.where('exam.kind', 'in', kinds)
		.where('exam.status', '=', 'published');
}

/** Each member's result per published quarterly test, filtered; ordered by quarter, test and member. */
export async function countedResults(db: Db, filter: ResultFilter = {}): Promise<CountedResult[]> {
	const unitIds = filter.unitIds === undefined ? undefined : [...filter.unitIds];
	if (unitIds !== undefined && unitIds.length === 0) return [];
	if (filter.quarters !== undefined && filter.quarters.length === 0) return [];
	let query = db
		.selectFrom('exam_result as r')
		.innerJoin('exam', 'exam.id', 'r.exam_id')
		.select(['r.exam_id', 'exam.quarter', 'r.member_id', 'r.unit_id', 'r.attempt_id', 'r.score_cents', 'r.max_cents', 'r.passed'])
		.where('exam.kind', '=', 'quarterly')
		.where('exam.status', '=', 'published');
	if (filter.quarters) query = query.where('exam.quarter', 'in', filter.quarters);
	if (filter.examId !== undefined) query = query.where('r.exam_id', '=', filter.examId);
	if (filter.memberId !== undefined) query = query.where('r.member_id', '=', filter.memberId);
	if (unitIds !== undefined) query = query.where('r.unit_id', 'in', unitIds);
	const rows = await query.orderBy('exam.quarter').orderBy('r.exam_id').orderBy('r.member_id').execute();
	return rows.map((r) => ({
		examId: r.exam_id,
		quarter: r.quarter,
		memberId: r.member_id,
		unitId: r.unit_id,
		attemptId: r.attempt_id,
		scoreCents: r.score_cents,
		maxCents: r.max_cents,
		passed: r.passed === 1
	}));
}

export type AreaTotal = { examId: number; quarter: string; areaId: number; earnedCents: number; possibleCents: number; results: number };

/**
 * Points earned and possible per counted test and content area over the results of members in `unitIds` (all
 * when undefined), from the stored totals: a read of (tests × units × areas) rows, whatever the number of answers.
 */
export async function areaTotals(db: Db, filter: Omit<ResultFilter, 'memberId'> = {}): Promise<AreaTotal[]> {
	const unitIds = filter.unitIds === undefined ? undefined : [...filter.unitIds];
	if (unitIds !== undefined && unitIds.length === 0) return [];
	if (filter.quarters !== undefined && filter.quarters.length === 0) return [];
	let query = db
		.selectFrom('exam_area_total as t')
		.innerJoin('exam', 'exam.id', 't.exam_id')
		.select((eb) => [
			't.exam_id',
			'exam.quarter',
			't.area_id',
			eb.fn.sum<number>('t.earned_cents').as('earned'),
			eb.fn.sum<number>('t.possible_cents').as('possible'),
			eb.fn.sum<number>('t.results').as('results')
		])
		.where('exam.kind', '=', 'quarterly')
		.where('exam.status', '=', 'published');
	if (filter.quarters) query = query.where('exam.quarter', 'in', filter.quarters);
	if (filter.examId !== undefined) query = query.where('t.exam_id', '=', filter.examId);
	if (unitIds !== undefined) query = query.where('t.unit_id', 'in', unitIds);
	const rows = await query.groupBy(['t.exam_id', 'exam.quarter', 't.area_id']).orderBy('exam.quarter').orderBy('t.exam_id').orderBy('t.area_id').execute();
	// Sums come back as strings from PostgreSQL (bigint), numbers from SQLite.
	return rows.map((r) => ({ examId: r.exam_id, quarter: r.quarter, areaId: r.area_id, earnedCents: Number(r.earned), possibleCents: Number(r.possible), results: Number(r.results) }));
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

// Who was expected: expected.ts (re-exported here, the one place dashboards import the counting rules from).
export { expectedCounts, expectedMembers, expectedTestsOf, missedCounts, missingMembers } from './expected';

/**
 * Dashboards show the truth: attempts whose time ran out while nobody was looking are submitted, and the expected
 * lists of tests that closed since the last sweep are taken, before anything is counted.
 */
export async function settleExpired(db: Db, now = Date.now()): Promise<void> {
	await submitExpired(db, now);
	await takeExpectedLists(db, now);
}

/** Percent of the paper's total, for trends; null when the paper has no points. */
export function percent(scoreCents: number, maxCents: number): number | null {
	return maxCents > 0 ? (100 * scoreCents) / maxCents : null;
}
