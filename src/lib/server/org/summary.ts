import type { Db } from '../db';
import { listMembers } from './members';
import type { Scope } from './scope';
import { unitTree } from './units';

export type OrgSummary = {
	activeMembers: number;
	neverSignedIn: number;
	mustChangePassword: number;
	disabled: number;
	/** Branches in scope without an active secretary: nobody there can manage members. */
	branchesWithoutSecretary: { id: number; path: string }[];
};

/** The to-do figures on a secretary's or the committee's home page, for the part of the tree they manage. */
export async function orgSummary(db: Db, scope: Scope): Promise<OrgSummary> {
	const members = await listMembers(db, scope);
	const active = members.filter((m) => m.status === 'active');
	const units = (await unitTree(db)).filter((u) => scope.kind === 'all' || (scope.kind === 'units' && scope.unitIds.has(u.id)));
	const withSecretary = new Set(active.filter((m) => m.roles.includes('secretary')).map((m) => m.unitId));
	return {
		activeMembers: active.length,
		neverSignedIn: active.filter((m) => m.lastSignInDay === null).length,
		mustChangePassword: active.filter((m) => m.mustChangePassword).length,
		disabled: members.length - active.length,
		branchesWithoutSecretary: units
			.filter((u) => u.kind === 'branch' && !withSecretary.has(u.id))
			.map((u) => ({ id: u.id, path: u.path }))
	};
}
