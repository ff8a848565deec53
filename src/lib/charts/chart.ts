import type { ChartConfiguration } from 'chart.js';
import type { Attachment } from 'svelte/attachments';

/**
 * `<canvas {@attach chart(config)}>`: draws the chart and destroys it when the canvas goes or the config changes.
 * Chart.js is imported when the first chart is attached, so it never sits in a page's first download and the
 * pages without charts (taking a test, the ballot) never load it at all.
 */
export function chart(config: ChartConfiguration): Attachment<HTMLCanvasElement> {
	return (canvas) => {
		let instance: { destroy(): void } | undefined;
		let gone = false;
		void import('./setup').then(({ Chart }) => {
			if (!gone) instance = new Chart(canvas, config);
		});
		return () => {
			gone = true;
			instance?.destroy();
		};
	};
}
