import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { m } from '$lib/paraglide/messages';
import { styleOf } from './chart-style';
import type { DataTable } from './table';

// One quarter's areas as horizontal bars, weakest at the top: long Chinese area names fit on the left even on a
// phone, where upright labels would have to be tilted. Built from the quarter's table, so chart and table agree.

/** Height for a bar chart of `rows` areas and `sets` bars each: the bars keep their thickness on a phone. */
export function barHeight(rows: number, sets: number): string {
	return `${Math.max(10, 3 + rows * (1.1 + 0.9 * sets))}rem`;
}

export function quarterAreaChart(table: DataTable): ChartConfiguration<'bar'> {
	const datasets: ChartDataset<'bar', (number | null)[]>[] = table.columns.slice(1).map((label, s) => {
		const style = styleOf(s);
		// The scope filled, the compared unit outlined: the two differ without colour.
		return { label, data: table.rows.map((r) => r[s + 1] as number | null), backgroundColor: style.fill, borderColor: style.color, borderWidth: s === 0 ? 0 : 2 };
	});
	return {
		type: 'bar',
		// A name with a note in brackets, 政治理论（党的创新理论）, wraps before the bracket.
		data: { labels: table.rows.map((r) => String(r[0]).split(/(?=（)/)), datasets },
		options: {
			indexAxis: 'y',
			responsive: true,
			maintainAspectRatio: false,
			scales: {
				x: { min: 0, max: 100, title: { display: true, text: m.dashTrend_axis_share() } },
				y: { ticks: { autoSkip: false } }
			},
			plugins: { legend: { display: datasets.length > 1, position: 'bottom' } }
		}
	};
}
