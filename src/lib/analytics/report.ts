import { m } from '$lib/paraglide/messages';
import { areaName } from '$lib/bank-labels';
import { quarterLabel } from '$lib/exams/format';
import type { TestDistribution } from './distribution';
import { histogramTable, unitComparisonTable } from './distribution';
import { areaOrder, quarterAreaTable, type Mastery } from './mastery';
import { rounded, type DataTable } from './table';
import { pct, trendTable, type TrendPoint, type Trends } from './trends';

// The quarterly report's numbers (server/analytics/report.ts) as text and tables, built the same way by the page
// and by its export endpoint.

export type Report = {
	/** The quarter reported on; null when there are no counted tests at all. */
	quarter: string | null;
	quarterIndex: number;
	trends: Trends;
	mastery: Mastery;
	/** The quarter's counted tests, each with its distribution and units compared. */
	tests: TestDistribution[];
	generatedAt: number;
};

/** How many areas the summary names as strongest and weakest. */
const namedAreas = 2;

function change(now: number | null, before: number | null, up: (d: { delta: string }) => string, down: (d: { delta: string }) => string, same: () => string): string | null {
	if (now === null || before === null) return null;
	const delta = rounded(now - before);
	if (delta === null) return null;
	if (delta > 0) return up({ delta: String(delta) });
	if (delta < 0) return down({ delta: String(-delta) });
	return same();
}

/** The paragraphs of 一、总体情况: participation, scores, the change since the previous quarter, the areas to work on. */
export function reportSummary(report: Report, unitName: string, locale: string): string[] {
	if (report.quarter === null) return [];
	const series = report.trends.series[0] ?? [];
	const point = series[report.quarterIndex] as TrendPoint | undefined;
	if (!point) return [];
	const show = (v: number | null) => (v === null ? '—' : String(v));
	const out = [
		m.dashReport_summary_taking({
			unit: unitName,
			quarter: quarterLabel(report.quarter),
			expected: String(point.expected),
			takers: String(point.takers),
			participation: show(pct(point.participation))
		}),
		m.dashReport_summary_scores({ mean: show(rounded(point.mean)), median: show(rounded(point.median)), passRate: show(pct(point.passRate)) })
	];
	// The previous quarter with takers (a quarter without a test is skipped, not compared with).
	const previous = series.slice(0, report.quarterIndex).findLast((p) => p.takers > 0);
	if (previous) {
		const parts = [
			change(point.mean, previous.mean, m.dashReport_mean_up, m.dashReport_mean_down, m.dashReport_mean_same),
			change(pct(point.participation), pct(previous.participation), m.dashReport_participation_up, m.dashReport_participation_down, m.dashReport_participation_same)
		].filter((s): s is string => s !== null);
		if (parts.length > 0) out.push(m.dashReport_summary_change({ quarter: quarterLabel(previous.quarter), changes: parts.join(m.dashReport_list_separator()) }));
	}
	const order = areaOrder(report.mastery, report.quarterIndex).filter((a) => report.mastery.sets[0]?.[a]?.[report.quarterIndex]);
	if (order.length >= 2) {
		const name = (a: number) => {
			const area = report.mastery.areas[a] as Mastery['areas'][number];
			return m.dashReport_area_share({ area: areaName(area, locale), share: show(pct(report.mastery.sets[0]?.[a]?.[report.quarterIndex]?.share ?? null)) });
		};
		const weakest = order.slice(0, Math.min(namedAreas, Math.floor(order.length / 2)));
		const strongest = order.slice(-weakest.length).reverse();
		out.push(m.dashReport_summary_areas({ strongest: strongest.map(name).join(m.dashReport_list_separator()), weakest: weakest.map(name).join(m.dashReport_list_separator()) }));
	}
	return out;
}

/** Every table of the report, ids unique, for the page and its export endpoint. */
export function reportTables(report: Report, unitName: string, locale: string): DataTable[] {
	if (report.quarter === null) return [];
	const order = areaOrder(report.mastery, report.quarterIndex);
	const tables: DataTable[] = [];
	report.tests.forEach((d, i) => {
		const suffix = report.tests.length > 1 ? `-${i + 1}` : '';
		const units = unitComparisonTable(d);
		const histogram = histogramTable(d);
		tables.push({ ...units, id: `units${suffix}` }, { ...histogram, id: `histogram${suffix}` });
	});
	tables.push({ ...quarterAreaTable(report.mastery, report.quarterIndex, order, [unitName], locale), id: 'areas' });
	tables.push({ ...trendTable(report.trends, [unitName], 'trend'), id: 'trend' });
	return tables;
}
