import { sql } from 'kysely';
import type { Db } from '../db';
import { likeIgnoringCase } from '../db/dialect';
import type { Member, MemberStatus, Role } from '../db/schema';
import { generateTemporaryPassword, hashPassword } from '../auth/password';
import { invalidateMemberSessions } from '../auth/session';
import { readConfig } from '../config';
import { isoDay } from '../../zoned';
import { canManage, unitInScope, type Scope } from './scope';
import { unitPaths } from './units';

export const roles: Role[] = ['member', 'secretary', 'committee'];
export const loginIdPattern = /^[A-Za-z0-9._@-]{2,64}$/;
export const memberNameMaxLength = 50;
export const positionTitleMaxLength = 50;

export type MemberListItem = {
	id: number;
	loginId: string;
	name: string;
	unitId: number;
	unitPath: string;
	positionTitle: string;
	isLeader: boolean;
	status: MemberStatus;
	roles: Role[];
	mustChangePassword: boolean;
	/**
	 * The day of the last sign-in in the organization's time zone (YYYY-MM-DD), never its time: sign-in times
	 * lined up with an evaluation's turnout would say who rated when (evaluations/README.md). The exact time stays
	 * in the database for the server's own use.
	 */
	lastSignInDay: string | null;
};

export type MemberFilter = {
	query?: string;
	unitId?: number;
	role?: Role;
	status?: MemberStatus;
	leadersOnly?: boolean;
	/** Active members who have not signed in yet: the ones a secretary has to chase. */
	neverSignedIn?: boolean;
};

/** Sorts roles in a fixed order so lists and comparisons are stable. */
export function normalizeRoles(list: Role[]): Role[] {
	const set = new Set<Role>(['member', ...list]);
	return roles.filter((r) => set.has(r));
}

async function rolesByMember(db: Db, memberIds: number[]): Promise<Map<number, Role[]>> {
	const map = new Map<number, Role[]>();
	// Chunked: SQLite allows at most 32,766 bound parameters in one statement.
	for (let i = 0; i < memberIds.length; i += 1000) {
		const chunk = memberIds.slice(i, i + 1000);
		const rows = await db.selectFrom('member_role').select(['member_id', 'role']).where('member_id', 'in', chunk).execute();
		for (const row of rows) map.set(row.member_id, [...(map.get(row.member_id) ?? []), row.role]);
	}
	for (const [id, list] of map) map.set(id, normalizeRoles(list));
	return map;
}

/** Members the scope can see, filtered. Search matches login id, name and position title. */
export async function listMembers(db: Db, scope: Scope, filter: MemberFilter = {}): Promise<MemberListItem[]> {
	if (scope.kind === 'none') return [];
	let query = db.selectFrom('member').selectAll().orderBy('unit_id').orderBy('login_id');
	if (scope.kind === 'units') query = query.where('unit_id', 'in', [...scope.unitIds]);
	if (filter.unitId !== undefined) query = query.where('unit_id', '=', filter.unitId);
	if (filter.status) query = query.where('status', '=', filter.status);
	if (filter.leadersOnly) query = query.where('is_leader', '=', 1);
	if (filter.neverSignedIn) query = query.where('last_sign_in_at', 'is', null).where('status', '=', 'active');
	const q = filter.query?.trim();
	if (q) {
		// Escape LIKE wildcards so a search for "_" or "%" finds those characters.
		const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		// Whatever the letter case, on both databases (db/dialect.ts).
		const like = (column: 'login_id' | 'name' | 'position_title') => likeIgnoringCase(db, sql.ref(column), pattern);
		query = query.where((eb) => eb.or([like('login_id'), like('name'), like('position_title')]));
	}
	const rows = await query.execute();
	const roleMap = await rolesByMember(
		db,
		rows.map((r) => r.id)
	);
	const paths = unitPaths(await db.selectFrom('unit').select(['id', 'name', 'parent_id']).execute());
	const items = rows.map((row) => toListItem(row, roleMap.get(row.id) ?? ['member'], paths.get(row.unit_id) ?? ''));
	return filter.role ? items.filter((m) => m.roles.includes(filter.role as Role)) : items;
}

