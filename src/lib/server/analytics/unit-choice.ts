import { error } from '@sveltejs/kit';
import type { Db } from '../db';
import { idParam } from '../form';
import { unitInScope, type Scope } from '../org/scope';
import { unitTree, type UnitNode } from '../org/units';
import type { UnitChoice } from '$lib/analytics/units';

// Which units a dashboard page shows (`?unit=<id>`): the viewer's whole scope, and the unit they picked inside it.
// The committee starts at the whole organization, a secretary at their own unit (their scope). A unit outside the
// scope is refused (403) even though the picker never offers it: the URL is the boundary, not the form.

/** A unit and all below it. Tree order puts every unit after its parent, so one pass collects the whole subtree. */
function subtreeIn(tree: UnitNode[], id: number): number[] {
	const ids = new Set([id]);
	for (const u of tree) if (u.parent_id !== null && ids.has(u.parent_id)) ids.add(u.id);
	return [...ids];
}

export type ChoiceProblem = 'not_found' | 'forbidden';

export async function chooseUnit(db: Db, scope: Scope, viewer: { unitId: number }, raw: string | null): Promise<UnitChoice | ChoiceProblem> {
	if (scope.kind === 'none') return 'forbidden';
	// Archived units too: their members still count in the subtree they sat in.
	const tree = await unitTree(db, { includeArchived: true });
	const byId = new Map(tree.map((u) => [u.id, u]));
	const all = scope.kind === 'all';
	const top = all ? null : (byId.get(viewer.unitId) ?? null);
	const scopeIds = all ? undefined : [...scope.unitIds];

	let chosen: UnitNode | null = top;
	if (raw !== null && raw !== '') {
		const id = idParam(raw);
		const unit = id === null ? undefined : byId.get(id);
		if (!unit) return 'not_found';
		if (!unitInScope(scope, unit.id)) return 'forbidden';
		chosen = unit;
	}
	const chosenIds = chosen ? subtreeIn(tree, chosen.id) : scopeIds;
	const scopeSize = scopeIds?.length ?? tree.length;
	const inPicker = tree.filter((u) => u.archived_at === null && unitInScope(scope, u.id));
	const topDepth = Math.min(...inPicker.map((u) => u.depth));
	return {
		allowAll: all,
		options: inPicker.map((u) => ({ id: u.id, name: u.name, depth: u.depth - topDepth })),
		scope: { name: top?.name ?? null, unitIds: scopeIds },
		chosen: { id: chosen?.id ?? null, name: chosen?.name ?? null, unitIds: chosenIds },
		// The committee picking the only root sees the whole organization: one series, not two equal ones.
		compare: (chosenIds?.length ?? tree.length) < scopeSize
	};
}

/** For pages and exports: the choice in the URL's `unit`, or 404 for an unknown id and 403 outside the scope. */
export async function unitChoiceOrError(db: Db, scope: Scope, viewer: { unitId: number }, url: URL): Promise<UnitChoice> {
	const choice = await chooseUnit(db, scope, viewer, url.searchParams.get('unit'));
	if (choice === 'not_found') error(404, 'not_found');
	if (choice === 'forbidden') error(403, 'forbidden');
	return choice;
}

/**
 * The direct children of a unit with their subtrees, for comparing units. The whole organization (null) stands for
 * its single root, so the committee compares the root's children; with several roots, the roots are the children.
 */
export async function childUnits(db: Db, parentId: number | null): Promise<{ parent: { id: number; name: string } | null; units: { id: number; name: string; unitIds: number[] }[] }> {
	const tree = await unitTree(db, { includeArchived: true });
	const roots = tree.filter((u) => u.depth === 0);
	const parentUnit = tree.find((u) => u.id === (parentId ?? (roots.length === 1 ? roots[0]?.id : undefined)));
	const units = tree.filter((u) => (parentUnit ? u.parent_id === parentUnit.id : u.depth === 0)).map((u) => ({ id: u.id, name: u.name, unitIds: subtreeIn(tree, u.id) }));
	return { parent: parentUnit ? { id: parentUnit.id, name: parentUnit.name } : null, units };
}
