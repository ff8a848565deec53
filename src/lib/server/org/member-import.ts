import { sha256 } from '@oslojs/crypto/sha2';
import { sql } from 'kysely';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Db } from '../db';
import type { MemberStatus, Role } from '../db/schema';
import { generateTemporaryPassword, hashPassword } from '../auth/password';
import { invalidateMemberSessions } from '../auth/session';
import type { MemberFile, MemberFileProblem } from './member-file';
import { insertMember, normalizeRoles, setRoles } from './members';
import { canManage, unitInScope, type Scope } from './scope';
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
	| 'roles_not_allowed'
	| 'cannot_disable_self'
	| 'cannot_drop_own_committee';

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

/** Who imports: their scope decides what the file may touch; their own account cannot be disabled by it. */
export type Importer = { memberId: number; scope: Scope };

export async function planMemberImport(db: Db, importer: Importer, file: MemberFile): Promise<ImportPlan> {
	const { scope } = importer;
	const problems: ImportProblem[] = [...file.problems];
	const units = await db.selectFrom('unit').select(['id', 'name', 'parent_id', 'archived_at']).execute();
	const paths = unitPaths(units);
	const active = units.filter((u) => !u.archived_at);
	const byPath = new Map(active.map((u) => [paths.get(u.id) ?? u.name, u.id]));
	const byName = new Map<string, number[]>();
	for (const u of active) byName.set(u.name, [...(byName.get(u.name) ?? []), u.id]);

	const loginIds = [...file.rows.map((r) => r.loginId), ...(file.rejected ?? []).flatMap((r) => (r.loginId === null ? [] : [r.loginId]))];
	const existing = new Map<string, { id: number; name: string; unit_id: number; position_title: string; is_leader: number; status: MemberStatus; roles: Role[] }>();
	for (let i = 0; i < loginIds.length; i += 500) {
		const rows = await db
			.selectFrom('member')
			.select(['id', 'login_id', 'name', 'unit_id', 'position_title', 'is_leader', 'status'])
			.where(sql<string>`lower(login_id)`, 'in', loginIds.slice(i, i + 500).map((l) => l.toLowerCase()))
			.execute();
		// Login ids match whatever their letter case, as at sign-in.
		for (const row of rows) existing.set(row.login_id.toLowerCase(), { ...row, roles: [] });
	}
	const ids = [...existing.values()].map((e) => e.id);
	for (let i = 0; i < ids.length; i += 500) {
		const roleRows = await db.selectFrom('member_role').select(['member_id', 'role']).where('member_id', 'in', ids.slice(i, i + 500)).execute();
		for (const e of existing.values()) {
			const mine = roleRows.filter((r) => r.member_id === e.id).map((r) => r.role);
			if (mine.length > 0) e.roles = normalizeRoles([...e.roles, ...mine]);
		}
	}

	/** The unit a row names, or the problem with it, checked against the database and the actor's scope. */
	const checkUnitAndMember = (row: number, unit: string | null, loginId: string | null, rowProblems: ImportProblem[]) => {
		let unitId: number | undefined;
		if (unit !== null) {
			const wanted = normalizePath(unit);
			unitId = byPath.get(wanted);
			const candidates = unitId === undefined && !wanted.includes('/') ? (byName.get(wanted) ?? []) : [];
			if (candidates.length === 1) unitId = candidates[0];
			if (candidates.length > 1) rowProblems.push({ row, column: 'unit', code: 'unit_ambiguous', value: unit });
			else if (unitId === undefined) rowProblems.push({ row, column: 'unit', code: 'unit_not_found', value: unit });
			else if (!unitInScope(scope, unitId)) rowProblems.push({ row, column: 'unit', code: 'unit_outside_scope', value: unit });
		}
		const before = loginId === null ? undefined : existing.get(loginId.toLowerCase());
		if (before && !canManage(scope, { unitId: before.unit_id, roles: before.roles })) {
			rowProblems.push({ row, column: 'loginId', code: 'member_outside_scope', value: loginId ?? '' });
		}
		return { unitId, before };
	};

	for (const rejected of file.rejected ?? []) checkUnitAndMember(rejected.row, rejected.unit, rejected.loginId, problems);

	const plan: ImportPlan = { creates: [], updates: [], unchanged: 0, problems, fingerprint: '' };
	for (const row of file.rows) {
		const rowProblems: ImportProblem[] = [];
		const { unitId, before } = checkUnitAndMember(row.row, row.unit, row.loginId, rowProblems);
		// An empty roles cell keeps an existing member's roles: a file without the column must not strip
		// every secretary and committee role it touches.
		const keep = (column: 'roles' | 'positionTitle' | 'isLeader' | 'status') => before !== undefined && (row.blank ?? []).includes(column);
		let roles = keep('roles') && before ? before.roles : normalizeRoles(row.roles);
		if (scope.kind !== 'all') {
			// A secretary's file may name roles, but only the ones the member already has; a bare 党员 keeps them.
			const current = before?.roles ?? ['member'];
			if (roles.join() === 'member') roles = current;
			else if (roles.join() !== current.join()) rowProblems.push({ row: row.row, column: 'roles', code: 'roles_not_allowed', value: row.roles.join(',') });
		}
		if (before && before.id === importer.memberId && before.roles.includes('committee') && !roles.includes('committee')) {
			rowProblems.push({ row: row.row, column: 'roles', code: 'cannot_drop_own_committee', value: row.loginId });
		}
		if (before && before.id === importer.memberId && row.status === 'disabled') {
			rowProblems.push({ row: row.row, column: 'status', code: 'cannot_disable_self', value: row.loginId });
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
			positionTitle: keep('positionTitle') && before ? before.position_title : row.positionTitle,
			isLeader: keep('isLeader') && before ? before.is_leader === 1 : row.isLeader,
			status: keep('status') && before ? before.status : row.status
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
	// Row order, and within a row the order of the columns in the file template.
	const columnOrder = ['loginId', 'name', 'unit', 'roles', 'positionTitle', 'isLeader', 'status'];
	problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || columnOrder.indexOf(a.column ?? '') - columnOrder.indexOf(b.column ?? ''));
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
	importer: Importer,
	file: MemberFile,
	previewedFingerprint: string,
	now = Date.now()
): Promise<ImportResult> {
	const draft = await planMemberImport(db, importer, file);
	if (draft.problems.length > 0) return { ok: false, reason: 'has_problems', plan: draft };
	if (draft.fingerprint !== previewedFingerprint) return { ok: false, reason: 'stale', plan: draft };
	// Hash the new accounts' temporary passwords before taking the write lock: argon2id is deliberately slow.
	const passwords = draft.creates.map(() => generateTemporaryPassword());
	const hashes: string[] = [];
	for (let i = 0; i < passwords.length; i += 8) {
		hashes.push(...(await Promise.all(passwords.slice(i, i + 8).map((p) => hashPassword(p)))));
	}
	return db.transaction().execute(async (trx): Promise<ImportResult> => {
		const plan = await planMemberImport(trx, importer, file);
		if (plan.problems.length > 0) return { ok: false, reason: 'has_problems', plan };
		if (plan.fingerprint !== previewedFingerprint) return { ok: false, reason: 'stale', plan };
		const created: { loginId: string; name: string; temporaryPassword: string }[] = [];
		for (const [i, c] of plan.creates.entries()) {
			await insertMember(trx, { ...c, passwordHash: hashes[i] ?? null, mustChangePassword: true }, now);
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
