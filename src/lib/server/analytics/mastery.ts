import type { Db } from '../db';
import type { AreaShare, Mastery } from '$lib/analytics/mastery';
import { quarterOpen, shownQuarters } from './trends';

// Content-area mastery (内容掌握): the share of the points on offer in each area that members earned, per quarter,
// from the per-area scores stored at submission, summed per test, unit and area (exam_area_total) over each
// member's counted attempt. A question tagged
// with two areas counts fully in both (exams/scoring.ts `sumByArea`), so shares are per area, never summed across.
//
// Share = Σ earned / Σ possible over the counted attempts: members whose papers drew more of an area weigh more in
// it, as the points they answered do.

type AreaRow = { quarter: string; unitId: number; areaId: number; earned: number; possible: number; n: number };

/** Everyone's points per quarter, unit and area, from the stored totals (exam_area_total, counted.ts). */
async function areaRows(db: Db, quarters: string[]): Promise<AreaRow[]> {
	if (quarters.length === 0) return [];
	const rows = await db
		.selectFrom('exam_area_total as t')
		.innerJoin('exam', 'exam.id', 't.exam_id')
		.select(({ fn }) => [
			'exam.quarter',
			't.unit_id',
			't.area_id',
			fn.sum<number>('t.earned_cents').as('earned'),
			fn.sum<number>('t.possible_cents').as('possible'),
			fn.sum<number>('t.results').as('n')
		])
		.where('exam.kind', '=', 'quarterly')
		.where('exam.status', '=', 'published')
		.where('exam.quarter', 'in', quarters)
		.groupBy(['exam.quarter', 't.unit_id', 't.area_id'])
		.execute();
	// Sums are strings on PostgreSQL (bigint), numbers on SQLite.
	return rows.map((r) => ({ quarter: r.quarter, unitId: r.unit_id, areaId: r.area_id, earned: Number(r.earned), possible: Number(r.possible), n: Number(r.n) }));
}

/**
 * Area × quarter shares for each set of units (`undefined` = everyone), over the quarters the trends show. Areas
 * appear (in the bank's order) when one of the sets has points in them in one of these quarters.
 */
export async function areaMastery(db: Db, sets: (number[] | undefined)[], now = Date.now()): Promise<Mastery> {
	const { quarters, tests } = await shownQuarters(db, now);
	const all = await areaRows(db, quarters);
	// Only the areas the sets had points in (everyone's areas would list areas none of these units ever saw).
	const union = sets.some((s) => s === undefined) ? undefined : new Set(sets.flatMap((s) => s ?? []));
	const rows = union ? all.filter((r) => union.has(r.unitId)) : all;
	const areaIds = new Set(rows.filter((r) => r.possible > 0).map((r) => r.areaId));
	const areas =
		areaIds.size === 0
			? []
			: await db.selectFrom('content_area').select(['id', 'name_zh', 'name_en']).where('id', 'in', [...areaIds]).orderBy('sort_order').orderBy('id').execute();
	return {
		quarters: quarters.map((quarter) => ({ quarter, open: quarterOpen(tests, quarter, now) })),
		areas: areas.map((a) => ({ id: a.id, nameZh: a.name_zh, nameEn: a.name_en })),
		sets: sets.map((set) => {
			const inSet = set === undefined ? undefined : new Set(set);
			const cells = new Map<string, AreaShare>();
			for (const r of rows) {
				if (inSet && !inSet.has(r.unitId)) continue;
				const key = `${r.areaId}|${r.quarter}`;
				const cell = cells.get(key) ?? { earnedCents: 0, possibleCents: 0, attempts: 0, share: null };
				cell.earnedCents += r.earned;
				cell.possibleCents += r.possible;
				cell.attempts += r.n;
				cells.set(key, cell);
			}
			return areas.map((a) =>
				quarters.map((q) => {
					const cell = cells.get(`${a.id}|${q}`);
					return cell && cell.possibleCents > 0 ? { ...cell, share: cell.earnedCents / cell.possibleCents } : null;
				})
			);
		})
	};
}
