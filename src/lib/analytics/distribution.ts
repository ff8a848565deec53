import { m } from '$lib/paraglide/messages';
import { quarterName, pct } from './trends';
import { rounded, type DataTable } from './table';

// The test analysis pages' numbers (server/analytics/distribution.ts) and their tables.

export type TestListRow = { id: number; title: string; quarter: string; open: boolean; takers: number; mean: number | null; passRate: number | null };

export type UnitResultRow = {
	id: number;
	name: string;
	/** The chosen unit's own members, not a unit below it. */
	direct: boolean;
	expected: number;
	takers: number;
	passed: number;
	mean: number | null;
	median: number | null;
	passRate: number | null;
	participation: number | null;
};

export type TestDistribution = {
	test: { id: number; title: string; quarter: string; open: boolean; passCents: number; totalCents: number; passPercent: number | null };
	summary: { takers: number; passed: number; expected: number; mean: number | null; median: number | null; passRate: number | null; participation: number | null };
	/** Takers per 10 points of percent: 0–10, 10–20, … 90–100 (the last includes 100). */
	bins: number[];
	units: UnitResultRow[];
};

export const binCount = 10;

/** A percent score's bin: [10k, 10k + 10), the last bin closed so that 100 falls in it. */
export function binOf(percent: number): number {
	return Math.max(0, Math.min(binCount - 1, Math.floor(percent / 10)));
}

export function binLabel(bin: number): string {
	return bin === binCount - 1 ? m.dashTrend_bin_last({ lo: String(bin * 10) }) : m.dashTrend_bin({ lo: String(bin * 10), hi: String(bin * 10 + 10) });
}

export function testListTable(tests: TestListRow[]): DataTable {
	return {
		id: 'tests',
		caption: m.dashTrend_tests_caption(),
		columns: [m.dashTrend_col_test(), m.dash_quarter_label(), m.dashTrend_col_takers(), m.dashTrend_col_mean(), m.dashTrend_col_pass_rate()],
		rows: tests.map((t) => [t.title, quarterName(t), t.takers, rounded(t.mean), pct(t.passRate)])
	};
}

export function histogramTable(d: TestDistribution): DataTable {
	return {
		id: 'histogram',
		caption: m.dashTrend_histogram_caption(),
		columns: [m.dashTrend_col_bin(), m.dashTrend_col_count()],
		rows: d.bins.map((n, i) => [binLabel(i), n])
	};
}

export function unitComparisonTable(d: TestDistribution): DataTable {
	return {
		id: 'units',
		caption: m.dashTrend_units_caption(),
		columns: [
			m.dash_unit_label(),
			m.dashTrend_col_expected(),
			m.dashTrend_col_takers(),
			m.dashTrend_col_participation(),
			m.dashTrend_col_mean(),
			m.dashTrend_col_median(),
			m.dashTrend_col_pass_rate()
		],
		rows: d.units.map((u) => [
			u.direct ? m.dashTrend_direct_members({ unit: u.name }) : u.name,
			u.expected,
			u.takers,
			pct(u.participation),
			rounded(u.mean),
			rounded(u.median),
			pct(u.passRate)
		])
	};
}
