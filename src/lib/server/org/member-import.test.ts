import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import type { Role } from '../db/schema';
import { verifyPassword } from '../auth/password';
import { createSession, generateSessionToken, validateSessionToken } from '../auth/session';
import { freshDatabase, makeMember, makeTree, makeUnit } from '../testing/db';
import { applyMemberImport, planMemberImport, type Importer } from './member-import';
import { readMemberFile } from './member-file';
import { managementScope } from './scope';

let db: Db;
let t: Awaited<ReturnType<typeof makeTree>>;

beforeEach(async () => {
	db = (await freshDatabase()).db;
	t = await makeTree(db);
});

afterEach(async () => {
	await db.destroy();
});

// The committee importing; member id 0 is nobody, so no row is the importer's own.
const all: Importer = { memberId: 0, scope: { kind: 'all' } };
const header = '登录名,姓名,所属单位,角色,职务,被测评领导,状态';
const pathA = '测试党委/测试总支/一支部';
const pathB = '测试党委/测试总支/二支部';
const pathC = '测试党委/机关支部';

/** A UTF-8 CSV through the real parser; data lines start at spreadsheet row 2. */
function csvFile(lines: string[]) {
	const text = [header, ...lines].join('\r\n') + '\r\n';
	return readMemberFile(new TextEncoder().encode(text), 'x.csv');
}

async function secretaryOfGeneral(): Promise<Importer> {
	return { memberId: 0, scope: await managementScope(db, { unitId: t.general, roles: ['member', 'secretary'] }) };
}

