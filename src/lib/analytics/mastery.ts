import { m } from '$lib/paraglide/messages';
import { areaName } from '$lib/bank-labels';
import { quarterLabel } from '$lib/exams/format';
import { pct, quarterName } from './trends';
import type { DataTable } from './table';

// The mastery page's numbers (server/analytics/mastery.ts) and its tables, built alike by the page and its export.

export type AreaShare = { earnedCents: number; possibleCents: number; /** counted attempts with points in the area */ attempts: number; /** 0–1 */ share: number | null };

export type Mastery = {
	quarters: { quarter: string; open: boolean }[];
	areas: { id: number; nameZh: string; nameEn: string }[];
	/** Per set of units: cells[area][quarter], null where the area had no points that quarter. */
	sets: (AreaShare | null)[][][];
};

/** Five bands of the heat map, weakest first; a cell's band and its number always go together. */
export const bandEdges = [60, 70, 80, 90] as const;

export function bandOf(share: number | null): number | null {
	if (share === null) return null;
	const p = share * 100;
	return bandEdges.filter((edge) => p >= edge).length;
}

export function bandLabel(band: number): string {
	const lo = String(bandEdges[band - 1]);
	const hi = String(bandEdges[band]);
	if (band === 0) return m.dashTrend_band_below({ hi });
	if (band === bandEdges.length) return m.dashTrend_band_above({ lo });
	return m.dashTrend_band_between({ lo, hi });
}

/**
 * The quarter `?quarter=` asks for, as an index into `quarters`; without one, the latest quarter whose tests have
 * all closed (final numbers), else the latest. -1 for a quarter the page does not show.
 */
export function quarterIndex(quarters: { quarter: string; open: boolean }[], raw: string | null): number {
	if (raw) return quarters.findIndex((q) => q.quarter === raw);
	const closed = quarters.findLastIndex((q) => !q.open);
	return closed >= 0 ? closed : quarters.length - 1;
}

/**
 * The areas in the order the page shows them: weakest first in the given quarter (of set 0, the unit the page is
 * about), areas without points that quarter last in the bank's order.
 */
export function areaOrder(mastery: Mastery, quarterIndex: number, set = 0): number[] {
	const cells = mastery.sets[set] ?? [];
	const shareOf = (a: number) => cells[a]?.[quarterIndex]?.share ?? null;
	return mastery.areas
		.map((_, a) => a)
		.sort((x, y) => {
			const sx = shareOf(x);
			const sy = shareOf(y);
			if (sx === null || sy === null) return (sx === null ? 1 : 0) - (sy === null ? 1 : 0) || x - y;
			return sx - sy || x - y;
		});
}

/** The heat map's numbers: an area per row, a quarter per column, percent of points earned. */
export function heatTable(mastery: Mastery, order: number[], locale: string, set = 0): DataTable {
	const cells = mastery.sets[set] ?? [];
	return {
		id: 'areas',
		caption: m.dashTrend_heat_caption(),
		columns: [m.dashTrend_col_area(), ...mastery.quarters.map((q) => quarterName(q))],
		rows: order.map((a) => [areaName(mastery.areas[a] as Mastery['areas'][number], locale), ...mastery.quarters.map((_, q) => pct(cells[a]?.[q]?.share ?? null))])
	};
}

/** One quarter's shares, weakest first, for each set compared (`names[i]` names set i). */
export function quarterAreaTable(mastery: Mastery, quarterIndex: number, order: number[], names: string[], locale: string): DataTable {
	const q = mastery.quarters[quarterIndex];
	const shown = order.filter((a) => mastery.sets.some((set) => set[a]?.[quarterIndex]));
	return {
		id: 'quarter',
		caption: m.dashTrend_quarter_caption({ quarter: q ? quarterLabel(q.quarter) : '' }),
		columns: [m.dashTrend_col_area(), ...names.map((name) => m.dashTrend_col_share({ name }))],
		rows: shown.map((a) => [areaName(mastery.areas[a] as Mastery['areas'][number], locale), ...mastery.sets.map((set) => pct(set[a]?.[quarterIndex]?.share ?? null))])
	};
}
