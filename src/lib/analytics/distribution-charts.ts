import type { ChartConfiguration, ChartDataset, Plugin } from 'chart.js';
import { m } from '$lib/paraglide/messages';
import { primaryStyle, styleOf } from './chart-style';
import type { DataTable } from './table';

// The test page's charts: the histogram of percent scores with the pass mark drawn across it, and the units compared.

/**
 * Draws the pass mark as a dashed vertical line with its label, without the annotation plugin (a whole plugin for
 * one line). The bins are ten equal slots of the category axis, so percent p sits at p/100 of the axis's width.
 */
function passMarkLine(passPercent: number, label: string): Plugin<'bar'> {
	return {
		id: 'passMark',
		afterDatasetsDraw(chart) {
			const { ctx, chartArea, scales } = chart;
			const x = scales.x;
			if (!x) return;
			const at = x.left + (Math.min(100, Math.max(0, passPercent)) / 100) * (x.right - x.left);
			ctx.save();
			ctx.strokeStyle = '#1f2937';
			ctx.lineWidth = 2;
			ctx.setLineDash([6, 4]);
			ctx.beginPath();
			ctx.moveTo(at, chartArea.top);
			ctx.lineTo(at, chartArea.bottom);
			ctx.stroke();
			ctx.setLineDash([]);
			ctx.fillStyle = '#1f2937';
			ctx.font = `600 12px ${getComputedStyle(chart.canvas).fontFamily}`;
			// The label sits on the side with more room, so it is never cut off at the edge.
			const right = at < (chartArea.left + chartArea.right) / 2;
			ctx.textAlign = right ? 'left' : 'right';
			ctx.textBaseline = 'top';
			ctx.fillText(label, at + (right ? 4 : -4), chartArea.top + 2);
			ctx.restore();
		}
	};
}

/** Takers per bin of ten points, with the pass mark (percent of the total) when the paper has one. */
export function histogramChart(table: DataTable, passPercent: number | null): ChartConfiguration<'bar'> {
	const label = passPercent === null ? '' : m.dashTrend_pass_mark({ percent: String(Math.round(passPercent * 10) / 10) });
	return {
		type: 'bar',
		data: {
			labels: table.rows.map((r) => String(r[0])),
			datasets: [{ label: table.columns[1] ?? '', data: table.rows.map((r) => r[1] as number), backgroundColor: primaryStyle.fill, categoryPercentage: 0.95, barPercentage: 0.95 }]
		},
		options: {
			responsive: true,
			maintainAspectRatio: false,
			// Room above the tallest bar for the pass mark's label.
			layout: { padding: { top: 8 } },
			scales: {
				x: { title: { display: true, text: m.dashTrend_axis_bin() }, ticks: { autoSkip: false, maxRotation: 60 } },
				y: { beginAtZero: true, grace: '15%', ticks: { precision: 0 }, title: { display: true, text: m.dashTrend_col_count() } }
			},
			plugins: { legend: { display: false } }
		},
		plugins: passPercent === null ? [] : [passMarkLine(passPercent, label)]
	};
}

/** Mean score and pass rate of each unit, as horizontal bars (unit names are long). */
export function unitComparisonChart(table: DataTable): ChartConfiguration<'bar'> {
	// Columns of the comparison table: unit, expected, takers, participation, mean, median, pass rate.
	const measures = [
		{ column: 4, label: m.dashTrend_col_mean() },
		{ column: 6, label: m.dashTrend_col_pass_rate() }
	];
	const datasets: ChartDataset<'bar', (number | null)[]>[] = measures.map((measure, s) => {
		const style = styleOf(s);
		return { label: measure.label, data: table.rows.map((r) => r[measure.column] as number | null), backgroundColor: style.fill, borderColor: style.color, borderWidth: s === 0 ? 0 : 2 };
	});
	return {
		type: 'bar',
		data: { labels: table.rows.map((r) => String(r[0])), datasets },
		options: {
			indexAxis: 'y',
			responsive: true,
			maintainAspectRatio: false,
			scales: { x: { min: 0, max: 100, title: { display: true, text: m.dashTrend_axis_percent() } }, y: { ticks: { autoSkip: false } } },
			plugins: { legend: { position: 'bottom' } }
		}
	};
}
