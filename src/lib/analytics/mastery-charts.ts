import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { m } from '$lib/paraglide/messages';
import { styleOf } from './chart-style';
import type { DataTable } from './table';

// One quarter's areas as horizontal bars, weakest at the top: long Chinese area names fit on the left even on a
// phone, where upright labels would have to be tilted. Built from the quarter's table, so chart and table agree.

/**
 * Height for a bar chart of `rows` categories with `sets` bars each, whose longest label has `lines` lines: the bars
 * keep their thickness on a phone, and Chart.js gives every category the same band, so the tallest label (a line of
 * its 12 px ticks is about 0.9rem) sets the band, or wrapped names overlap their neighbours.
 */
export function barHeight(rows: number, sets: number, lines = 1): string {
	const band = Math.max(1.1 + 0.9 * sets, 0.4 + 1.05 * lines);
	return `${Math.max(10, 3 + rows * band)}rem`;
}

/** The most lines any of these area names takes as a bar's label (labelLines). */
export function mostLabelLines(names: string[]): number {
	return Math.max(1, ...names.map((name) => labelLines(name).length));
}

/** Height for quarterAreaChart of this table with `sets` bars per area. */
export function areaChartHeight(table: DataTable, sets: number): string {
	return barHeight(table.rows.length, sets, mostLabelLines(table.rows.map((r) => String(r[0]))));
}

/**
 * An area's name as the lines of a bar's label: a note in brackets, 政治理论（党的创新理论）, goes on its own line,
 * and a long English name wraps between words, so that on a phone the names are not cut at the chart's left edge.
 */
export function labelLines(name: string, width = 16): string[] {
	return name.split(/(?=（)/).flatMap((part) => {
		const lines: string[] = [];
		for (const word of part.split(' ')) {
			const last = lines.at(-1);
			if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
			else lines.push(word);
		}
		return lines;
	});
}

export function quarterAreaChart(table: DataTable): ChartConfiguration<'bar'> {
	const datasets: ChartDataset<'bar', (number | null)[]>[] = table.columns.slice(1).map((label, s) => {
		const style = styleOf(s);
		// The scope filled, the compared unit outlined: the two differ without colour.
		return { label, data: table.rows.map((r) => r[s + 1] as number | null), backgroundColor: style.fill, borderColor: style.color, borderWidth: s === 0 ? 0 : 2 };
	});
	return {
		type: 'bar',
		data: { labels: table.rows.map((r) => labelLines(String(r[0]))), datasets },
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
