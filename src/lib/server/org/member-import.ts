import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Db } from '../db';
import type { MemberStatus, Role } from '../db/schema';
import { generateTemporaryPassword, hashPassword } from '../auth/password';
import { invalidateMemberSessions } from '../auth/session';
import type { MemberFileProblem, MemberFileRow } from './member-file';
import { normalizeRoles, setRoles } from './members';
import { unitInScope, type Scope } from './scope';
import { unitPaths } from './units';

// Importing members is all-or-nothing: the file is checked against the database (units, scope, login ids)
// and shown as a preview; nothing is written unless every row is valid, and then all rows in one transaction.
// Re-importing a file updates members by login id instead of creating duplicates.

export type ImportProblemCode =
	| MemberFileProblem['code']
	| 'unit_not_found'
	| 'unit_ambiguous'
	| 'unit_outside_scope'
	| 'member_outside_scope'
	| 'roles_not_allowed';

export type ImportProblem = Omit<MemberFileProblem, 'code'> & { code: ImportProblemCode };

type Fields = { name: string; unitId: number; unitPath: string; roles: Role[]; positionTitle: string; isLeader: boolean; status: MemberStatus };
export type ChangedField = 'name' | 'unit' | 'roles' | 'positionTitle' | 'isLeader' | 'status';

export type ImportPlan = {
	creates: ({ row: number; loginId: string } & Fields)[];
	updates: ({ row: number; loginId: string; memberId: number; changed: { field: ChangedField; from: string; to: string }[] } & Fields)[];
	unchanged: number;
	problems: ImportProblem[];
	/** Changes when the plan would change: confirming a stale preview is refused and the new one shown. */
	fingerprint: string;
};

function normalizePath(path: string): string {
	return path.replace(/／/g, '/').replace(/\s*\/\s*/g, '/').trim();
}

export async function planMemberImport(
	db: Db,
	scope: Scope,
	file: { rows: MemberFileRow[]; problems: MemberFileProblem[] }
): Promise<ImportPlan> {
	const problems: ImportProblem[] = [...file.problems];
	const units = await db.selectFrom('unit').select(['id', 'name', 'parent_id', 'archived_at']).execute();
	const paths = unitPaths(units);
	const active = units.filter((u) => !u.archived_at);
	const byPath = new Map(active.map((u) => [paths.get(u.id) ?? u.name, u.id]));
	const byName = new Map<string, number[]>();
	for (const u of active) byName.set(u.name, [...(byName.get(u.name) ?? []), u.id]);

	const loginIds = file.rows.map((r) => r.loginId);
	const existing = new Map<string, { id: number; name: string; unit_id: number; position_title: string; is_leader: number; status: MemberStatus; roles: Role[] }>();
	for (let i = 0; i < loginIds.length; i += 500) {
		const rows = await db
			.selectFrom('member')
			.select(['id', 'login_id', 'name', 'unit_id', 'position_title', 'is_leader', 'status'])
			.where('login_id', 'in', loginIds.slice(i, i + 500))
			.execute();
		for (const row of rows) existing.set(row.login_id, { ...row, roles: [] });
	}
	const ids = [...existing.values()].map((e) => e.id);
	for (let i = 0; i < ids.length; i += 500) {
		const roleRows = await db.selectFrom('member_role').select(['member_id', 'role']).where('member_id', 'in', ids.slice(i, i + 500)).execute();
		for (const e of existing.values()) {
			const mine = roleRows.filter((r) => r.member_id === e.id).map((r) => r.role);
			if (mine.length > 0) e.roles = normalizeRoles([...e.roles, ...mine]);
		}
	}

	const plan: ImportPlan = { creates: [], updates: [], unchanged: 0, problems, fingerprint: '' };
	for (const row of file.rows) {
		const rowProblems: ImportProblem[] = [];
		const wanted = normalizePath(row.unit);
		let unitId = byPath.get(wanted);
		if (unitId === undefined && !wanted.includes('/')) {
			const candidates = byName.get(wanted) ?? [];
			if (candidates.length === 1) unitId = candidates[0];
			else if (candidates.length > 1) rowProblems.push({ row: row.row, column: 'unit', code: 'unit_ambiguous', value: row.unit });
		}
		if (unitId === undefined && rowProblems.length === 0) rowProblems.push({ row: row.row, column: 'unit', code: 'unit_not_found', value: row.unit });
		if (unitId !== undefined && !unitInScope(scope, unitId)) rowProblems.push({ row: row.row, column: 'unit', code: 'unit_outside_scope', value: row.unit });

		const before = existing.get(row.loginId);
		if (before && !unitInScope(scope, before.unit_id)) {
			rowProblems.push({ row: row.row, column: 'loginId', code: 'member_outside_scope', value: row.loginId });
		}
		let roles = normalizeRoles(row.roles);
		if (scope.kind !== 'all') {
			// A secretary's file may name roles, but only the ones the member already has; a bare 党员 keeps them.
			const current = before?.roles ?? ['member'];
			if (roles.join() === 'member') roles = current;
			else if (roles.join() !== current.join()) rowProblems.push({ row: row.row, column: 'roles', code: 'roles_not_allowed', value: row.roles.join(',') });
		}
		if (rowProblems.length > 0 || unitId === undefined) {
			problems.push(...rowProblems);
			continue;
		}
		const fields: Fields = {
			name: row.name,
			unitId,
			unitPath: paths.get(unitId) ?? '',
			roles,
			positionTitle: row.positionTitle,
			isLeader: row.isLeader,
			status: row.status
		};
		if (!before) {
			plan.creates.push({ row: row.row, loginId: row.loginId, ...fields });
			continue;
		}
		const changed: ImportPlan['updates'][number]['changed'] = [];
		const compare = (field: ChangedField, from: string, to: string) => {
			if (from !== to) changed.push({ field, from, to });
		};
		compare('name', before.name, fields.name);
		compare('unit', paths.get(before.unit_id) ?? '', fields.unitPath);
		compare('roles', before.roles.join(','), fields.roles.join(','));
		compare('positionTitle', before.position_title, fields.positionTitle);
		compare('isLeader', String(before.is_leader === 1), String(fields.isLeader));
		compare('status', before.status, fields.status);
		if (changed.length === 0) plan.unchanged++;
		else plan.updates.push({ row: row.row, loginId: row.loginId, memberId: before.id, changed, ...fields });
	}
	problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
	plan.fingerprint = encodeHexLowerCase(
		sha256(new TextEncoder().encode(JSON.stringify([plan.creates, plan.updates.map((u) => [u.memberId, u.changed]), plan.problems])))
	);
	return plan;
}

