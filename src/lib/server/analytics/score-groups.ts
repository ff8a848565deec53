import type { Db } from '../db';
import { percent } from './counted';

// Counted results (the stored exam_result rows, counted.ts) folded in SQL into groups of equal (quarter, test, unit, score, total, passed), with how many
// members share each. A paper has few distinct scores, so a quarter of 10,000 members comes back as a few thousand
// rows at most, never more than one per result; and since the groups keep every distinct score, means AND medians
// of any set of units come out exact by summing the groups of its units, with no second query per set.

export type ScoreGroup = { quarter: string; examId: number; unitId: number; scoreCents: number; maxCents: number; passed: boolean; n: number };

/** The groups of everyone's counted results in these quarters; every viewer and unit sums its own share. */
export async function scoreGroups(db: Db, quarters: string[]): Promise<ScoreGroup[]> {
	if (quarters.length === 0) return [];
	const rows = await db
		.selectFrom('exam_result as r')
		.innerJoin('exam', 'exam.id', 'r.exam_id')
		.select(({ fn }) => ['exam.quarter', 'r.exam_id', 'r.unit_id', 'r.score_cents', 'r.max_cents', 'r.passed', fn.countAll<number>().as('n')])
		.where('exam.kind', '=', 'quarterly')
		.where('exam.status', '=', 'published')
		.where('exam.quarter', 'in', quarters)
		.groupBy(['exam.quarter', 'r.exam_id', 'r.unit_id', 'r.score_cents', 'r.max_cents', 'r.passed'])
		.execute();
	return rows.map((r) => ({
		quarter: r.quarter,
		examId: r.exam_id,
		unitId: r.unit_id,
		scoreCents: r.score_cents,
		maxCents: r.max_cents,
		passed: r.passed === 1,
		n: Number(r.n)
	}));
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
