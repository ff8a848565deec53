import { m } from '$lib/paraglide/messages';
import { quarterLabel } from '$lib/exams/format';
import { rounded, type DataTable } from './table';

// The trends page's numbers (server/analytics/trends.ts computes them) and its table, built the same way by the
// page and by its export endpoint.

export type TrendPoint = {
	quarter: string;
	/** Members with a result, one per member and test. */
	takers: number;
	passed: number;
	/** Members expected to take the quarter's tests (counted.ts `expectedMembers`). */
	expected: number;
	/** Percent of the paper's total; null without takers. */
	mean: number | null;
	median: number | null;
	/** 0–1; null without takers. */
	passRate: number | null;
	/** Takers over expected, 0–1; null when nobody was expected. */
	participation: number | null;
};

export type Trends = {
	/** Oldest first; `open` while one of the quarter's tests can still be taken (its numbers will still change). */
	quarters: { quarter: string; open: boolean }[];
	/** One series per set of units, a point per quarter. */
	series: TrendPoint[][];
};

/** A rate (0–1) as a percentage with one decimal, for tables and charts. */
export function pct(rate: number | null): number | null {
	return rate === null ? null : rounded(rate * 100);
}

/** A quarter's name, marked while its test is still open. */
export function quarterName(q: { quarter: string; open: boolean }): string {
	return q.open ? m.dashTrend_quarter_open({ quarter: quarterLabel(q.quarter) }) : quarterLabel(q.quarter);
}

/** A quarter in two lines for a chart's axis (`2026年` / `第三季度`), so eight of them fit a phone. */
export function quarterAxisLabel(quarter: string): string[] {
	const match = /^(\d{4})Q([1-4])$/.exec(quarter);
	if (!match) return [quarter];
	// Named calls, not a computed m[...] lookup (which would pull every message into the bundle).
	const names = [m.quarter_1, m.quarter_2, m.quarter_3, m.quarter_4];
	return [m.dashTrend_axis_year({ year: match[1] as string }), (names[Number(match[2]) - 1] ?? m.quarter_1)()];
}

/** A quarter's axis label, with a third line while it is open (its participation is still low). */
export function quarterAxis(q: { quarter: string; open: boolean }): string[] {
	return q.open ? [...quarterAxisLabel(q.quarter), m.dashTrend_open_short()] : quarterAxisLabel(q.quarter);
}

type Column = { name: () => string; value: (p: TrendPoint) => number | null };

const columns = {
	expected: { name: () => m.dashTrend_col_expected(), value: (p) => p.expected },
	takers: { name: () => m.dashTrend_col_takers(), value: (p) => p.takers },
	participation: { name: () => m.dashTrend_col_participation(), value: (p) => pct(p.participation) },
	mean: { name: () => m.dashTrend_col_mean(), value: (p) => rounded(p.mean) },
	median: { name: () => m.dashTrend_col_median(), value: (p) => rounded(p.median) },
	passed: { name: () => m.dashTrend_col_passed(), value: (p) => p.passed },
	passRate: { name: () => m.dashTrend_col_pass_rate(), value: (p) => pct(p.passRate) }
} satisfies Record<string, Column>;

/** Each chart's own table (its numbers only) and the full table; ids are what `?table=` names. */
const tableColumns = {
	trend: ['expected', 'takers', 'participation', 'mean', 'median', 'passed', 'passRate'],
	scores: ['takers', 'mean', 'median'],
	rates: ['expected', 'takers', 'participation', 'passed', 'passRate']
} as const satisfies Record<string, (keyof typeof columns)[]>;

export type TrendTableId = keyof typeof tableColumns;

const captions: Record<TrendTableId, () => string> = {
	trend: () => m.dashTrend_table_caption(),
	scores: () => m.dashTrend_score_title(),
	rates: () => m.dashTrend_rate_title()
};

/** Quarter by quarter, a row per set of units (`names[i]` names `series[i]`). */
export function trendTable(trends: Trends, names: string[], id: TrendTableId = 'trend'): DataTable {
	const shown: Column[] = tableColumns[id].map((key) => columns[key]);
	const rows = trends.quarters.flatMap((q, i) =>
		trends.series.map((series, s) => {
			const point = series[i] as TrendPoint;
			return [quarterName(q), names[s] ?? '', ...shown.map((c) => c.value(point))];
		})
	);
	return { id, caption: captions[id](), columns: [m.dash_quarter_label(), m.dash_unit_label(), ...shown.map((c) => c.name())], rows };
}

/** Every table of the trends page, for its export endpoint. */
export function trendTables(trends: Trends, names: string[]): DataTable[] {
	return (Object.keys(tableColumns) as TrendTableId[]).map((id) => trendTable(trends, names, id));
}
