import type { Db } from '../db';
import type { Role } from '../db/schema';
import { subtreeUnitIds } from './units';

/**
 * What part of the organization a person may manage: the committee everything, a secretary their own
 * unit and everything below it, anyone else nothing. Every load, action and endpoint that touches a member
 * or a unit checks the object against this, not just the role.
 */
export type Scope = { kind: 'all' } | { kind: 'units'; unitIds: Set<number> } | { kind: 'none' };

export async function managementScope(db: Db, actor: { unitId: number; roles: Role[] }): Promise<Scope> {
	if (actor.roles.includes('committee')) return { kind: 'all' };
	if (actor.roles.includes('secretary')) return { kind: 'units', unitIds: new Set(await subtreeUnitIds(db, actor.unitId)) };
	return { kind: 'none' };
}

/**
 * Whether the actor may change this member (edit, reset the password, disable). Besides the unit, a
 * secretary may not touch a committee account in their subtree: resetting its password would hand them
 * the committee's powers.
 */
export function canManage(scope: Scope, target: { unitId: number; roles: Role[] }): boolean {
	if (!unitInScope(scope, target.unitId)) return false;
	return scope.kind === 'all' || !target.roles.includes('committee');
}

export function unitInScope(scope: Scope, unitId: number): boolean {
	if (scope.kind === 'all') return true;
	if (scope.kind === 'none') return false;
	return scope.unitIds.has(unitId);
}
