import type { Db } from '../db';
import type { Role } from '../db/schema';
import { subtreeUnitIds } from '../org/units';

// Who may rate as a signed-in member, and in which rater group. Fixed (evaluation_eligible) when a run opens, so
// turnout has a fixed denominator. A member who fits several groups rates in the first of them (by position):
// one person, one ballot.

export type GroupRule = { id: number; position: number; membersRate: boolean; unitIds: number[]; roles: Role[] };

export function parseIdList(json: string): number[] {
	try {
		const value: unknown = JSON.parse(json);
		return Array.isArray(value) ? value.filter((v): v is number => Number.isSafeInteger(v)) : [];
	} catch {
		return [];
	}
}

export function parseRoleList(json: string): Role[] {
	try {
		const value: unknown = JSON.parse(json);
		return Array.isArray(value) ? value.filter((v): v is Role => v === 'member' || v === 'secretary' || v === 'committee') : [];
	} catch {
		return [];
	}
}

export async function groupRules(db: Db, evaluationId: number): Promise<GroupRule[]> {
	const rows = await db
		.selectFrom('evaluation_group')
		.select(['id', 'position', 'members_rate', 'unit_ids', 'roles'])
		.where('evaluation_id', '=', evaluationId)
		.orderBy('position')
		.execute();
	return rows.map((g) => ({ id: g.id, position: g.position, membersRate: g.members_rate === 1, unitIds: parseIdList(g.unit_ids), roles: parseRoleList(g.roles) }));
}

/** Active members and the group each would rate in, from the groups' rules as they stand. */
export async function computeEligible(db: Db, evaluationId: number): Promise<Map<number, number>> {
	const groups = (await groupRules(db, evaluationId)).filter((g) => g.membersRate);
	const members = await db.selectFrom('member').select(['id', 'unit_id']).where('status', '=', 'active').execute();
	const roles = await db.selectFrom('member_role').select(['member_id', 'role']).execute();
	const rolesOf = new Map<number, Set<Role>>();
	for (const r of roles) {
		const set = rolesOf.get(r.member_id) ?? new Set<Role>();
		set.add(r.role);
		rolesOf.set(r.member_id, set);
	}
	const unitSets = new Map<number, Set<number> | null>();
	for (const g of groups) {
		if (g.unitIds.length === 0) unitSets.set(g.id, null);
		else {
			const units = new Set<number>();
			for (const id of g.unitIds) for (const u of await subtreeUnitIds(db, id)) units.add(u);
			unitSets.set(g.id, units);
		}
	}
	const eligible = new Map<number, number>();
	for (const m of members) {
		const memberRoles = rolesOf.get(m.id) ?? new Set<Role>();
		for (const g of groups) {
			const units = unitSets.get(g.id);
			if (units && !units.has(m.unit_id)) continue;
			if (g.roles.length > 0 && !g.roles.some((r) => memberRoles.has(r))) continue;
			eligible.set(m.id, g.id);
			break;
		}
	}
	return eligible;
}

/** Replaces the campaign's eligible list with the groups' rules as they stand. Call inside the run-opening transaction. */
export async function snapshotEligible(trx: Db, evaluationId: number): Promise<number> {
	const eligible = await computeEligible(trx, evaluationId);
	await trx.deleteFrom('evaluation_eligible').where('evaluation_id', '=', evaluationId).execute();
	const rows = [...eligible].map(([member_id, group_id]) => ({ evaluation_id: evaluationId, member_id, group_id }));
	for (let i = 0; i < rows.length; i += 300) await trx.insertInto('evaluation_eligible').values(rows.slice(i, i + 300)).execute();
	return rows.length;
}
