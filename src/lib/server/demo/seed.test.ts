import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { verifyPassword } from '../auth/password';
import { freshDatabase, makeUnit } from '../testing/db';
import { demoSignIns, isDatabaseEmpty, seedDemo } from './seed';

const password = 'demo-Passw0rd-x';

let db: Db;

beforeEach(async () => {
	db = (await freshDatabase()).db;
});

afterEach(async () => {
	await db.destroy();
});

async function snapshot(target: Db) {
	const units = await target.selectFrom('unit').select(['id', 'name', 'kind', 'parent_id', 'sort_order']).orderBy('id').execute();
	const members = await target
		.selectFrom('member')
		.innerJoin('unit', 'unit.id', 'member.unit_id')
		.select(['member.login_id', 'member.name', 'unit.name as unit', 'member.position_title', 'member.is_leader'])
		.orderBy('member.id')
		.execute();
	const roles = await target
		.selectFrom('member_role')
		.innerJoin('member', 'member.id', 'member_role.member_id')
		.select(['member.login_id', 'member_role.role'])
		.orderBy('member.login_id')
		.orderBy('member_role.role')
		.execute();
	return { units, members, roles };
}

async function rolesOf(target: Db, loginId: string) {
	const rows = await target
		.selectFrom('member_role')
		.innerJoin('member', 'member.id', 'member_role.member_id')
		.select('member_role.role')
		.where('member.login_id', '=', loginId)
		.orderBy('member_role.role')
		.execute();
	return rows.map((r) => r.role);
}

describe('seedDemo', () => {
	it('writes at least 3 branches, 30 members and 5 leaders, and reports the counts', async () => {
		expect(await isDatabaseEmpty(db)).toBe(true);
		const result = await seedDemo(db, password, 1000);
		expect(await isDatabaseEmpty(db)).toBe(false);
		const { units, members } = await snapshot(db);
		expect(result).toEqual({ units: units.length, members: members.length });
		expect(units.filter((u) => u.kind === 'branch').length).toBeGreaterThanOrEqual(3);
		expect(members.length).toBeGreaterThanOrEqual(30);
		expect(members.filter((m) => m.is_leader === 1).length).toBeGreaterThanOrEqual(5);
		// One root, a 党委.
		const roots = units.filter((u) => u.parent_id === null);
		expect(roots).toHaveLength(1);
		expect(roots[0]?.kind).toBe('committee');
	});

	it('gives every branch exactly one secretary, and no secretary outside a branch', async () => {
		await seedDemo(db, password);
		const branches = await db.selectFrom('unit').select(['id', 'name']).where('kind', '=', 'branch').execute();
		const secretaries = await db
			.selectFrom('member')
			.innerJoin('member_role', 'member_role.member_id', 'member.id')
			.select(['member.login_id', 'member.unit_id'])
			.where('member_role.role', '=', 'secretary')
			.execute();
		for (const branch of branches) {
			expect(secretaries.filter((s) => s.unit_id === branch.id), branch.name).toHaveLength(1);
		}
		expect(secretaries).toHaveLength(branches.length);
	});

	it('has an admin account with the committee role, and every member holds the member role', async () => {
		await seedDemo(db, password);
		const admin = await db.selectFrom('member').selectAll().where('login_id', '=', 'admin').executeTakeFirstOrThrow();
		expect(admin.status).toBe('active');
		expect(await rolesOf(db, 'admin')).toEqual(['committee', 'member']);
		const root = await db.selectFrom('unit').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow();
		expect(admin.unit_id).toBe(root.id);
		const withoutMemberRole = await db
			.selectFrom('member')
			.select('login_id')
			.where('id', 'not in', db.selectFrom('member_role').select('member_id').where('role', '=', 'member'))
			.execute();
		expect(withoutMemberRole).toEqual([]);
		expect(demoSignIns.committee).toBe('admin');
	});

	it('signs every demo account in with the demo password and no forced change', async () => {
		await seedDemo(db, password);
		const rows = await db.selectFrom('member').select(['login_id', 'password_hash', 'must_change_password', 'status']).execute();
		for (const row of rows) {
			expect(row.must_change_password, row.login_id).toBe(0);
			expect(row.status, row.login_id).toBe('active');
			expect(row.password_hash, row.login_id).not.toBeNull();
		}
		const admin = rows.find((r) => r.login_id === 'admin');
		expect(await verifyPassword(admin?.password_hash ?? '', password)).toBe(true);
		expect(await verifyPassword(admin?.password_hash ?? '', 'not-the-password')).toBe(false);
	});

	it('has the accounts demoSignIns names, with the roles they stand for', async () => {
		await seedDemo(db, password);
		const byLogin = async (loginId: string) =>
			db.selectFrom('member').select(['login_id', 'is_leader', 'unit_id']).where('login_id', '=', loginId).executeTakeFirst();
		expect(await rolesOf(db, demoSignIns.secretary)).toEqual(['member', 'secretary']);
		expect(await rolesOf(db, demoSignIns.otherSecretary)).toEqual(['member', 'secretary']);
		expect(await rolesOf(db, demoSignIns.member)).toEqual(['member']);
		expect((await byLogin(demoSignIns.leader))?.is_leader).toBe(1);
		const secretary = await byLogin(demoSignIns.secretary);
		const otherSecretary = await byLogin(demoSignIns.otherSecretary);
		expect(secretary?.unit_id).not.toBe(otherSecretary?.unit_id);
	});

	it('gives every member a unique login id and valid unit', async () => {
		await seedDemo(db, password);
		const { members } = await snapshot(db);
		expect(new Set(members.map((m) => m.login_id)).size).toBe(members.length);
		expect(members.map((m) => m.login_id)).toContain('13800000001');
	});

	it('is deterministic: two fresh databases get the same login ids, names and units', async () => {
		await seedDemo(db, password, 1);
		const other = (await freshDatabase()).db;
		try {
			await seedDemo(other, 'another-password-9', 2);
			const a = await snapshot(db);
			const b = await snapshot(other);
			expect(b.members).toEqual(a.members);
			expect(b.units.map((u) => [u.name, u.kind])).toEqual(a.units.map((u) => [u.name, u.kind]));
			expect(b.roles).toEqual(a.roles);
			expect(a.units.map((u) => u.name)).toEqual([
				'某县教育工委',
				'县第一中学党总支',
				'第一中学教师第一支部',
				'第一中学教师第二支部',
				'县实验小学党支部',
				'县教育局机关党支部'
			]);
		} finally {
			await other.destroy();
		}
	});

	it('refuses a database that already has a unit and writes nothing', async () => {
		await makeUnit(db, { name: '已有党委', kind: 'committee' });
		await expect(seedDemo(db, password)).rejects.toThrow(/already has an organization/);
		const units = await db.selectFrom('unit').select('name').execute();
		expect(units).toEqual([{ name: '已有党委' }]);
		expect(await db.selectFrom('member').select('id').execute()).toEqual([]);
	});

	it('refuses to seed twice', async () => {
		const first = await seedDemo(db, password);
		await expect(seedDemo(db, password)).rejects.toThrow(/already has an organization/);
		const count = await db.selectFrom('member').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		expect(Number(count.n)).toBe(first.members);
	});
});
