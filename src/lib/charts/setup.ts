import {
	BarController,
	BarElement,
	CategoryScale,
	Chart,
	Filler,
	Legend,
	LinearScale,
	LineController,
	LineElement,
	PointElement,
	RadarController,
	RadialLinearScale,
	Tooltip
} from 'chart.js';

// Only the parts the dashboards draw (line, bar and radar charts), never `chart.js/auto`: each part left out is
// JavaScript a teacher on a phone does not download. Add a part here when a chart needs it.
Chart.register(
	BarController,
	BarElement,
	CategoryScale,
	Filler,
	Legend,
	LinearScale,
	LineController,
	LineElement,
	PointElement,
	RadarController,
	RadialLinearScale,
	Tooltip
);

// The page's own font, so Chinese labels on the canvas match the text around them.
Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
Chart.defaults.color = '#333';
if (matchMedia('(prefers-reduced-motion: reduce)').matches) Chart.defaults.animation = false;

export { Chart };
