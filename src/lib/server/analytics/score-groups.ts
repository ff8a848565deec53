import type { Db } from '../db';
import { countedAttempts, expectedMembers, percent } from './counted';
import { memo } from './memo';

// Counted results folded in SQL into groups of equal (quarter, test, unit, score, total, passed), with how many
// members share each. A paper has few distinct scores, so a quarter of 10,000 members comes back as a few thousand
// rows at most, never more than one per result; and since the groups keep every distinct score, means AND medians
// of any set of units come out exact by summing the groups of its units, with no second query per set.

export type ScoreGroup = { quarter: string; examId: number; unitId: number; scoreCents: number; maxCents: number; passed: boolean; n: number };

/**
 * The groups of everyone's counted results in these quarters, kept until the next write (memo.ts): every viewer,
 * unit and page sums its own share of the same groups. Shared between callers: read, never change.
 */
export function countedGroups(db: Db, quarters: string[]): Promise<readonly ScoreGroup[]> {
	return memo(db, `groups:${quarters.join(',')}`, () => scoreGroups(db, quarters));
}

export async function scoreGroups(db: Db, quarters: string[]): Promise<ScoreGroup[]> {
	if (quarters.length === 0) return [];
	const ranked = countedAttempts(db).where('exam.quarter', 'in', quarters);
	const rows = await db
		.selectFrom(ranked.as('c'))
		.innerJoin('attempt', 'attempt.id', 'c.attempt_id')
		.innerJoin('member', 'member.id', 'c.member_id')
		.select(({ fn }) => ['c.quarter', 'c.exam_id', 'member.unit_id', 'attempt.score_cents', 'attempt.max_cents', 'attempt.passed', fn.countAll<number>().as('n')])
		.where('c.rank', '=', 1)
		.groupBy(['c.quarter', 'c.exam_id', 'member.unit_id', 'attempt.score_cents', 'attempt.max_cents', 'attempt.passed'])
		.execute();
	return rows.map((r) => ({
		quarter: r.quarter,
		examId: r.exam_id,
		unitId: r.unit_id,
		scoreCents: r.score_cents ?? 0,
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

/**
 * How many members are expected (counted.ts `expectedMembers`) per test and current unit: examId → unitId → count.
 * Participation of a set of units is then the sum of its results over the sum of these.
 */
export function expectedCounts(db: Db, examIds: number[]): Promise<ReadonlyMap<number, ReadonlyMap<number, number>>> {
	return memo(db, `expected:${examIds.join(',')}`, () => countExpected(db, examIds));
}

async function countExpected(db: Db, examIds: number[]): Promise<Map<number, Map<number, number>>> {
	const out = new Map<number, Map<number, number>>();
	for (const [examId, members] of await expectedMembers(db, examIds)) {
		const byUnit = new Map<number, number>();
		for (const unitId of members.values()) byUnit.set(unitId, (byUnit.get(unitId) ?? 0) + 1);
		out.set(examId, byUnit);
	}
	return out;
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