export type ImportResult =
	| { ok: true; created: { loginId: string; name: string; temporaryPassword: string }[]; updated: number }
	| { ok: false; reason: 'has_problems' | 'stale'; plan: ImportPlan };

/**
 * Writes a plan. The plan is computed again inside the write transaction, so a change made by someone else
 * since the preview (a login id taken, a unit archived) is caught: with a different fingerprint nothing is
 * written and the fresh plan is returned to be previewed again.
 */
export async function applyMemberImport(
	db: Db,
	scope: Scope,
	file: { rows: MemberFileRow[]; problems: MemberFileProblem[] },
	previewedFingerprint: string,
	now = Date.now()
): Promise<ImportResult> {
	const draft = await planMemberImport(db, scope, file);
	if (draft.problems.length > 0) return { ok: false, reason: 'has_problems', plan: draft };
	if (draft.fingerprint !== previewedFingerprint) return { ok: false, reason: 'stale', plan: draft };
	// Hash the new accounts' temporary passwords before taking the write lock: argon2id is deliberately slow.
	const passwords = draft.creates.map(() => generateTemporaryPassword());
	const hashes: string[] = [];
	for (let i = 0; i < passwords.length; i += 8) {
		hashes.push(...(await Promise.all(passwords.slice(i, i + 8).map((p) => hashPassword(p)))));
	}
	return db.transaction().execute(async (trx): Promise<ImportResult> => {
		const plan = await planMemberImport(trx, scope, file);
		if (plan.problems.length > 0) return { ok: false, reason: 'has_problems', plan };
		if (plan.fingerprint !== previewedFingerprint) return { ok: false, reason: 'stale', plan };
		const created: { loginId: string; name: string; temporaryPassword: string }[] = [];
		for (const [i, c] of plan.creates.entries()) {
			const row = await trx
				.insertInto('member')
				.values({
					login_id: c.loginId,
					name: c.name,
					unit_id: c.unitId,
					position_title: c.positionTitle,
					is_leader: c.isLeader ? 1 : 0,
					status: c.status,
					password_hash: hashes[i] ?? null,
					must_change_password: 1,
					last_sign_in_at: null,
					created_at: now,
					updated_at: now
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			await setRoles(trx, row.id, c.roles);
			created.push({ loginId: c.loginId, name: c.name, temporaryPassword: passwords[i] ?? '' });
		}
		for (const u of plan.updates) {
			await trx
				.updateTable('member')
				.set({
					name: u.name,
					unit_id: u.unitId,
					position_title: u.positionTitle,
					is_leader: u.isLeader ? 1 : 0,
					status: u.status,
					updated_at: now
				})
				.where('id', '=', u.memberId)
				.execute();
			await setRoles(trx, u.memberId, u.roles);
			if (u.status === 'disabled') await invalidateMemberSessions(trx, u.memberId);
		}
		return { ok: true, created, updated: plan.updates.length };
	});
}
