import type { PointStyle } from 'chart.js';

// How the dashboards tell their series apart: the app's red for the organization (or the only series) and a blue
// for the unit compared with it, and never by colour alone: the lines are solid or dashed, the points differ in
// shape, and bars are filled or outlined. Both colours have at least 4.5:1 contrast on white.

export type SeriesStyle = { color: string; fill: string; dash: number[]; point: PointStyle; secondDash: number[]; secondPoint: PointStyle };

export const primaryStyle: SeriesStyle = { color: '#b91c1c', fill: '#b91c1c', dash: [], point: 'circle', secondDash: [2, 3], secondPoint: 'rect' };
export const comparedStyle: SeriesStyle = { color: '#1d4ed8', fill: 'rgba(29, 78, 216, 0.15)', dash: [8, 4], point: 'triangle', secondDash: [8, 3, 2, 3], secondPoint: 'rectRot' };

/** The style of the i-th set of units on a page: the scope first, then the unit compared with it. */
export function styleOf(i: number): SeriesStyle {
	return i === 0 ? primaryStyle : comparedStyle;
}
