import { m } from '$lib/paraglide/messages';
import { areaName } from '$lib/bank-labels';
import { quarterLabel } from '$lib/exams/format';
import { getLocale } from '$lib/paraglide/runtime';
import type { LeaderOverview } from '$lib/server/analytics/leaders';
import type { HistoryRow, MemberProgress } from '$lib/server/analytics/member-history';
import type { MemberTableRow, QuarterCell } from '$lib/server/analytics/members';
import type { LeaderCampaignRow, Withheld } from '$lib/server/evaluations/results';
import { rounded, type Cell, type DataTable } from './table';

// The tables of the member pages (党员成绩, a member's page, 我的成绩, 领导测评): the same builders serve the page
// and its export endpoint, so a download holds exactly the numbers the page shows.

/** `2026Q4` → `2026 Q4`, where a full label (2026年第四季度) would not fit: chart axes and narrow columns. */
export function shortQuarter(quarter: string): string {
	return quarter.replace(/^(\d{4})Q([1-4])$/, '$1 Q$2');
}

/** A quarter's cell as text or number: the score, else 缺考 / 待考, else empty (not expected). */
export function quarterCell(c: QuarterCell): Cell {
	if (c.percent !== null) return rounded(c.percent);
	if (c.missed > 0) return m.dashMembers_missed();
	if (c.pending) return m.dashMembers_pending();
	return null;
}

export function memberTableData(quarters: string[], rows: MemberTableRow[]): DataTable {
	return {
		id: 'members',
		caption: m.dashMembers_table_caption(),
		columns: [
			m.dashMembers_col_name(),
			m.dashMembers_col_login(),
			m.dashMembers_col_unit(),
			...quarters.map(quarterLabel),
			m.dashMembers_col_missed(),
			m.dashMembers_col_latest(),
			m.dashMembers_col_change()
		],
		rows: rows.map((r) => [r.name, r.loginId, r.unitPath, ...r.quarters.map(quarterCell), r.missed, rounded(r.latest), rounded(r.trend)])
	};
}

export function statusLabel(row: Pick<HistoryRow, 'status' | 'passed'>): string {
	switch (row.status) {
		case 'result':
			return row.passed ? m.dashMembers_status_pass() : m.dashMembers_status_fail();
		case 'missed':
			return m.dashMembers_status_missed();
		case 'pending':
			return m.dashMembers_status_pending();
		case 'hidden':
			return m.dashMembers_status_hidden();
	}
}

export function historyTable(p: Pick<MemberProgress, 'rows' | 'withUnitMean'>): DataTable {
	return {
		id: 'history',
		caption: m.dashMembers_history_caption(),
		columns: [
			m.dashMembers_col_quarter(),
			m.dashMembers_col_test(),
			m.dashMembers_col_score(),
			m.dashMembers_col_outcome(),
			...(p.withUnitMean ? [m.dashMembers_col_unit_mean()] : [])
		],
		rows: p.rows.map((r) => [quarterLabel(r.quarter), r.title, rounded(r.percent), statusLabel(r), ...(p.withUnitMean ? [rounded(r.unitMean)] : [])])
	};
}

export function areasTable(p: Pick<MemberProgress, 'areas'>): DataTable {
	const locale = getLocale();
	return {
		id: 'areas',
		caption: m.dashMembers_areas_caption(),
		columns: [m.dashMembers_col_area(), m.dashMembers_col_earned(), m.dashMembers_col_possible(), m.dashMembers_col_share(), m.dashMembers_col_pass_mark()],
		rows: p.areas.map((a) => [areaName(a, locale), a.earnedCents / 100, a.possibleCents / 100, rounded(100 * a.share), rounded(100 * a.passShare)])
	};
}

export function withheldNote(w: Withheld | null, threshold: number): string | null {
	if (!w) return null;
	if (w.reason === 'below_threshold') return m.dashMembers_withheld_below({ count: String(threshold) });
	if (w.reason === 'small_group_weight') return m.dashMembers_withheld_weight({ count: String(threshold) });
	if (w.reason === 'campaign_open') return m.dashMembers_withheld_open();
	return m.dashMembers_withheld_hidden();
}

const percentOf = (rate: number | null | undefined) => (rate === null || rate === undefined ? null : rounded(100 * rate));

/**
 * A leader's campaigns, oldest first: phase, ballots, the overall rating's top and top-two shares, the score, and
 * why a figure is withheld (that column only when one is).
 */
export function leaderTable(l: Pick<LeaderOverview, 'memberId' | 'name' | 'rows'>): DataTable {
	const notes = l.rows.map((r: LeaderCampaignRow) => withheldNote(r.withheld ?? r.scoreWithheld, r.threshold));
	const withNotes = notes.some((n) => n !== null);
	return {
		id: `leader-${l.memberId}`,
		caption: m.dashMembers_leader_caption({ name: l.name }),
		columns: [
			m.dashMembers_col_year(),
			m.dashMembers_col_campaign(),
			m.dashMembers_col_phase(),
			m.dashMembers_col_ballots(),
			m.dashMembers_col_top_label(),
			m.dashMembers_col_top_rate(),
			m.dashMembers_col_top_two_rate(),
			m.dashMembers_col_eval_score(),
			...(withNotes ? [m.dashMembers_col_note()] : [])
		],
		rows: l.rows.map((r: LeaderCampaignRow, i) => [
			String(r.year),
			r.title,
			r.phase === 'open' ? m.dashMembers_phase_open() : m.dashMembers_phase_final(),
			r.ballots,
			r.overall?.topLabel ?? null,
			percentOf(r.overall?.topRate),
			percentOf(r.overall?.topTwoRate),
			r.score === null ? null : rounded(100 * r.score, 2),
			...(withNotes ? [notes[i] ?? null] : [])
		])
	};
}
