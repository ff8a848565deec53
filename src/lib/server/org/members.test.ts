import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import type { Role } from '../db/schema';
import { hashPassword, verifyPassword } from '../auth/password';
import { createSession, generateSessionToken, validateSessionToken } from '../auth/session';
import { freshDatabase, makeMember, makeTree, makeUnit } from '../testing/db';
import {
	createMember,
	getMember,
	listMembers,
	resetMemberPassword,
	setMemberStatus,
	updateMember,
	type MemberInput
} from './members';
import { managementScope, unitInScope, type Scope } from './scope';

let db: Db;
let t: Awaited<ReturnType<typeof makeTree>>;

beforeEach(async () => {
	db = (await freshDatabase()).db;
	t = await makeTree(db);
});

afterEach(async () => {
	await db.destroy();
});

const all: Scope = { kind: 'all' };

async function secretaryScopeOf(unitId: number): Promise<Scope> {
	return managementScope(db, { unitId, roles: ['member', 'secretary'] });
}

async function memberCount(): Promise<number> {
	const row = await db.selectFrom('member').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
	return Number(row.n);
}

async function memberRow(id: number) {
	return db.selectFrom('member').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function rolesOf(id: number): Promise<Role[]> {
	const rows = await db.selectFrom('member_role').select('role').where('member_id', '=', id).orderBy('role').execute();
	return rows.map((r) => r.role);
}

async function sessionCount(memberId: number): Promise<number> {
	const row = await db
		.selectFrom('session')
		.select(db.fn.countAll<number>().as('n'))
		.where('member_id', '=', memberId)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

async function signedIn(memberId: number): Promise<string> {
	const token = generateSessionToken();
	await createSession(db, token, memberId);
	return token;
}

function input(overrides: Partial<MemberInput> = {}): MemberInput {
	return {
		loginId: 'T2024001',
		name: '张三',
		unitId: t.branchA,
		positionTitle: '教师',
		isLeader: false,
		roles: ['member'],
		...overrides
	};
}

describe('managementScope', () => {
	it('gives the committee everything', async () => {
		expect(await managementScope(db, { unitId: t.root, roles: ['member', 'committee'] })).toEqual({ kind: 'all' });
		// committee wins over secretary
		expect(await managementScope(db, { unitId: t.branchA, roles: ['member', 'secretary', 'committee'] })).toEqual({
			kind: 'all'
		});
	});

	it('gives a secretary their unit and everything below it', async () => {
		const scope = await secretaryScopeOf(t.general);
		expect(scope.kind).toBe('units');
		if (scope.kind !== 'units') return;
		expect([...scope.unitIds].sort((a, b) => a - b)).toEqual([t.general, t.branchA, t.branchB].sort((a, b) => a - b));
		const leaf = await secretaryScopeOf(t.branchC);
		expect(leaf).toEqual({ kind: 'units', unitIds: new Set([t.branchC]) });
	});

	it('gives a plain member nothing', async () => {
		const scope = await managementScope(db, { unitId: t.root, roles: ['member'] });
		expect(scope).toEqual({ kind: 'none' });
		expect(unitInScope(scope, t.root)).toBe(false);
	});

	it('unitInScope follows the scope', async () => {
		const scope = await secretaryScopeOf(t.general);
		expect(unitInScope(scope, t.branchA)).toBe(true);
		expect(unitInScope(scope, t.general)).toBe(true);
		expect(unitInScope(scope, t.root)).toBe(false);
		expect(unitInScope(scope, t.branchC)).toBe(false);
		expect(unitInScope(all, 123456)).toBe(true);
	});
});

describe('listMembers', () => {
	it('lists everyone for the committee, by unit then login id, with roles and unit paths', async () => {
		const c = await makeMember(db, { loginId: 'c1', name: '丙', unitId: t.branchC, passwordHash: null });
		const a2 = await makeMember(db, {
			loginId: 'a2',
			name: '乙',
			unitId: t.branchA,
			passwordHash: null,
			roles: ['secretary'],
			isLeader: true,
			positionTitle: '书记',
			mustChangePassword: true
		});
		const a1 = await makeMember(db, { loginId: 'a1', name: '甲', unitId: t.branchA, passwordHash: null });
		const list = await listMembers(db, all);
		expect(list.map((m) => m.id)).toEqual([a1, a2, c]);
		expect(list[1]).toEqual({
			id: a2,
			loginId: 'a2',
			name: '乙',
			unitId: t.branchA,
			unitPath: '测试党委/测试总支/一支部',
			positionTitle: '书记',
			isLeader: true,
			status: 'active',
			roles: ['member', 'secretary'],
			mustChangePassword: true,
			lastSignInDay: null
		});
		expect(list[0]?.roles).toEqual(['member']);
		expect(list[0]?.isLeader).toBe(false);
		expect(list[2]?.unitPath).toBe('测试党委/机关支部');
	});

	it('limits a secretary to their subtree and a plain member to nothing', async () => {
		const inA = await makeMember(db, { unitId: t.branchA, passwordHash: null });
		const inGeneral = await makeMember(db, { unitId: t.general, passwordHash: null });
		await makeMember(db, { unitId: t.branchC, passwordHash: null });
		await makeMember(db, { unitId: t.root, passwordHash: null });
		const list = await listMembers(db, await secretaryScopeOf(t.general));
		expect(list.map((m) => m.id).sort((a, b) => a - b)).toEqual([inA, inGeneral].sort((a, b) => a - b));
		expect(await listMembers(db, { kind: 'none' })).toEqual([]);
	});

	it('searches login id, name and position title', async () => {
		const byLogin = await makeMember(db, { loginId: 'zhang01', name: '甲', unitId: t.branchA, passwordHash: null });
		const byName = await makeMember(db, { loginId: 'x1', name: '张三', unitId: t.branchA, passwordHash: null });
		const byTitle = await makeMember(db, { loginId: 'x2', name: '乙', positionTitle: '张家口校长', unitId: t.branchA, passwordHash: null });
		await makeMember(db, { loginId: 'x3', name: '李四', unitId: t.branchA, passwordHash: null });
		const ids = (await listMembers(db, all, { query: '张' })).map((m) => m.id).sort((a, b) => a - b);
		expect(ids).toEqual([byName, byTitle].sort((a, b) => a - b));
		expect((await listMembers(db, all, { query: '  zhang ' })).map((m) => m.id)).toEqual([byLogin]);
		// Whatever the letter case (SQLite's like ignores it, PostgreSQL's does not).
		expect((await listMembers(db, all, { query: 'ZHANG' })).map((m) => m.id)).toEqual([byLogin]);
	});

	it('treats % and _ in the search as literal characters', async () => {
		const percent = await makeMember(db, { loginId: 'p1', name: '达标100%', unitId: t.branchA, passwordHash: null });
		const underscore = await makeMember(db, { loginId: 'wang_wu', name: '王五', unitId: t.branchA, passwordHash: null });
		const backslash = await makeMember(db, { loginId: 'b1', name: '甲', positionTitle: 'a\\b', unitId: t.branchA, passwordHash: null });
		await makeMember(db, { loginId: 'wangxwu', name: '达标100分', unitId: t.branchA, passwordHash: null });
		expect((await listMembers(db, all, { query: '%' })).map((m) => m.id)).toEqual([percent]);
		expect((await listMembers(db, all, { query: '_' })).map((m) => m.id)).toEqual([underscore]);
		expect((await listMembers(db, all, { query: 'wang_' })).map((m) => m.id)).toEqual([underscore]);
		expect((await listMembers(db, all, { query: '100%' })).map((m) => m.id)).toEqual([percent]);
		expect((await listMembers(db, all, { query: '\\' })).map((m) => m.id)).toEqual([backslash]);
	});

	it('filters by unit, status, role and leaders', async () => {
		const leader = await makeMember(db, { unitId: t.branchA, passwordHash: null, isLeader: true });
		const secretary = await makeMember(db, { unitId: t.branchA, passwordHash: null, roles: ['secretary'] });
		const disabled = await makeMember(db, { unitId: t.branchB, passwordHash: null, status: 'disabled' });
		const committee = await makeMember(db, { unitId: t.root, passwordHash: null, roles: ['committee'] });
		const sorted = (list: { id: number }[]) => list.map((m) => m.id).sort((a, b) => a - b);
		expect(sorted(await listMembers(db, all, { unitId: t.branchA }))).toEqual(sorted([{ id: leader }, { id: secretary }]));
		expect(sorted(await listMembers(db, all, { status: 'disabled' }))).toEqual([disabled]);
		expect(sorted(await listMembers(db, all, { status: 'active' }))).toEqual(
			sorted([{ id: leader }, { id: secretary }, { id: committee }])
		);
		expect(sorted(await listMembers(db, all, { role: 'secretary' }))).toEqual([secretary]);
		expect(sorted(await listMembers(db, all, { role: 'committee' }))).toEqual([committee]);
		expect((await listMembers(db, all, { role: 'member' })).length).toBe(4);
		expect(sorted(await listMembers(db, all, { leadersOnly: true }))).toEqual([leader]);
		// A unit outside a secretary's scope yields nothing even when asked for by id.
		expect(await listMembers(db, await secretaryScopeOf(t.branchA), { unitId: t.branchB })).toEqual([]);
	});

	it('neverSignedIn keeps active members without a sign-in', async () => {
		const never = await makeMember(db, { unitId: t.branchA, passwordHash: null });
		const signed = await makeMember(db, { unitId: t.branchA, passwordHash: null });
		await makeMember(db, { unitId: t.branchA, passwordHash: null, status: 'disabled' });
		await db.updateTable('member').set({ last_sign_in_at: 1000 }).where('id', '=', signed).execute();
		const list = await listMembers(db, all, { neverSignedIn: true });
		expect(list.map((m) => m.id)).toEqual([never]);
		// The day only, in the organization's time zone (Asia/Shanghai unless set): 1970-01-01 08:00:01 there.
		expect((await listMembers(db, all)).find((m) => m.id === signed)?.lastSignInDay).toBe('1970-01-01');
		const late = Date.UTC(2026, 11, 7, 16, 30); // 2026-12-08 00:30 in Shanghai
		await db.updateTable('member').set({ last_sign_in_at: late }).where('id', '=', signed).execute();
		const shown = (await listMembers(db, all)).find((m) => m.id === signed);
		expect(shown?.lastSignInDay).toBe('2026-12-08');
		expect(JSON.stringify(shown)).not.toContain(String(late));
	});
});

describe('createMember', () => {
	it('creates an account with a working temporary password that must be changed', async () => {
		const result = await createMember(
			db,
			all,
			input({ roles: ['secretary', 'member'], isLeader: true, positionTitle: '校长' }),
			5000
		);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.temporaryPassword).toMatch(/^[A-Za-z2-9]{12}$/);
		const row = await memberRow(result.id);
		expect(row).toMatchObject({
			login_id: 'T2024001',
			name: '张三',
			unit_id: t.branchA,
			position_title: '校长',
			is_leader: 1,
			status: 'active',
			must_change_password: 1,
			last_sign_in_at: null,
			created_at: 5000,
			updated_at: 5000
		});
		expect(row.password_hash).not.toBeNull();
		expect(await verifyPassword(row.password_hash ?? '', result.temporaryPassword)).toBe(true);
		expect(await verifyPassword(row.password_hash ?? '', 'wrong-password')).toBe(false);
		expect(await rolesOf(result.id)).toEqual(['member', 'secretary']);
	});

	it('reports required fields, a too-long title and an unknown unit, writing nothing', async () => {
		const result = await createMember(
			db,
			all,
			input({ loginId: '', name: '', positionTitle: '职'.repeat(51), unitId: 9999 })
		);
		expect(result).toEqual({
			ok: false,
			errors: { loginId: 'required', name: 'required', positionTitle: 'too_long', unitId: 'unit_not_found' }
		});
		expect(await memberCount()).toBe(0);
	});

	it('reports an invalid login id, a too-long name and an archived unit', async () => {
		const archived = await makeUnit(db, { kind: 'branch', parentId: t.general, archivedAt: 1 });
		const result = await createMember(db, all, input({ loginId: 'has space', name: '名'.repeat(51), unitId: archived }));
		expect(result).toEqual({
			ok: false,
			errors: { loginId: 'invalid_login_id', name: 'too_long', unitId: 'unit_not_found' }
		});
		expect(await memberCount()).toBe(0);
	});

	it('reports a login id that is already taken', async () => {
		await makeMember(db, { loginId: 'T2024001', unitId: t.branchB, passwordHash: null });
		const result = await createMember(db, all, input());
		expect(result).toEqual({ ok: false, errors: { loginId: 'login_id_taken' } });
		expect(await memberCount()).toBe(1);
	});

	it('lets a secretary create a plain member in scope but not outside it', async () => {
		const scope = await secretaryScopeOf(t.general);
		const outside = await createMember(db, scope, input({ unitId: t.branchC }));
		expect(outside).toEqual({ ok: false, errors: { unitId: 'unit_outside_scope' } });
		expect(await memberCount()).toBe(0);
		const inside = await createMember(db, scope, input({ unitId: t.branchB }));
		expect(inside.ok).toBe(true);
		if (!inside.ok) return;
		expect(await rolesOf(inside.id)).toEqual(['member']);
	});

	it('refuses roles from a secretary', async () => {
		const scope = await secretaryScopeOf(t.general);
		const result = await createMember(db, scope, input({ roles: ['member', 'secretary'] }));
		expect(result).toEqual({ ok: false, errors: { roles: 'roles_not_allowed' } });
		expect(await memberCount()).toBe(0);
	});
});

describe('updateMember', () => {
	it('lets the committee change every field and the roles', async () => {
		const id = await makeMember(db, { loginId: 'old', name: '旧名', unitId: t.branchA, passwordHash: null });
		const result = await updateMember(
			db,
			all,
			id,
			input({ loginId: 'new.id', name: '新名', unitId: t.branchC, positionTitle: '校长', isLeader: true, roles: ['committee'] }),
			9000
		);
		expect(result).toEqual({ ok: true });
		expect(await memberRow(id)).toMatchObject({
			login_id: 'new.id',
			name: '新名',
			unit_id: t.branchC,
			position_title: '校长',
			is_leader: 1,
			updated_at: 9000
		});
		expect(await rolesOf(id)).toEqual(['committee', 'member']);
	});

	it('keeps its own login id without calling it taken, but refuses another member\'s', async () => {
		const id = await makeMember(db, { loginId: 'mine', unitId: t.branchA, passwordHash: null });
		await makeMember(db, { loginId: 'theirs', unitId: t.branchA, passwordHash: null });
		expect(await updateMember(db, all, id, input({ loginId: 'mine' }))).toEqual({ ok: true });
		expect(await updateMember(db, all, id, input({ loginId: 'theirs' }))).toEqual({
			ok: false,
			errors: { loginId: 'login_id_taken' }
		});
		expect((await memberRow(id)).login_id).toBe('mine');
	});

	it('is forbidden for a member outside the secretary\'s scope and for an unknown id', async () => {
		const id = await makeMember(db, { loginId: 'c1', name: '机关', unitId: t.branchC, passwordHash: null });
		const scope = await secretaryScopeOf(t.general);
		expect(await updateMember(db, scope, id, input({ loginId: 'c1', name: '改名', unitId: t.branchA }))).toEqual({
			ok: false,
			forbidden: true
		});
		expect(await memberRow(id)).toMatchObject({ name: '机关', unit_id: t.branchC });
		expect(await updateMember(db, all, 9999, input())).toEqual({ ok: false, forbidden: true });
	});

	it('refuses a secretary moving a member out of scope or changing roles, but keeps existing roles', async () => {
		const id = await makeMember(db, { loginId: 'sec', unitId: t.branchA, roles: ['secretary'], passwordHash: null });
		const scope = await secretaryScopeOf(t.general);
		expect(await updateMember(db, scope, id, input({ loginId: 'sec', unitId: t.branchC, roles: ['member', 'secretary'] }))).toEqual({
			ok: false,
			errors: { unitId: 'unit_outside_scope' }
		});
		expect(await updateMember(db, scope, id, input({ loginId: 'sec', roles: ['member'] }))).toEqual({
			ok: false,
			errors: { roles: 'roles_not_allowed' }
		});
		expect(await updateMember(db, scope, id, input({ loginId: 'sec', unitId: t.branchB, roles: ['secretary'] }))).toEqual({
			ok: true
		});
		expect((await memberRow(id)).unit_id).toBe(t.branchB);
		expect(await rolesOf(id)).toEqual(['member', 'secretary']);
	});
});

describe('setMemberStatus', () => {
	it('disables a member and ends all of their sessions, leaving others signed in', async () => {
		const actor = await makeMember(db, { unitId: t.root, roles: ['committee'], passwordHash: null });
		const target = await makeMember(db, { unitId: t.branchA, passwordHash: null });
		const tokenA = await signedIn(target);
		const tokenB = await signedIn(target);
		const actorToken = await signedIn(actor);
		expect((await validateSessionToken(db, tokenA)).member?.id).toBe(target);

		expect(await setMemberStatus(db, all, actor, target, 'disabled', 4242)).toEqual({ ok: true });
		expect(await memberRow(target)).toMatchObject({ status: 'disabled', updated_at: 4242 });
		expect(await sessionCount(target)).toBe(0);
		expect(await validateSessionToken(db, tokenA)).toEqual({ session: null, member: null });
		expect(await validateSessionToken(db, tokenB)).toEqual({ session: null, member: null });
		expect((await validateSessionToken(db, actorToken)).member?.id).toBe(actor);

		expect(await setMemberStatus(db, all, actor, target, 'active')).toEqual({ ok: true });
		expect((await memberRow(target)).status).toBe('active');
	});

	it('refuses disabling oneself', async () => {
		const actor = await makeMember(db, { unitId: t.root, roles: ['committee'], passwordHash: null });
		const token = await signedIn(actor);
		expect(await setMemberStatus(db, all, actor, actor, 'disabled')).toEqual({ ok: false, problem: 'self' });
		expect((await memberRow(actor)).status).toBe('active');
		expect((await validateSessionToken(db, token)).member?.id).toBe(actor);
	});

	it('is forbidden outside the secretary\'s scope', async () => {
		const actor = await makeMember(db, { unitId: t.general, roles: ['secretary'], passwordHash: null });
		const outside = await makeMember(db, { unitId: t.branchC, passwordHash: null });
		const token = await signedIn(outside);
		const scope = await secretaryScopeOf(t.general);
		expect(await setMemberStatus(db, scope, actor, outside, 'disabled')).toEqual({ ok: false, forbidden: true });
		expect((await memberRow(outside)).status).toBe('active');
		expect(await sessionCount(outside)).toBe(1);
		expect((await validateSessionToken(db, token)).member?.id).toBe(outside);
		expect(await setMemberStatus(db, scope, actor, 9999, 'disabled')).toEqual({ ok: false, forbidden: true });
	});
});

describe('resetMemberPassword', () => {
	it('sets a new temporary password, requires a change and ends every session', async () => {
		const target = await makeMember(db, {
			unitId: t.branchA,
			passwordHash: await hashPassword('old-password-1'),
			mustChangePassword: false
		});
		const token = await signedIn(target);
		const result = await resetMemberPassword(db, all, target, 6000);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const row = await memberRow(target);
		expect(row.must_change_password).toBe(1);
		expect(row.updated_at).toBe(6000);
		expect(await verifyPassword(row.password_hash ?? '', result.temporaryPassword)).toBe(true);
		expect(await verifyPassword(row.password_hash ?? '', 'old-password-1')).toBe(false);
		expect(await sessionCount(target)).toBe(0);
		expect(await validateSessionToken(db, token)).toEqual({ session: null, member: null });
		expect((await getMember(db, target))?.mustChangePassword).toBe(true);
	});

	it('is forbidden outside the secretary\'s scope and changes nothing', async () => {
		const outside = await makeMember(db, { unitId: t.branchC, passwordHash: 'not-a-real-hash' });
		await signedIn(outside);
		const result = await resetMemberPassword(db, await secretaryScopeOf(t.general), outside);
		expect(result).toEqual({ ok: false, forbidden: true });
		expect(await memberRow(outside)).toMatchObject({ password_hash: 'not-a-real-hash', must_change_password: 0 });
		expect(await sessionCount(outside)).toBe(1);
	});
});

describe('a secretary and committee accounts in their subtree', () => {
	it('may not edit, disable or reset the password of a committee member', async () => {
		const boss = await makeMember(db, { loginId: 'boss', name: '委员', unitId: t.branchA, roles: ['committee'], passwordHash: await hashPassword('Original-Pass-1') });
		const scope = await secretaryScopeOf(t.general);
		expect(await resetMemberPassword(db, scope, boss)).toEqual({ ok: false, forbidden: true });
		expect(await setMemberStatus(db, scope, 0, boss, 'disabled')).toEqual({ ok: false, forbidden: true });
		const input: MemberInput = { loginId: 'boss', name: '改名', unitId: t.branchA, positionTitle: '', isLeader: false, roles: ['member', 'committee'] };
		expect(await updateMember(db, scope, boss, input)).toEqual({ ok: false, forbidden: true });
		const row = await db.selectFrom('member').selectAll().where('id', '=', boss).executeTakeFirstOrThrow();
		expect(row.name).toBe('委员');
		expect(row.status).toBe('active');
		expect(await verifyPassword(row.password_hash ?? '', 'Original-Pass-1')).toBe(true);
		// The committee itself may.
		expect((await resetMemberPassword(db, all, boss)).ok).toBe(true);
	});
});

describe('login ids', () => {
	it('are unique whatever their letter case', async () => {
		await makeMember(db, { loginId: 'Wang.Wu', unitId: t.branchA });
		const result = await createMember(db, all, { loginId: 'wang.wu', name: '王五', unitId: t.branchA, positionTitle: '', isLeader: false, roles: ['member'] });
		expect(result).toEqual({ ok: false, errors: { loginId: 'login_id_taken' } });
		await expect(makeMember(db, { loginId: 'WANG.WU', unitId: t.branchA })).rejects.toThrow(/unique/i);
	});
});

describe('the committee role', () => {
	it('cannot be dropped by its holder, but can be by another committee member', async () => {
		const me = await makeMember(db, { loginId: 'me', name: '我', unitId: t.root, roles: ['committee'], passwordHash: null });
		const input: MemberInput = { loginId: 'me', name: '我', unitId: t.root, positionTitle: '', isLeader: false, roles: ['member'] };
		expect(await updateMember(db, all, me, input, Date.now(), me)).toEqual({ ok: false, errors: { roles: 'cannot_drop_own_committee' } });
		expect(await updateMember(db, all, me, input, Date.now(), 999)).toEqual({ ok: true });
	});
});
