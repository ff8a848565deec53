import type { Db } from '../db';
import type { TrendPoint, Trends } from '$lib/analytics/trends';
import { countedTests, type CountedTest } from './counted';
import { expectedCounts } from './expected';
import { rate, scoreGroups, summarize, sumOver, type ScoreGroup } from './score-groups';

// Score trends (成绩趋势): per quarter, for each of a few sets of units (the viewer's whole scope and the unit they
// picked, side by side), the mean and median percent score, the pass rate and the participation rate.
//
// A quarter usually has one quarterly test. When it has several (a test for one branch, another for the rest),
// a quarter's numbers pool every (member, test) result of it, and participation pools the expected (member, test)
// pairs, so a member expected at two tests counts twice in both.

/** Two years: what the 学习情况通报 compares with, and what a phone can draw without squashing. */
export const trendQuarters = 8;

/** The last `trendQuarters` quarters with a counted test already open, oldest first, and those tests. */
export async function shownQuarters(db: Db, now = Date.now()): Promise<{ quarters: string[]; tests: CountedTest[] }> {
	const tests = (await countedTests(db)).filter((t) => t.opensAt <= now);
	const quarters = [...new Set(tests.map((t) => t.quarter))].slice(-trendQuarters);
	return { quarters, tests: tests.filter((t) => quarters.includes(t.quarter)) };
}

/** Whether one of the quarter's tests can still be taken (its numbers will still change). */
export function quarterOpen(tests: CountedTest[], quarter: string, now: number): boolean {
	return tests.some((t) => t.quarter === quarter && t.closesAt > now);
}

/**
 * Trends of the last `trendQuarters` quarters that have a counted test already open, for each set of units
 * (`undefined` = everyone). `series[i]` belongs to `sets[i]`, one point per quarter.
 */
export async function scoreTrends(db: Db, sets: (number[] | undefined)[], now = Date.now()): Promise<Trends> {
	const { quarters, tests: shown } = await shownQuarters(db, now);
	// One grouped query per set (a few hundred rows each); the expected counts per unit once, summed per set.
	const [groupsOf, expected] = await Promise.all([Promise.all(sets.map((set) => scoreGroups(db, quarters, set))), expectedCounts(db, shown.map((t) => t.id))]);
	return {
		quarters: quarters.map((quarter) => ({ quarter, open: quarterOpen(shown, quarter, now) })),
		series: sets.map((set, i) => {
			const inSet = set === undefined ? undefined : new Set(set);
			const byQuarter = new Map<string, ScoreGroup[]>(quarters.map((q) => [q, []]));
			for (const g of groupsOf[i] ?? []) byQuarter.get(g.quarter)?.push(g);
			return quarters.map((quarter): TrendPoint => {
				const summary = summarize(byQuarter.get(quarter) ?? []);
				const expectedCount = shown.filter((t) => t.quarter === quarter).reduce((n, t) => n + sumOver(expected.get(t.id), inSet), 0);
				return { quarter, ...summary, expected: expectedCount, participation: rate(summary.takers, expectedCount) };
			});
		})
	};
}
