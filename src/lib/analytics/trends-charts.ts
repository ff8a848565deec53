import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { m } from '$lib/paraglide/messages';
import { styleOf } from './chart-style';
import { pct, quarterAxis, type TrendPoint, type Trends } from './trends';
import { rounded } from './table';

// The trends page's two line charts. Each set of units has its colour; within a set, the first measure (mean, pass
// rate) is drawn with the set's line and round or triangular points, the second (median, participation) dotted
// with square points, so the four lines differ without colour.

type Measure = { label: (name: string) => string; value: (p: TrendPoint) => number | null };

function lineChart(trends: Trends, names: string[], measures: [Measure, Measure], yTitle: string): ChartConfiguration<'line'> {
	const datasets: ChartDataset<'line', (number | null)[]>[] = trends.series.flatMap((series, s) => {
		const style = styleOf(s);
		const name = names[s] ?? '';
		return measures.map((measure, k) => ({
			label: measure.label(name),
			data: series.map(measure.value),
			borderColor: style.color,
			backgroundColor: style.color,
			borderWidth: k === 0 ? 3 : 2,
			borderDash: k === 0 ? style.dash : style.secondDash,
			pointStyle: k === 0 ? style.point : style.secondPoint,
			pointRadius: 4,
			pointHoverRadius: 6,
			tension: 0
		}));
	});
	return {
		type: 'line',
		data: { labels: trends.quarters.map(quarterAxis), datasets },
		options: {
			responsive: true,
			maintainAspectRatio: false,
			interaction: { mode: 'index', intersect: false },
			scales: {
				x: { ticks: { autoSkip: false, maxRotation: 0 } },
				// The whole 0–100 range: differences of a few points look like what they are.
				y: { min: 0, max: 100, title: { display: true, text: yTitle } }
			},
			plugins: { legend: { position: 'bottom', labels: { usePointStyle: true, boxHeight: 8 } } }
		}
	};
}

/** Mean and median percent score per quarter, for the scope and the unit compared with it. */
export function scoreTrendChart(trends: Trends, names: string[]): ChartConfiguration<'line'> {
	return lineChart(
		trends,
		names,
		[
			{ label: (name) => m.dashTrend_series_mean({ name }), value: (p) => rounded(p.mean) },
			{ label: (name) => m.dashTrend_series_median({ name }), value: (p) => rounded(p.median) }
		],
		m.dashTrend_axis_score()
	);
}

/** Pass rate and participation rate per quarter, in percent. */
export function rateTrendChart(trends: Trends, names: string[]): ChartConfiguration<'line'> {
	return lineChart(
		trends,
		names,
		[
			{ label: (name) => m.dashTrend_series_pass_rate({ name }), value: (p) => pct(p.passRate) },
			{ label: (name) => m.dashTrend_series_participation({ name }), value: (p) => pct(p.participation) }
		],
		m.dashTrend_axis_percent()
	);
}
