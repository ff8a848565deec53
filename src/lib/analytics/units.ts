import { m } from '$lib/paraglide/messages';

// The units a dashboard page is about (server/analytics/unit-choice.ts picks them from the URL and the scope).

export type UnitChoice = {
	/** The committee may pick the whole organization (an empty `unit`). */
	allowAll: boolean;
	/** The picker: units in the viewer's scope in tree order, depth below the scope's top. */
	options: { id: number; name: string; depth: number }[];
	/** The viewer's whole scope; name null for the whole organization; unitIds undefined for everyone. */
	scope: { name: string | null; unitIds?: number[] };
	/** The unit picked (id null: the whole organization) and its subtree. */
	chosen: { id: number | null; name: string | null; unitIds?: number[] };
	/** The chosen unit is smaller than the scope, so the two are shown side by side. */
	compare: boolean;
};

/** A set's name on charts and in tables: the unit's name, or 全部单位 for the whole organization. */
export function setName(name: string | null): string {
	return name ?? m.dash_scope_all();
}

/** The sets of units a page compares: the scope alone, or the scope and then the chosen unit. */
export function comparedSets(choice: UnitChoice): { name: string; unitIds?: number[] }[] {
	const chosen = { name: setName(choice.chosen.name), unitIds: choice.chosen.unitIds };
	return choice.compare ? [{ name: setName(choice.scope.name), unitIds: choice.scope.unitIds }, chosen] : [chosen];
}