function toListItem(row: Member, memberRoles: Role[], unitPath: string): MemberListItem {
	return {
		id: row.id,
		loginId: row.login_id,
		name: row.name,
		unitId: row.unit_id,
		unitPath,
		positionTitle: row.position_title,
		isLeader: row.is_leader === 1,
		status: row.status,
		roles: memberRoles,
		mustChangePassword: row.must_change_password === 1,
		lastSignInDay: row.last_sign_in_at === null ? null : isoDay(row.last_sign_in_at, readConfig().timeZone)
	};
}

export async function getMember(db: Db, id: number): Promise<MemberListItem | undefined> {
	const row = await db.selectFrom('member').selectAll().where('id', '=', id).executeTakeFirst();
	if (!row) return undefined;
	const roleMap = await rolesByMember(db, [id]);
	const paths = unitPaths(await db.selectFrom('unit').select(['id', 'name', 'parent_id']).execute());
	return toListItem(row, roleMap.get(id) ?? ['member'], paths.get(row.unit_id) ?? '');
}

export type MemberInput = {
	loginId: string;
	name: string;
	unitId: number;
	positionTitle: string;
	isLeader: boolean;
	roles: Role[];
};

export type MemberField = 'loginId' | 'name' | 'unitId' | 'positionTitle' | 'roles';
export type MemberProblem =
	| 'required'
	| 'too_long'
	| 'invalid_login_id'
	| 'login_id_taken'
	| 'unit_not_found'
	| 'unit_outside_scope'
	| 'roles_not_allowed'
	| 'cannot_drop_own_committee';
export type MemberErrors = Partial<Record<MemberField, MemberProblem>>;

/**
 * Checks a member's fields against the rules and the actor's scope. Only the committee grants the
 * secretary and committee roles: a secretary could otherwise make themselves committee.
 */
async function checkMemberInput(
	db: Db,
	scope: Scope,
	input: MemberInput,
	existing?: { id: number; roles: Role[] }
): Promise<MemberErrors> {
	const errors: MemberErrors = {};
	if (!input.loginId) errors.loginId = 'required';
	else if (!loginIdPattern.test(input.loginId)) errors.loginId = 'invalid_login_id';
	else {
		// Login ids are unique whatever their letter case (a phone keyboard may capitalise the first letter).
		let taken = db.selectFrom('member').select('id').where(sql<string>`lower(login_id)`, '=', input.loginId.toLowerCase());
		if (existing) taken = taken.where('id', '!=', existing.id);
		if (await taken.executeTakeFirst()) errors.loginId = 'login_id_taken';
	}
	if (!input.name) errors.name = 'required';
	else if ([...input.name].length > memberNameMaxLength) errors.name = 'too_long';
	if ([...input.positionTitle].length > positionTitleMaxLength) errors.positionTitle = 'too_long';
	const unit = await db.selectFrom('unit').select(['id', 'archived_at']).where('id', '=', input.unitId).executeTakeFirst();
	if (!input.unitId) errors.unitId = 'required';
	else if (!unit || unit.archived_at) errors.unitId = 'unit_not_found';
	else if (!unitInScope(scope, unit.id)) errors.unitId = 'unit_outside_scope';
	if (scope.kind !== 'all') {
		const before = normalizeRoles(existing?.roles ?? []).join();
		if (normalizeRoles(input.roles).join() !== before) errors.roles = 'roles_not_allowed';
	}
	return errors;
}

/** The member exists and the scope may change them (see canManage). */
async function manageable(db: Db, scope: Scope, id: number): Promise<boolean> {
	const row = await db.selectFrom('member').select(['id', 'unit_id']).where('id', '=', id).executeTakeFirst();
	if (!row) return false;
	return canManage(scope, { unitId: row.unit_id, roles: (await rolesByMember(db, [id])).get(id) ?? ['member'] });
}

/**
 * Writes a new member and their roles; the caller has checked the input and holds the transaction. The one
 * place a member row is inserted: by the committee's form, by an import and by the demo seed.
 */
