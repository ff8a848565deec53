import { expect, inject } from 'vitest';
import { migrateToLatest } from '../db/migrate';
import { openDatabase, type Db, type OpenedDatabase } from '../db/index';
import type { Role, UnitKind } from '../db/schema';
import { freshPostgres } from './postgres';

export { onPostgres } from './postgres';

// Test fixtures: a fresh database built by the real migrations, and small builders with overridable fields.
// Only tests import this folder.

/**
 * An empty database with every migration applied: in memory on SQLite; on PostgreSQL (npm run test:unit:pg) a
 * database of its own, copied from the run's migrated template and dropped after the test (or, when made in a
 * beforeAll, after the file) that made it (testing/postgres.ts).
 */
export async function freshDatabase(): Promise<OpenedDatabase> {
	const postgres = inject('postgresTemplate');
	if (postgres) {
		const inTest = expect.getState().currentTestName !== undefined;
		return freshPostgres(postgres.serverUrl, postgres.runId, postgres.template, inTest);
	}
	const opened = openDatabase(':memory:');
	await migrateToLatest(opened.db);
	return opened;
}

let counter = 0;

export async function makeUnit(
	db: Db,
	overrides: { name?: string; kind?: UnitKind; parentId?: number | null; archivedAt?: number | null } = {}
): Promise<number> {
	const row = await db
		.insertInto('unit')
		.values({
			name: overrides.name ?? `单位${++counter}`,
			kind: overrides.kind ?? (overrides.parentId ? 'branch' : 'committee'),
			parent_id: overrides.parentId ?? null,
			archived_at: overrides.archivedAt ?? null,
			created_at: Date.now()
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export async function makeMember(
	db: Db,
	overrides: {
		loginId?: string;
		name?: string;
		unitId: number;
		roles?: Role[];
		passwordHash?: string | null;
		status?: 'active' | 'disabled';
		mustChangePassword?: boolean;
		isLeader?: boolean;
		positionTitle?: string;
	}
): Promise<number> {
	const now = Date.now();
	const row = await db
		.insertInto('member')
		.values({
			login_id: overrides.loginId ?? `m${++counter}`,
			name: overrides.name ?? `成员${counter}`,
			unit_id: overrides.unitId,
			position_title: overrides.positionTitle ?? '',
			is_leader: overrides.isLeader ? 1 : 0,
			status: overrides.status ?? 'active',
			password_hash: overrides.passwordHash ?? null,
			must_change_password: overrides.mustChangePassword ? 1 : 0,
			last_sign_in_at: null,
			created_at: now,
			updated_at: now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const roles = new Set<Role>(['member', ...(overrides.roles ?? [])]);
	await db
		.insertInto('member_role')
		.values([...roles].map((role) => ({ member_id: row.id, role })))
		.execute();
	return row.id;
}

/** A small tree: 党委 → 总支 → two 支部, plus a 支部 directly under the 党委. */
export async function makeTree(db: Db) {
	const root = await makeUnit(db, { name: '测试党委', kind: 'committee' });
	const general = await makeUnit(db, { name: '测试总支', kind: 'general_branch', parentId: root });
	const branchA = await makeUnit(db, { name: '一支部', kind: 'branch', parentId: general });
	const branchB = await makeUnit(db, { name: '二支部', kind: 'branch', parentId: general });
	const branchC = await makeUnit(db, { name: '机关支部', kind: 'branch', parentId: root });
	return { root, general, branchA, branchB, branchC };
}
