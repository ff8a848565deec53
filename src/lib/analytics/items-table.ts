import { letters, typeLabel } from '$lib/bank-labels';
import { m } from '$lib/paraglide/messages';
import type { ItemAnalysis, ItemFlag, ItemStats, ReliabilityKind } from '$lib/server/analytics/items';
import type { QuestionType } from '$lib/types';
import { rounded, type DataTable } from './table';

// The item analysis page's list and its downloads, built from the same data by the page and by the export
// endpoint, so a downloaded table is what the page shows (with the same filter and order).

export const itemSorts = ['flags', 'facility', 'discrimination', 'question'] as const;
export type ItemSort = (typeof itemSorts)[number];
export type ItemsQuery = { sort: ItemSort; flagged: boolean };

/** `?sort=<sort>&flagged=1`; anything unknown falls back to flagged questions first, all shown. */
export function itemsQuery(params: URLSearchParams): ItemsQuery {
	const sort = params.get('sort') ?? '';
	return { sort: (itemSorts as readonly string[]).includes(sort) ? (sort as ItemSort) : 'flags', flagged: params.get('flagged') === '1' };
}

/** Questions in the order asked for; the server's order (type, then question id) breaks every tie. */
export function arrangeItems(items: ItemStats[], query: ItemsQuery): ItemStats[] {
	const position = new Map(items.map((item, i) => [item.questionId, i]));
	const byPosition = (a: ItemStats, b: ItemStats) => (position.get(a.questionId) as number) - (position.get(b.questionId) as number);
	// Missing values (a question nobody or everybody got right has no discrimination) go last.
	const ascending = (value: (item: ItemStats) => number | null) => (a: ItemStats, b: ItemStats) => {
		const x = value(a);
		const y = value(b);
		return (x === null ? 1 : 0) - (y === null ? 1 : 0) || (x ?? 0) - (y ?? 0) || byPosition(a, b);
	};
	const order = {
		flags: (a: ItemStats, b: ItemStats) => b.flags.length - a.flags.length || byPosition(a, b),
		facility: ascending((item) => item.facility),
		discrimination: ascending((item) => item.discrimination),
		question: byPosition
	}[query.sort];
	return items.filter((item) => !query.flagged || item.flags.length > 0).sort(order);
}

export const flagLabel: Record<ItemFlag, () => string> = {
	too_easy: () => m.dashItems_flag_too_easy(),
	too_hard: () => m.dashItems_flag_too_hard(),
	negative: () => m.dashItems_flag_negative(),
	unused_option: () => m.dashItems_flag_unused_option()
};

export const reliabilityLabel: Record<ReliabilityKind, () => string> = {
	kr20: () => m.dashItems_rel_kr20(),
	alpha: () => m.dashItems_rel_alpha(),
	nested: () => m.dashItems_rel_nested()
};

/** A: the first option as written in the bank (not as a member saw it); true/false as 正确 / 错误. */
export function optionLabel(type: QuestionType, index: number): string {
	if (type === 'true_false') return index === 0 ? m.answer_true() : m.answer_false();
	return letters[index] ?? String(index + 1);
}

/** A share (0..1) as a percentage with one decimal, as a number for tables. */
export function pct(share: number | null): number | null {
	return share === null ? null : rounded(100 * share);
}

/** A coefficient with two decimals. */
export function coefficient(value: number | null): number | null {
	return rounded(value, 2);
}

export function itemTables(analysis: ItemAnalysis, query: ItemsQuery): DataTable[] {
	const items = arrangeItems(analysis.items, query);
	const summary: DataTable = {
		id: 'summary',
		caption: m.dashItems_table_summary(),
		columns: [m.dashItems_col_measure(), m.dashItems_col_value()],
		rows: [
			[m.dashItems_takers(), analysis.takers],
			[m.dashItems_mean(), rounded(analysis.mean)],
			[m.dashItems_median(), rounded(analysis.median)],
			[m.dashItems_sd(), rounded(analysis.sd)],
			[m.dashItems_reliability_with({ coefficient: reliabilityLabel[analysis.reliability.kind]() }), coefficient(analysis.reliability.value)],
			[m.dashItems_sem(), rounded(analysis.sem)]
		]
	};
	const table: DataTable = {
		id: 'items',
		caption: m.dashItems_table_items(),
		columns: [
			m.dashItems_col_question(),
			m.dashItems_col_type(),
			m.dashItems_col_stem(),
			m.dashItems_col_n(),
			m.dashItems_col_facility(),
			m.dashItems_col_item_rest(),
			m.dashItems_col_discrimination(),
			m.dashItems_col_upper(),
			m.dashItems_col_lower(),
			m.dashItems_col_group_size(),
			m.dashItems_col_flags()
		],
		rows: items.map((i) => [
			i.questionId,
			typeLabel[i.type](),
			i.stem,
			i.n,
			pct(i.facility),
			coefficient(i.itemRest),
			coefficient(i.discrimination),
			pct(i.upper),
			pct(i.lower),
			i.groupSize,
			i.flags.map((f) => flagLabel[f]()).join(m.dashItems_list_separator())
		])
	};
	const options: DataTable = {
		id: 'options',
		caption: m.dashItems_table_options(),
		columns: [
			m.dashItems_col_question(),
			m.dashItems_col_option(),
			m.dashItems_col_key(),
			m.dashItems_col_chosen(),
			m.dashItems_col_share(),
			m.dashItems_col_upper_share(),
			m.dashItems_col_lower_share()
		],
		rows: items.flatMap((i) => [
			...i.options.map((o) => [i.questionId, optionLabel(i.type, o.index), o.key ? m.dashItems_yes() : '', o.chosen, pct(o.share), pct(o.upper), pct(o.lower)]),
			...(i.omitted ? [[i.questionId, m.dashItems_option_blank(), '', i.omitted.chosen, pct(i.omitted.share), pct(i.omitted.upper), pct(i.omitted.lower)]] : [])
		])
	};
	return [summary, table, options];
}