export async function insertMember(
	db: Db,
	m: MemberInput & { status: MemberStatus; passwordHash: string | null; mustChangePassword: boolean },
	now: number
): Promise<number> {
	const row = await db
		.insertInto('member')
		.values({
			login_id: m.loginId,
			name: m.name,
			unit_id: m.unitId,
			position_title: m.positionTitle,
			is_leader: m.isLeader ? 1 : 0,
			status: m.status,
			password_hash: m.passwordHash,
			must_change_password: m.mustChangePassword ? 1 : 0,
			last_sign_in_at: null,
			created_at: now,
			updated_at: now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	await setRoles(db, row.id, m.roles);
	return row.id;
}

export type CreateMemberResult = { ok: true; id: number; temporaryPassword: string } | { ok: false; errors: MemberErrors };

/** Creates an account with a temporary password that must be changed at first sign-in. */
export async function createMember(db: Db, scope: Scope, input: MemberInput, now = Date.now()): Promise<CreateMemberResult> {
	const temporaryPassword = generateTemporaryPassword();
	// Hashing takes tens of milliseconds; done before the transaction so the write lock is held briefly.
	const passwordHash = await hashPassword(temporaryPassword);
	return db.transaction().execute(async (trx): Promise<CreateMemberResult> => {
		const errors = await checkMemberInput(trx, scope, input);
		if (Object.keys(errors).length > 0) return { ok: false, errors };
		const id = await insertMember(trx, { ...input, status: 'active', passwordHash, mustChangePassword: true }, now);
		return { ok: true, id, temporaryPassword };
	});
}

export type UpdateMemberResult = { ok: true } | { ok: false; errors: MemberErrors } | { ok: false; forbidden: true };

export async function updateMember(
	db: Db,
	scope: Scope,
	id: number,
	input: MemberInput,
	now = Date.now(),
	actorId?: number
): Promise<UpdateMemberResult> {
	return db.transaction().execute(async (trx): Promise<UpdateMemberResult> => {
		if (!(await manageable(trx, scope, id))) return { ok: false, forbidden: true };
		const existingRoles = (await rolesByMember(trx, [id])).get(id) ?? ['member'];
		const errors = await checkMemberInput(trx, scope, input, { id, roles: existingRoles });
		// Dropping your own committee role could leave nobody able to manage the organization.
		if (id === actorId && existingRoles.includes('committee') && !input.roles.includes('committee')) {
			errors.roles = 'cannot_drop_own_committee';
		}
		if (Object.keys(errors).length > 0) return { ok: false, errors };
		await trx
			.updateTable('member')
			.set({
				login_id: input.loginId,
				name: input.name,
				unit_id: input.unitId,
				position_title: input.positionTitle,
				is_leader: input.isLeader ? 1 : 0,
				updated_at: now
			})
			.where('id', '=', id)
			.execute();
		await setRoles(trx, id, input.roles);
		return { ok: true };
	});
}

export async function setRoles(db: Db, memberId: number, list: Role[]): Promise<void> {
	await db.deleteFrom('member_role').where('member_id', '=', memberId).execute();
	await db
		.insertInto('member_role')
		.values(normalizeRoles(list).map((role) => ({ member_id: memberId, role })))
		.execute();
}

export type MemberActionResult = { ok: true } | { ok: false; forbidden: true } | { ok: false; problem: 'self' };

/** Disabling ends every session of the member at once; enabling lets them sign in again. */
export async function setMemberStatus(
	db: Db,
	scope: Scope,
	actorId: number,
	id: number,
	status: MemberStatus,
	now = Date.now()
): Promise<MemberActionResult> {
	return db.transaction().execute(async (trx): Promise<MemberActionResult> => {
		if (!(await manageable(trx, scope, id))) return { ok: false, forbidden: true };
		// Disabling yourself would leave an installation with no committee account to undo it.
		if (id === actorId && status === 'disabled') return { ok: false, problem: 'self' };
		await trx.updateTable('member').set({ status, updated_at: now }).where('id', '=', id).execute();
		if (status === 'disabled') await invalidateMemberSessions(trx, id);
		return { ok: true };
	});
}

export type ResetPasswordResult = { ok: true; temporaryPassword: string } | { ok: false; forbidden: true };

/** A new temporary password, shown once; the old one and every session stop working. */
export async function resetMemberPassword(db: Db, scope: Scope, id: number, now = Date.now()): Promise<ResetPasswordResult> {
	const temporaryPassword = generateTemporaryPassword();
	const passwordHash = await hashPassword(temporaryPassword);
	return db.transaction().execute(async (trx): Promise<ResetPasswordResult> => {
		if (!(await manageable(trx, scope, id))) return { ok: false, forbidden: true };
		await trx
			.updateTable('member')
			.set({ password_hash: passwordHash, must_change_password: 1, updated_at: now })
			.where('id', '=', id)
			.execute();
		await invalidateMemberSessions(trx, id);
		return { ok: true, temporaryPassword };
	});
}
