import type { Db } from '../db';
import type { Unit, UnitKind } from '../db/schema';

// The organization is a tree: a committee (党委) over general branches (总支) over branches (支部).
// Which kind may sit under which: a 党委 may hold 总支 and 支部 (and, for a city committee, county 党委s);
// a 总支 holds 支部; a 支部 is a leaf. Only a 党委 may be the root.
const allowedParents: Record<UnitKind, (UnitKind | null)[]> = {
	committee: [null, 'committee'],
	general_branch: ['committee'],
	branch: ['committee', 'general_branch']
};

export const unitKinds: UnitKind[] = ['committee', 'general_branch', 'branch'];
export const unitNameMaxLength = 50;

export type UnitProblem =
	| 'name_required'
	| 'name_too_long'
	| 'name_taken'
	| 'parent_not_found'
	| 'kind_not_allowed_here'
	| 'move_into_own_subtree'
	| 'root_cannot_move'
	| 'has_active_members'
	| 'has_active_children'
	| 'parent_archived'
	| 'not_found';

export type UnitResult = { ok: true; id: number } | { ok: false; problem: UnitProblem };

export async function listUnits(db: Db, options: { includeArchived?: boolean } = {}): Promise<Unit[]> {
	let query = db.selectFrom('unit').selectAll().orderBy('sort_order').orderBy('id');
	if (!options.includeArchived) query = query.where('archived_at', 'is', null);
	return query.execute();
}

/** Each unit's full path, `某县教育工委/县第一中学党总支/第一支部`, as imports and exports name units. */
export function unitPaths(units: Pick<Unit, 'id' | 'name' | 'parent_id'>[]): Map<number, string> {
	const byId = new Map(units.map((u) => [u.id, u]));
	const paths = new Map<number, string>();
	const pathOf = (id: number, depth = 0): string => {
		const known = paths.get(id);
		if (known !== undefined) return known;
		const unit = byId.get(id);
		if (!unit) return '';
		// depth guard: a corrupted parent loop must not hang the server
		const parent = unit.parent_id !== null && depth < 64 ? pathOf(unit.parent_id, depth + 1) : '';
		const path = parent ? `${parent}/${unit.name}` : unit.name;
		paths.set(id, path);
		return path;
	};
	for (const unit of units) pathOf(unit.id);
	return paths;
}

export type UnitNode = Unit & { depth: number; path: string; memberCount: number };

/** Units in tree order (each parent before its children) with depth, path and active member count. */
export async function unitTree(db: Db, options: { includeArchived?: boolean; rootId?: number } = {}) {
	const units = await listUnits(db, { includeArchived: options.includeArchived ?? false });
	const counts = await db
		.selectFrom('member')
		.select(['unit_id', db.fn.countAll<number>().as('n')])
		.where('status', '=', 'active')
		.groupBy('unit_id')
		.execute();
	const countOf = new Map(counts.map((c) => [c.unit_id, Number(c.n)]));
	const paths = unitPaths(units);
	const children = new Map<number | null, Unit[]>();
	const ids = new Set(units.map((u) => u.id));
	for (const unit of units) {
		// An archived parent hidden from the list leaves its children at the top.
		const parent = unit.parent_id !== null && ids.has(unit.parent_id) ? unit.parent_id : null;
		children.set(parent, [...(children.get(parent) ?? []), unit]);
	}
	const out: UnitNode[] = [];
	const walk = (parent: number | null, depth: number) => {
		for (const unit of children.get(parent) ?? []) {
			out.push({ ...unit, depth, path: paths.get(unit.id) ?? unit.name, memberCount: countOf.get(unit.id) ?? 0 });
			walk(unit.id, depth + 1);
		}
	};
	if (options.rootId !== undefined) {
		const root = units.find((u) => u.id === options.rootId);
		if (!root) return out;
		out.push({ ...root, depth: 0, path: paths.get(root.id) ?? root.name, memberCount: countOf.get(root.id) ?? 0 });
		walk(root.id, 1);
	} else {
		walk(null, 0);
	}
	return out;
}

/** The unit and every unit below it, archived ones included (their members still belong to the subtree). */
export async function subtreeUnitIds(db: Db, unitId: number): Promise<number[]> {
	const rows = await db
		.withRecursive('sub(id)', (qb) =>
			qb
				.selectFrom('unit')
				.select('id')
				.where('id', '=', unitId)
				.unionAll((qb2) => qb2.selectFrom('unit').innerJoin('sub', 'sub.id', 'unit.parent_id').select('unit.id'))
		)
		.selectFrom('sub')
		.select('id')
		.execute();
	return rows.map((r) => r.id);
}

function checkName(name: string): UnitProblem | null {
	if (!name) return 'name_required';
	if ([...name].length > unitNameMaxLength) return 'name_too_long';
	return null;
}

async function siblingNameTaken(db: Db, parentId: number | null, name: string, exceptId?: number) {
	let query = db.selectFrom('unit').select('id').where('name', '=', name).where('archived_at', 'is', null);
	query = parentId === null ? query.where('parent_id', 'is', null) : query.where('parent_id', '=', parentId);
	if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
	return (await query.executeTakeFirst()) !== undefined;
}