async function counts(): Promise<{ members: number; roles: number; sessions: number }> {
	const n = async (table: 'member' | 'member_role' | 'session') =>
		Number((await db.selectFrom(table).select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
	return { members: await n('member'), roles: await n('member_role'), sessions: await n('session') };
}

async function memberByLogin(loginId: string) {
	return db.selectFrom('member').selectAll().where('login_id', '=', loginId).executeTakeFirstOrThrow();
}

async function rolesOf(id: number): Promise<Role[]> {
	const rows = await db.selectFrom('member_role').select('role').where('member_id', '=', id).orderBy('role').execute();
	return rows.map((r) => r.role);
}

describe('planMemberImport: units', () => {
	it('finds a unit by full path, by a path with spaced or full-width slashes, and by a unique name', async () => {
		const file = await csvFile([
			`a1,甲,${pathA},,,,`,
			'a2,乙,测试党委 / 测试总支 ／ 二支部,,,,',
			'a3,丙,机关支部,,,,',
			'a4,丁,测试总支,,,,'
		]);
		expect(file.problems).toEqual([]);
		const plan = await planMemberImport(db, all, file);
		expect(plan.problems).toEqual([]);
		expect(plan.creates.map((c) => [c.row, c.loginId, c.unitId, c.unitPath])).toEqual([
			[2, 'a1', t.branchA, pathA],
			[3, 'a2', t.branchB, pathB],
			[4, 'a3', t.branchC, pathC],
			[5, 'a4', t.general, '测试党委/测试总支']
		]);
		expect(plan.updates).toEqual([]);
		expect(plan.unchanged).toBe(0);
		expect(plan.fingerprint).toMatch(/^[0-9a-f]{64}$/);
	});

	it('reports a name two active units share, while the full path still works', async () => {
		await makeUnit(db, { name: '一支部', kind: 'branch', parentId: t.root });
		const plan = await planMemberImport(db, all, await csvFile(['a1,甲,一支部,,,,', `a2,乙,${pathA},,,,`]));
		expect(plan.problems).toEqual([{ row: 2, column: 'unit', code: 'unit_ambiguous', value: '一支部' }]);
		expect(plan.creates.map((c) => [c.loginId, c.unitId])).toEqual([['a2', t.branchA]]);
	});

	it('does not count an archived unit of the same name as ambiguous', async () => {
		await makeUnit(db, { name: '一支部', kind: 'branch', parentId: t.root, archivedAt: 1 });
		const plan = await planMemberImport(db, all, await csvFile(['a1,甲,一支部,,,,']));
		expect(plan.problems).toEqual([]);
		expect(plan.creates[0]?.unitId).toBe(t.branchA);
	});

	it('reports unknown units, unknown paths and archived units as not found', async () => {
		await makeUnit(db, { name: '旧支部', kind: 'branch', parentId: t.root, archivedAt: 1 });
		const plan = await planMemberImport(
			db,
			all,
			await csvFile(['a1,甲,不存在的支部,,,,', 'a2,乙,测试党委/一支部,,,,', 'a3,丙,旧支部,,,,', `a4,丁,${pathA},,,,`])
		);
		expect(plan.problems).toEqual([
			{ row: 2, column: 'unit', code: 'unit_not_found', value: '不存在的支部' },
			{ row: 3, column: 'unit', code: 'unit_not_found', value: '测试党委/一支部' },
			{ row: 4, column: 'unit', code: 'unit_not_found', value: '旧支部' }
		]);
		expect(plan.creates.map((c) => c.loginId)).toEqual(['a4']);
	});
});

describe('planMemberImport: a secretary\'s scope and roles', () => {
	it('reports a unit outside the secretary\'s scope', async () => {
		const plan = await planMemberImport(db, await secretaryOfGeneral(), await csvFile([`a1,甲,${pathC},,,,`, `a2,乙,${pathB},,,,`]));
		expect(plan.problems).toEqual([{ row: 2, column: 'unit', code: 'unit_outside_scope', value: pathC }]);
		expect(plan.creates.map((c) => c.loginId)).toEqual(['a2']);
	});

	it('reports an existing member outside the scope even when moved into it', async () => {
		await makeMember(db, { loginId: 'c1', name: '机关', unitId: t.branchC, passwordHash: null });
		const plan = await planMemberImport(db, await secretaryOfGeneral(), await csvFile([`c1,机关,${pathA},,,,`]));
		expect(plan.problems).toEqual([{ row: 2, column: 'loginId', code: 'member_outside_scope', value: 'c1' }]);
		expect(plan.creates).toEqual([]);
		expect(plan.updates).toEqual([]);
	});

	it('keeps an existing member\'s roles for a bare 党员 and accepts the same roles written out', async () => {
		const sec = await makeMember(db, { loginId: 's1', name: '书记', unitId: t.branchA, roles: ['secretary'], passwordHash: null });
		await makeMember(db, { loginId: 's2', name: '书记二', unitId: t.branchB, roles: ['secretary'], passwordHash: null });
		const plan = await planMemberImport(
			db,
			await secretaryOfGeneral(),
			await csvFile([`s1,书记改名,${pathA},党员,,,`, `s2,书记二,${pathB},党员、支部书记,,,`])
		);
		expect(plan.problems).toEqual([]);
		expect(plan.updates).toHaveLength(1);
		expect(plan.updates[0]).toMatchObject({
			memberId: sec,
			roles: ['member', 'secretary'],
			changed: [{ field: 'name', from: '书记', to: '书记改名' }]
		});
		expect(plan.unchanged).toBe(1);
	});

	it('refuses a secretary granting 支部书记 to a new or an existing member', async () => {
		await makeMember(db, { loginId: 'p1', name: '普通', unitId: t.branchA, passwordHash: null });
		const plan = await planMemberImport(
			db,
			await secretaryOfGeneral(),
			await csvFile([`n1,新人,${pathA},党员、支部书记,,,`, `p1,普通,${pathA},支部书记,,,`, `n2,新人二,${pathA},党员,,,`])
		);
		expect(plan.problems).toEqual([
			{ row: 2, column: 'roles', code: 'roles_not_allowed', value: 'member,secretary' },
			{ row: 3, column: 'roles', code: 'roles_not_allowed', value: 'member,secretary' }
		]);
		expect(plan.creates.map((c) => [c.loginId, c.roles])).toEqual([['n2', ['member']]]);
	});

	it('lets the committee grant and remove roles', async () => {
		const sec = await makeMember(db, { loginId: 's1', name: '书记', unitId: t.branchA, roles: ['secretary'], passwordHash: null });
		const plan = await planMemberImport(db, all, await csvFile([`s1,书记,${pathA},党员,,,`, `n1,新人,${pathA},党员、支部书记、党委,,,`]));
		expect(plan.problems).toEqual([]);
		expect(plan.updates).toEqual([
			expect.objectContaining({ memberId: sec, roles: ['member'], changed: [{ field: 'roles', from: 'member,secretary', to: 'member' }] })
		]);
		expect(plan.creates[0]?.roles).toEqual(['member', 'secretary', 'committee']);
	});
});

describe('planMemberImport: updates and file problems', () => {
	it('lists the changed fields of an update by login id and counts unchanged rows', async () => {
		const u1 = await makeMember(db, { loginId: 'u1', name: '旧名', unitId: t.branchA, passwordHash: null });
		await makeMember(db, { loginId: 'u2', name: '不变', unitId: t.branchB, positionTitle: '教师', isLeader: true, passwordHash: null });
		await makeMember(db, { loginId: 'u3', name: '停用者', unitId: t.branchC, status: 'disabled', passwordHash: null });
		const plan = await planMemberImport(
			db,
			all,
			await csvFile([`u1,新名,${pathC},党员,校长,是,停用`, `u2,不变,${pathB},党员,教师,是,正常`, `u3,停用者,机关支部,,,,停用`])
		);
		expect(plan.problems).toEqual([]);
		expect(plan.creates).toEqual([]);
		expect(plan.unchanged).toBe(2);
		expect(plan.updates).toEqual([
			{
				row: 2,
				loginId: 'u1',
				memberId: u1,
				changed: [
					{ field: 'name', from: '旧名', to: '新名' },
					{ field: 'unit', from: pathA, to: pathC },
					{ field: 'positionTitle', from: '', to: '校长' },
					{ field: 'isLeader', from: 'false', to: 'true' },
					{ field: 'status', from: 'active', to: 'disabled' }
				],
				name: '新名',
				unitId: t.branchC,
				unitPath: pathC,
				roles: ['member'],
				positionTitle: '校长',
				isLeader: true,
				status: 'disabled'
			}
		]);
	});

	it('carries the file\'s parse problems into the plan, sorted by row, next to the database problems', async () => {
		const file = await csvFile([`a1,甲,${pathA},班长,,,`, 'a2,乙,没有这个单位,,,,', `a3,丙,${pathA},,,也许,`, `a4,丁,${pathA},,,,`]);
		expect(file.problems).toEqual([
			{ row: 2, column: 'roles', code: 'invalid_role', value: '班长' },
			{ row: 4, column: 'isLeader', code: 'invalid_yes_no', value: '也许' }
		]);
		const plan = await planMemberImport(db, all, file);
		expect(plan.problems).toEqual([
			{ row: 2, column: 'roles', code: 'invalid_role', value: '班长' },
			{ row: 3, column: 'unit', code: 'unit_not_found', value: '没有这个单位' },
			{ row: 4, column: 'isLeader', code: 'invalid_yes_no', value: '也许' }
		]);
		expect(plan.creates.map((c) => c.loginId)).toEqual(['a4']);
	});

	it('gives the same fingerprint for the same file and database, and another once the database changes', async () => {
		const u1 = await makeMember(db, { loginId: 'u1', name: '旧名', unitId: t.branchA, passwordHash: null });
		const file = await csvFile([`u1,新名,${pathA},,,,`, `a1,甲,${pathA},,,,`]);
		const first = await planMemberImport(db, all, file);
		expect((await planMemberImport(db, all, file)).fingerprint).toBe(first.fingerprint);
		await db.updateTable('member').set({ name: '又一个名字' }).where('id', '=', u1).execute();
		expect((await planMemberImport(db, all, file)).fingerprint).not.toBe(first.fingerprint);
	});
});

describe('applyMemberImport', () => {
	it('creates accounts with working temporary passwords that must be changed, and updates by login id', async () => {
		const u1 = await makeMember(db, { loginId: 'u1', name: '旧名', unitId: t.branchA, passwordHash: null });
		const file = await csvFile([
			`n1,新人甲,${pathA},党员,教师,否,正常`,
			`n2,新人乙,机关支部,党员、支部书记,校长,是,`,
			`u1,新名,${pathB},,,,`
		]);
		const plan = await planMemberImport(db, all, file);
		expect(plan.problems).toEqual([]);
		const result = await applyMemberImport(db, all, file, plan.fingerprint, 7000);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.updated).toBe(1);
		expect(result.created.map((c) => [c.loginId, c.name])).toEqual([
			['n1', '新人甲'],
			['n2', '新人乙']
		]);
		for (const c of result.created) {
			const row = await memberByLogin(c.loginId);
			expect(row.must_change_password).toBe(1);
			expect(row.status).toBe('active');
			expect(row.created_at).toBe(7000);
			expect(await verifyPassword(row.password_hash ?? '', c.temporaryPassword)).toBe(true);
		}
		const [p1, p2] = result.created;
		expect(p1?.temporaryPassword).not.toBe(p2?.temporaryPassword);
		const n2 = await memberByLogin('n2');
		expect(n2).toMatchObject({ name: '新人乙', unit_id: t.branchC, position_title: '校长', is_leader: 1 });
		expect(await rolesOf(n2.id)).toEqual(['member', 'secretary']);
		expect(await rolesOf((await memberByLogin('n1')).id)).toEqual(['member']);
		expect(await memberByLogin('u1')).toMatchObject({ id: u1, name: '新名', unit_id: t.branchB, updated_at: 7000, password_hash: null });
	});

	it('yields no creates and no updates when the same file is imported again', async () => {
		await makeMember(db, { loginId: 's1', name: '书记', unitId: t.branchA, roles: ['secretary'], passwordHash: null });
		const file = await csvFile([
			`n1,新人甲,${pathA},党员,教师,否,正常`,
			`n2,新人乙,机关支部,党员、支部书记、党委,校长,是,`,
			`n3,新人丙,${pathB},,,,停用`,
			`s1,书记,${pathA},党员、支部书记,,,`
		]);
		const plan = await planMemberImport(db, all, file);
		const result = await applyMemberImport(db, all, file, plan.fingerprint);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.created).toHaveLength(3);
		expect(result.updated).toBe(0);
		expect((await memberByLogin('n3')).status).toBe('disabled');

		const again = await planMemberImport(db, all, await csvFile([
			`n1,新人甲,${pathA},党员,教师,否,正常`,
			`n2,新人乙,机关支部,党员、支部书记、党委,校长,是,`,
			`n3,新人丙,${pathB},,,,停用`,
			`s1,书记,${pathA},党员、支部书记,,,`
		]));
		expect(again.problems).toEqual([]);
		expect(again.creates).toEqual([]);
		expect(again.updates).toEqual([]);
		expect(again.unchanged).toBe(4);
		const before = await counts();
		const second = await applyMemberImport(db, all, file, again.fingerprint);
		expect(second).toEqual({ ok: true, created: [], updated: 0 });
		expect(await counts()).toEqual(before);
	});

	it('writes nothing when any row has a problem', async () => {
		const u1 = await makeMember(db, { loginId: 'u1', name: '旧名', unitId: t.branchA, passwordHash: null });
		const file = await csvFile([`n1,新人,${pathA},,,,`, `u1,新名,${pathA},,,,`, 'n2,坏行,不存在,,,,']);
		const plan = await planMemberImport(db, all, file);
		expect(plan.problems).toHaveLength(1);
		const before = await counts();
		const result = await applyMemberImport(db, all, file, plan.fingerprint);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.reason).toBe('has_problems');
		expect(result.plan.problems).toEqual([{ row: 4, column: 'unit', code: 'unit_not_found', value: '不存在' }]);
		expect(await counts()).toEqual(before);
		expect((await memberByLogin('u1')).name).toBe('旧名');
		expect(await db.selectFrom('member').select('id').where('login_id', '=', 'n1').executeTakeFirst()).toBeUndefined();
		expect((await memberByLogin('u1')).id).toBe(u1);
	});

	it('writes nothing when only the parser found a problem', async () => {
		const file = await csvFile([`n1,新人,${pathA},,,,`, `n2,新人二,${pathA},班长,,,`]);
		const plan = await planMemberImport(db, all, file);
		const before = await counts();
		const result = await applyMemberImport(db, all, file, plan.fingerprint);
		expect(result).toMatchObject({ ok: false, reason: 'has_problems' });
		expect(await counts()).toEqual(before);
	});

	it('refuses a stale preview after the database changed and writes nothing', async () => {
		const u1 = await makeMember(db, { loginId: 'u1', name: '旧名', unitId: t.branchA, passwordHash: null });
		const file = await csvFile([`n1,新人,${pathA},,,,`, `u1,新名,${pathA},,,,`]);
		const plan = await planMemberImport(db, all, file);
		expect(plan.problems).toEqual([]);
		// Someone else renames u1 between the preview and the confirmation.
		await db.updateTable('member').set({ name: '别人改的' }).where('id', '=', u1).execute();
		const before = await counts();
		const result = await applyMemberImport(db, all, file, plan.fingerprint);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.reason).toBe('stale');
		expect(result.plan.fingerprint).not.toBe(plan.fingerprint);
		expect(result.plan.updates[0]?.changed).toEqual([{ field: 'name', from: '别人改的', to: '新名' }]);
		expect(await counts()).toEqual(before);
		expect((await memberByLogin('u1')).name).toBe('别人改的');
		expect(await db.selectFrom('member').select('id').where('login_id', '=', 'n1').executeTakeFirst()).toBeUndefined();
	});

	it('refuses a stale preview when a login id to be created was taken meanwhile', async () => {
		const file = await csvFile([`n1,新人,${pathA},,,,`, `n2,新人二,${pathB},,,,`]);
		const plan = await planMemberImport(db, all, file);
		await makeMember(db, { loginId: 'n1', name: '先到者', unitId: t.branchC, passwordHash: null });
		const before = await counts();
		const result = await applyMemberImport(db, all, file, plan.fingerprint);
		expect(result).toMatchObject({ ok: false, reason: 'stale' });
		expect(await counts()).toEqual(before);
		expect((await memberByLogin('n1')).name).toBe('先到者');
	});

	it('refuses a fingerprint that was never previewed', async () => {
		const file = await csvFile([`n1,新人,${pathA},,,,`]);
		const result = await applyMemberImport(db, all, file, '0'.repeat(64));
		expect(result).toMatchObject({ ok: false, reason: 'stale' });
		expect((await counts()).members).toBe(0);
	});

	it('ends the sessions of a member the file disables, and only theirs', async () => {
		const target = await makeMember(db, { loginId: 'u1', name: '要停用', unitId: t.branchA, passwordHash: null });
		const other = await makeMember(db, { loginId: 'u2', name: '照常', unitId: t.branchA, passwordHash: null });
		const targetToken = generateSessionToken();
		const otherToken = generateSessionToken();
		await createSession(db, targetToken, target);
		await createSession(db, otherToken, other);
		const file = await csvFile([`u1,要停用,${pathA},,,,停用`, `u2,照常,${pathA},,,,正常`]);
		const plan = await planMemberImport(db, all, file);
		expect(plan.updates.map((u) => [u.memberId, u.changed])).toEqual([
			[target, [{ field: 'status', from: 'active', to: 'disabled' }]]
		]);
		const result = await applyMemberImport(db, all, file, plan.fingerprint);
		expect(result).toEqual({ ok: true, created: [], updated: 1 });
		expect((await memberByLogin('u1')).status).toBe('disabled');
		expect(await validateSessionToken(db, targetToken)).toEqual({ session: null, member: null });
		expect(await db.selectFrom('session').select('id').where('member_id', '=', target).execute()).toEqual([]);
		expect((await validateSessionToken(db, otherToken)).member?.id).toBe(other);
	});

	it('applies a secretary\'s import inside the scope, keeping existing roles for a bare 党员', async () => {
		const sec = await makeMember(db, { loginId: 's1', name: '书记', unitId: t.branchA, roles: ['secretary'], passwordHash: null });
		const scope = await secretaryOfGeneral();
		const file = await csvFile([`s1,书记,${pathB},党员,,,`, `n1,新人,${pathA},,,,`]);
		const plan = await planMemberImport(db, scope, file);
		expect(plan.problems).toEqual([]);
		const result = await applyMemberImport(db, scope, file, plan.fingerprint);
		expect(result.ok).toBe(true);
		expect((await memberByLogin('s1')).unit_id).toBe(t.branchB);
		expect(await rolesOf(sec)).toEqual(['member', 'secretary']);
		expect(await rolesOf((await memberByLogin('n1')).id)).toEqual(['member']);
	});
});

