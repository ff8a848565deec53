import type { Db } from '../db';
import { percent } from './counted';

// Counted results (the stored exam_result rows, counted.ts) folded in SQL into groups of equal (test, score,
// total, passed), with how many members share each. A paper has few distinct scores, so a test of 10,000 members
// comes back as a few dozen rows; since the groups keep every distinct score, means AND medians come out exact.
// Each set of units is one query (grouping by unit too would return tens of thousands of rows for a city).

export type ScoreGroup = { quarter: string; examId: number; scoreCents: number; maxCents: number; passed: boolean; n: number };
export type UnitScoreGroup = ScoreGroup & { unitId: number };

/**
 * The groups of the counted results in these quarters of members in `unitIds` (everyone when undefined): one
 * row per test and distinct score, a few hundred rows whatever the number of members. The results' unit filter runs
 * in SQL over the covering index (exam_id, unit_id, score_cents, max_cents, passed).
 */
export async function scoreGroups(db: Db, quarters: string[], unitIds?: number[]): Promise<ScoreGroup[]> {
	if (quarters.length === 0 || unitIds?.length === 0) return [];
	const tests = await db.selectFrom('exam').select(['id', 'quarter']).where('kind', '=', 'quarterly').where('status', '=', 'published').where('quarter', 'in', quarters).execute();
	if (tests.length === 0) return [];
	const quarterOf = new Map(tests.map((t) => [t.id, t.quarter]));
	let query = db
		.selectFrom('exam_result as r')
		.select(({ fn }) => ['r.exam_id', 'r.score_cents', 'r.max_cents', 'r.passed', fn.countAll<number>().as('n')])
		.where('r.exam_id', 'in', [...quarterOf.keys()])
		.groupBy(['r.exam_id', 'r.score_cents', 'r.max_cents', 'r.passed']);
	if (unitIds) query = query.where('r.unit_id', 'in', unitIds);
	return (await query.execute()).map((r) => ({
		quarter: quarterOf.get(r.exam_id) as string,
		examId: r.exam_id,
		scoreCents: r.score_cents,
		maxCents: r.max_cents,
		passed: r.passed === 1,
		n: Number(r.n)
	}));
}

/** One test's groups per unit too (a few thousand rows), for comparing the units below a chosen one. */
export async function unitScoreGroups(db: Db, examId: number, quarter: string): Promise<UnitScoreGroup[]> {
	const rows = await db
		.selectFrom('exam_result as r')
		.select(({ fn }) => ['r.unit_id', 'r.score_cents', 'r.max_cents', 'r.passed', fn.countAll<number>().as('n')])
		.where('r.exam_id', '=', examId)
		.groupBy(['r.unit_id', 'r.score_cents', 'r.max_cents', 'r.passed'])
		.execute();
	return rows.map((r) => ({ quarter, examId, unitId: r.unit_id, scoreCents: r.score_cents, maxCents: r.max_cents, passed: r.passed === 1, n: Number(r.n) }));
}

export type Summary = {
	/** Members with a result (one per member and test). */
	takers: number;
	passed: number;
	/** Percent of the paper's total (see counted.ts); null without takers. */
	mean: number | null;
	median: number | null;
	passRate: number | null;
};

/** Mean, median and pass rate of the groups' percent scores. The median of an even count is the mean of the middle two. */
export function summarize(groups: readonly ScoreGroup[]): Summary {
	const scored = groups
		.map((g) => ({ pct: percent(g.scoreCents, g.maxCents), n: g.n, passed: g.passed }))
		.filter((g): g is { pct: number; n: number; passed: boolean } => g.pct !== null && g.n > 0);
	const takers = scored.reduce((s, g) => s + g.n, 0);
	const passed = scored.reduce((s, g) => s + (g.passed ? g.n : 0), 0);
	if (takers === 0) return { takers: 0, passed: 0, mean: null, median: null, passRate: null };
	const mean = scored.reduce((s, g) => s + g.pct * g.n, 0) / takers;
	scored.sort((a, b) => a.pct - b.pct);
	// The values at the 0-based positions lo and hi of the sorted list (equal for an odd count).
	const lo = Math.floor((takers - 1) / 2);
	const hi = Math.ceil((takers - 1) / 2);
	let seen = 0;
	let atLo: number | null = null;
	let atHi: number | null = null;
	for (const g of scored) {
		if (atLo === null && lo < seen + g.n) atLo = g.pct;
		if (hi < seen + g.n) {
			atHi = g.pct;
			break;
		}
		seen += g.n;
	}
	return { takers, passed, mean, median: ((atLo as number) + (atHi as number)) / 2, passRate: passed / takers };
}

/** The sum of `byUnit` over the units of a set; undefined = every unit. */
export function sumOver(byUnit: ReadonlyMap<number, number> | undefined, unitIds: Set<number> | undefined): number {
	let total = 0;
	for (const [unitId, n] of byUnit ?? []) if (!unitIds || unitIds.has(unitId)) total += n;
	return total;
}

/** Participation: members with a result over members expected; null when nobody was expected. */
export function rate(part: number, whole: number): number | null {
	return whole > 0 ? part / whole : null;
}