export async function createUnit(
	db: Db,
	input: { name: string; kind: UnitKind; parentId: number | null },
	now = Date.now()
): Promise<UnitResult> {
	const name = input.name.trim();
	return db.transaction().execute(async (trx): Promise<UnitResult> => {
		const nameProblem = checkName(name);
		if (nameProblem) return { ok: false, problem: nameProblem };
		const parent =
			input.parentId === null
				? null
				: await trx.selectFrom('unit').selectAll().where('id', '=', input.parentId).executeTakeFirst();
		if (input.parentId !== null && !parent) return { ok: false, problem: 'parent_not_found' };
		if (parent?.archived_at) return { ok: false, problem: 'parent_archived' };
		if (!allowedParents[input.kind].includes(parent?.kind ?? null)) return { ok: false, problem: 'kind_not_allowed_here' };
		if (await siblingNameTaken(trx, input.parentId, name)) return { ok: false, problem: 'name_taken' };
		const row = await trx
			.insertInto('unit')
			.values({ name, kind: input.kind, parent_id: input.parentId, created_at: now, archived_at: null })
			.returning('id')
			.executeTakeFirstOrThrow();
		return { ok: true, id: row.id };
	});
}

export async function renameUnit(db: Db, id: number, newName: string): Promise<UnitResult> {
	const name = newName.trim();
	return db.transaction().execute(async (trx): Promise<UnitResult> => {
		const nameProblem = checkName(name);
		if (nameProblem) return { ok: false, problem: nameProblem };
		const unit = await trx.selectFrom('unit').selectAll().where('id', '=', id).executeTakeFirst();
		if (!unit) return { ok: false, problem: 'not_found' };
		if (await siblingNameTaken(trx, unit.parent_id, name, id)) return { ok: false, problem: 'name_taken' };
		await trx.updateTable('unit').set({ name }).where('id', '=', id).execute();
		return { ok: true, id };
	});
}

export async function moveUnit(db: Db, id: number, newParentId: number): Promise<UnitResult> {
	return db.transaction().execute(async (trx): Promise<UnitResult> => {
		const unit = await trx.selectFrom('unit').selectAll().where('id', '=', id).executeTakeFirst();
		if (!unit) return { ok: false, problem: 'not_found' };
		if (unit.parent_id === null) return { ok: false, problem: 'root_cannot_move' };
		const parent = await trx.selectFrom('unit').selectAll().where('id', '=', newParentId).executeTakeFirst();
		if (!parent) return { ok: false, problem: 'parent_not_found' };
		if (parent.archived_at) return { ok: false, problem: 'parent_archived' };
		if ((await subtreeUnitIds(trx, id)).includes(newParentId)) return { ok: false, problem: 'move_into_own_subtree' };
		if (!allowedParents[unit.kind].includes(parent.kind)) return { ok: false, problem: 'kind_not_allowed_here' };
		if (await siblingNameTaken(trx, newParentId, unit.name, id)) return { ok: false, problem: 'name_taken' };
		await trx.updateTable('unit').set({ parent_id: newParentId }).where('id', '=', id).execute();
		return { ok: true, id };
	});
}

/**
 * Archiving hides a unit from lists and pickers but keeps it, so the history that refers to it (scores,
 * evaluations) stays whole. A unit that still has active members or active child units cannot be archived:
 * move or disable them first, so nobody silently falls out of every secretary's view.
 */
export async function archiveUnit(db: Db, id: number, now = Date.now()): Promise<UnitResult> {
	return db.transaction().execute(async (trx): Promise<UnitResult> => {
		const unit = await trx.selectFrom('unit').selectAll().where('id', '=', id).executeTakeFirst();
		if (!unit) return { ok: false, problem: 'not_found' };
		if (unit.parent_id === null) return { ok: false, problem: 'root_cannot_move' };
		const member = await trx
			.selectFrom('member')
			.select('id')
			.where('unit_id', '=', id)
			.where('status', '=', 'active')
			.executeTakeFirst();
		if (member) return { ok: false, problem: 'has_active_members' };
		const child = await trx
			.selectFrom('unit')
			.select('id')
			.where('parent_id', '=', id)
			.where('archived_at', 'is', null)
			.executeTakeFirst();
		if (child) return { ok: false, problem: 'has_active_children' };
		await trx.updateTable('unit').set({ archived_at: now }).where('id', '=', id).execute();
		return { ok: true, id };
	});
}

export async function restoreUnit(db: Db, id: number): Promise<UnitResult> {
	return db.transaction().execute(async (trx): Promise<UnitResult> => {
		const unit = await trx.selectFrom('unit').selectAll().where('id', '=', id).executeTakeFirst();
		if (!unit) return { ok: false, problem: 'not_found' };
		if (unit.parent_id !== null) {
			const parent = await trx.selectFrom('unit').select('archived_at').where('id', '=', unit.parent_id).executeTakeFirst();
			if (parent?.archived_at) return { ok: false, problem: 'parent_archived' };
		}
		if (await siblingNameTaken(trx, unit.parent_id, unit.name, id)) return { ok: false, problem: 'name_taken' };
		await trx.updateTable('unit').set({ archived_at: null }).where('id', '=', id).execute();
		return { ok: true, id };
	});
}