describe('planMemberImport: the whole list of problems and the importer', () => {
	it('checks the unit of a row that also has cell problems, so one upload shows everything', async () => {
		const plan = await planMemberImport(db, all, await csvFile(['a1,,不存在的支部,,,也许,']));
		expect(plan.problems.map((p) => [p.row, p.column, p.code])).toEqual([
			[2, 'name', 'required'],
			[2, 'unit', 'unit_not_found'],
			[2, 'isLeader', 'invalid_yes_no']
		]);
	});

	it('keeps existing roles when the roles cell is empty, and sets them when it is filled', async () => {
		const sec = await makeMember(db, { loginId: 's1', name: '书记', unitId: t.branchA, roles: ['secretary'], passwordHash: null });
		const kept = await planMemberImport(db, all, await csvFile([`s1,书记,${pathA},,,,`]));
		expect(kept.updates).toEqual([]);
		expect(kept.unchanged).toBe(1);
		const file = await csvFile([`s1,书记,${pathA},党员,,,`]);
		const set = await planMemberImport(db, all, file);
		expect(set.updates[0]?.changed).toEqual([{ field: 'roles', from: 'member,secretary', to: 'member' }]);
		expect((await applyMemberImport(db, all, file, set.fingerprint)).ok).toBe(true);
		expect(await rolesOf(sec)).toEqual(['member']);
	});

	it('refuses a file that would disable the importer', async () => {
		const me = await makeMember(db, { loginId: 'me', name: '我', unitId: t.root, roles: ['committee'], passwordHash: null });
		const file = await csvFile([`me,我,测试党委,党员、党委,,,停用`]);
		const plan = await planMemberImport(db, { memberId: me, scope: { kind: 'all' } }, file);
		expect(plan.problems).toEqual([{ row: 2, column: 'status', code: 'cannot_disable_self', value: 'me' }]);
	});

	it('does not let a secretary touch a committee account in their subtree', async () => {
		await makeMember(db, { loginId: 'boss', name: '委员', unitId: t.branchA, roles: ['committee'], passwordHash: null });
		const plan = await planMemberImport(db, await secretaryOfGeneral(), await csvFile([`boss,委员,${pathA},,,,停用`]));
		expect(plan.problems.map((p) => p.code)).toEqual(['member_outside_scope']);
	});

	it('matches login ids whatever their letter case', async () => {
		const id = await makeMember(db, { loginId: 'Wang.Wu', name: '王五', unitId: t.branchA, passwordHash: null });
		const plan = await planMemberImport(db, all, await csvFile([`wang.wu,王五五,${pathA},,,,`]));
		expect(plan.creates).toEqual([]);
		expect(plan.updates.map((u) => [u.memberId, u.changed])).toEqual([[id, [{ field: 'name', from: '王五', to: '王五五' }]]]);
	});
});

describe('planMemberImport: columns a file leaves out', () => {
	it('keep a member’s position, leader flag and status (a disabled account stays disabled)', async () => {
		const id = await makeMember(db, { loginId: 'd1', name: '离职者', unitId: t.branchA, positionTitle: '校长', isLeader: true, status: 'disabled', passwordHash: null });
		const file = await readMemberFile(new TextEncoder().encode(`登录名,姓名,所属单位\nd1,离职者,${pathA}\n`), 'x.csv');
		const plan = await planMemberImport(db, all, file);
		expect(plan.updates).toEqual([]);
		expect(plan.unchanged).toBe(1);
		expect(id).toBeGreaterThan(0);
	});
});
