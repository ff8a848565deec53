import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { freshDatabase, makeMember, makeTree, makeUnit } from '../testing/db';
import {
	archiveUnit,
	createUnit,
	listUnits,
	moveUnit,
	renameUnit,
	restoreUnit,
	subtreeUnitIds,
	unitPaths,
	unitTree
} from './units';

let db: Db;

beforeEach(async () => {
	db = (await freshDatabase()).db;
});

afterEach(async () => {
	await db.destroy();
});

async function unitRow(id: number) {
	return db.selectFrom('unit').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function unitCount(): Promise<number> {
	const row = await db.selectFrom('unit').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
	return Number(row.n);
}

describe('createUnit', () => {
	it('creates a root committee and stores the trimmed name, kind, parent and time', async () => {
		const result = await createUnit(db, { name: '  某县教育工委 ', kind: 'committee', parentId: null }, 1234);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const row = await unitRow(result.id);
		expect(row).toMatchObject({
			name: '某县教育工委',
			kind: 'committee',
			parent_id: null,
			archived_at: null,
			created_at: 1234
		});
	});

	it('allows a general branch and a branch under a committee and a branch under a general branch', async () => {
		const root = await makeUnit(db, { kind: 'committee' });
		const general = await createUnit(db, { name: '总支', kind: 'general_branch', parentId: root });
		expect(general.ok).toBe(true);
		if (!general.ok) return;
		expect((await createUnit(db, { name: '支部甲', kind: 'branch', parentId: root })).ok).toBe(true);
		const branch = await createUnit(db, { name: '支部乙', kind: 'branch', parentId: general.id });
		expect(branch.ok).toBe(true);
		if (!branch.ok) return;
		expect((await unitRow(branch.id)).parent_id).toBe(general.id);
	});

	it('allows a county committee under a committee', async () => {
		const root = await makeUnit(db, { kind: 'committee' });
		expect((await createUnit(db, { name: '县党委', kind: 'committee', parentId: root })).ok).toBe(true);
	});

	it('refuses a general branch or a branch as the root', async () => {
		expect(await createUnit(db, { name: '总支', kind: 'general_branch', parentId: null })).toEqual({
			ok: false,
			problem: 'kind_not_allowed_here'
		});
		expect(await createUnit(db, { name: '支部', kind: 'branch', parentId: null })).toEqual({
			ok: false,
			problem: 'kind_not_allowed_here'
		});
		expect(await unitCount()).toBe(0);
	});

	it('refuses anything under a branch and a general branch or committee under a general branch', async () => {
		const t = await makeTree(db);
		const before = await unitCount();
		expect(await createUnit(db, { name: 'x', kind: 'branch', parentId: t.branchA })).toEqual({
			ok: false,
			problem: 'kind_not_allowed_here'
		});
		expect(await createUnit(db, { name: 'x', kind: 'general_branch', parentId: t.general })).toEqual({
			ok: false,
			problem: 'kind_not_allowed_here'
		});
		expect(await createUnit(db, { name: 'x', kind: 'committee', parentId: t.general })).toEqual({
			ok: false,
			problem: 'kind_not_allowed_here'
		});
		expect(await unitCount()).toBe(before);
	});

	it('refuses an empty, a blank and a too-long name', async () => {
		const root = await makeUnit(db, { kind: 'committee' });
		expect(await createUnit(db, { name: '', kind: 'branch', parentId: root })).toEqual({ ok: false, problem: 'name_required' });
		expect(await createUnit(db, { name: '   ', kind: 'branch', parentId: root })).toEqual({ ok: false, problem: 'name_required' });
		expect(await createUnit(db, { name: '支'.repeat(51), kind: 'branch', parentId: root })).toEqual({
			ok: false,
			problem: 'name_too_long'
		});
	});

	it('counts characters, not UTF-16 units, against the 50 limit', async () => {
		const root = await makeUnit(db, { kind: 'committee' });
		// 𠀀 is outside the BMP: 50 of them are 100 UTF-16 units but 50 characters.
		expect((await createUnit(db, { name: '𠀀'.repeat(50), kind: 'branch', parentId: root })).ok).toBe(true);
	});

	it('refuses a missing parent and an archived parent', async () => {
		const root = await makeUnit(db, { kind: 'committee' });
		const archived = await makeUnit(db, { kind: 'general_branch', parentId: root, archivedAt: 5 });
		expect(await createUnit(db, { name: 'x', kind: 'branch', parentId: 9999 })).toEqual({ ok: false, problem: 'parent_not_found' });
		expect(await createUnit(db, { name: 'x', kind: 'branch', parentId: archived })).toEqual({
			ok: false,
			problem: 'parent_archived'
		});
	});

	it('refuses a name an active sibling already has, after trimming', async () => {
		const t = await makeTree(db);
		expect(await createUnit(db, { name: ' 一支部 ', kind: 'branch', parentId: t.general })).toEqual({
			ok: false,
			problem: 'name_taken'
		});
		expect(await createUnit(db, { name: '测试党委', kind: 'committee', parentId: null })).toEqual({
			ok: false,
			problem: 'name_taken'
		});
	});

	it('allows the same name under another parent and next to an archived sibling', async () => {
		const t = await makeTree(db);
		expect((await createUnit(db, { name: '一支部', kind: 'branch', parentId: t.root })).ok).toBe(true);
		await makeUnit(db, { name: '旧支部', kind: 'branch', parentId: t.general, archivedAt: 10 });
		expect((await createUnit(db, { name: '旧支部', kind: 'branch', parentId: t.general })).ok).toBe(true);
	});
});

describe('renameUnit', () => {
	it('renames to the trimmed name', async () => {
		const t = await makeTree(db);
		expect(await renameUnit(db, t.branchA, ' 第一支部 ')).toEqual({ ok: true, id: t.branchA });
		expect((await unitRow(t.branchA)).name).toBe('第一支部');
	});

	it('allows keeping its own name', async () => {
		const t = await makeTree(db);
		expect(await renameUnit(db, t.branchA, '一支部')).toEqual({ ok: true, id: t.branchA });
	});

	it('refuses a sibling name but not a name used elsewhere in the tree', async () => {
		const t = await makeTree(db);
		expect(await renameUnit(db, t.branchA, '二支部')).toEqual({ ok: false, problem: 'name_taken' });
		expect((await unitRow(t.branchA)).name).toBe('一支部');
		// 机关支部 sits under the 党委, not under the 总支.
		expect(await renameUnit(db, t.branchA, '机关支部')).toEqual({ ok: true, id: t.branchA });
	});

	it('refuses empty and too-long names and an unknown unit', async () => {
		const t = await makeTree(db);
		expect(await renameUnit(db, t.branchA, ' ')).toEqual({ ok: false, problem: 'name_required' });
		expect(await renameUnit(db, t.branchA, 'a'.repeat(51))).toEqual({ ok: false, problem: 'name_too_long' });
		expect(await renameUnit(db, 9999, '新名字')).toEqual({ ok: false, problem: 'not_found' });
		expect((await unitRow(t.branchA)).name).toBe('一支部');
	});
});

describe('moveUnit', () => {
	it('moves a branch to another allowed parent', async () => {
		const t = await makeTree(db);
		expect(await moveUnit(db, t.branchC, t.general)).toEqual({ ok: true, id: t.branchC });
		expect((await unitRow(t.branchC)).parent_id).toBe(t.general);
	});

	it('refuses moving the root', async () => {
		const t = await makeTree(db);
		const other = await makeUnit(db, { name: '另一党委', kind: 'committee' });
		expect(await moveUnit(db, t.root, other)).toEqual({ ok: false, problem: 'root_cannot_move' });
		expect((await unitRow(t.root)).parent_id).toBeNull();
	});

	it('refuses moving a unit into itself or below itself', async () => {
		const t = await makeTree(db);
		const county = await makeUnit(db, { name: '县党委', kind: 'committee', parentId: t.root });
		const countyChild = await makeUnit(db, { name: '县下党委', kind: 'committee', parentId: county });
		expect(await moveUnit(db, county, county)).toEqual({ ok: false, problem: 'move_into_own_subtree' });
		expect(await moveUnit(db, county, countyChild)).toEqual({ ok: false, problem: 'move_into_own_subtree' });
		expect(await moveUnit(db, t.general, t.branchA)).toEqual({ ok: false, problem: 'move_into_own_subtree' });
		expect((await unitRow(county)).parent_id).toBe(t.root);
		expect((await unitRow(t.general)).parent_id).toBe(t.root);
	});

	it('refuses a parent of a kind that may not hold the unit', async () => {
		const t = await makeTree(db);
		expect(await moveUnit(db, t.branchC, t.branchA)).toEqual({ ok: false, problem: 'kind_not_allowed_here' });
		const other = await makeUnit(db, { name: '二总支', kind: 'general_branch', parentId: t.root });
		expect(await moveUnit(db, other, t.general)).toEqual({ ok: false, problem: 'kind_not_allowed_here' });
		expect((await unitRow(t.branchC)).parent_id).toBe(t.root);
	});

	it('refuses an unknown unit, an unknown parent and an archived parent', async () => {
		const t = await makeTree(db);
		const archived = await makeUnit(db, { name: '旧总支', kind: 'general_branch', parentId: t.root, archivedAt: 1 });
		expect(await moveUnit(db, 9999, t.general)).toEqual({ ok: false, problem: 'not_found' });
		expect(await moveUnit(db, t.branchC, 9999)).toEqual({ ok: false, problem: 'parent_not_found' });
		expect(await moveUnit(db, t.branchC, archived)).toEqual({ ok: false, problem: 'parent_archived' });
	});

	it('refuses a move next to a sibling of the same name', async () => {
		const t = await makeTree(db);
		const sameName = await makeUnit(db, { name: '一支部', kind: 'branch', parentId: t.root });
		expect(await moveUnit(db, sameName, t.general)).toEqual({ ok: false, problem: 'name_taken' });
		expect((await unitRow(sameName)).parent_id).toBe(t.root);
	});
});

describe('archiveUnit', () => {
	it('archives an empty leaf unit at the given time', async () => {
		const t = await makeTree(db);
		expect(await archiveUnit(db, t.branchC, 777)).toEqual({ ok: true, id: t.branchC });
		expect((await unitRow(t.branchC)).archived_at).toBe(777);
	});

	it('refuses a unit with an active member, and allows it once the member is disabled', async () => {
		const t = await makeTree(db);
		const member = await makeMember(db, { unitId: t.branchA, passwordHash: null });
		expect(await archiveUnit(db, t.branchA)).toEqual({ ok: false, problem: 'has_active_members' });
		expect((await unitRow(t.branchA)).archived_at).toBeNull();
		await db.updateTable('member').set({ status: 'disabled' }).where('id', '=', member).execute();
		expect((await archiveUnit(db, t.branchA, 5)).ok).toBe(true);
	});

	it('refuses a unit with active children, and allows it once they are archived', async () => {
		const t = await makeTree(db);
		expect(await archiveUnit(db, t.general)).toEqual({ ok: false, problem: 'has_active_children' });
		expect((await archiveUnit(db, t.branchA, 1)).ok).toBe(true);
		expect(await archiveUnit(db, t.general)).toEqual({ ok: false, problem: 'has_active_children' });
		expect((await archiveUnit(db, t.branchB, 1)).ok).toBe(true);
		expect(await archiveUnit(db, t.general, 2)).toEqual({ ok: true, id: t.general });
		expect((await unitRow(t.general)).archived_at).toBe(2);
	});

	it('refuses the root and an unknown unit', async () => {
		const t = await makeTree(db);
		expect(await archiveUnit(db, t.root)).toEqual({ ok: false, problem: 'root_cannot_move' });
		expect(await archiveUnit(db, 9999)).toEqual({ ok: false, problem: 'not_found' });
		expect((await unitRow(t.root)).archived_at).toBeNull();
	});
});

describe('restoreUnit', () => {
	it('clears archived_at', async () => {
		const t = await makeTree(db);
		await archiveUnit(db, t.branchC, 10);
		expect(await restoreUnit(db, t.branchC)).toEqual({ ok: true, id: t.branchC });
		expect((await unitRow(t.branchC)).archived_at).toBeNull();
	});

	it('refuses while the parent is archived', async () => {
		const t = await makeTree(db);
		await archiveUnit(db, t.branchA, 1);
		await archiveUnit(db, t.branchB, 1);
		await archiveUnit(db, t.general, 2);
		expect(await restoreUnit(db, t.branchA)).toEqual({ ok: false, problem: 'parent_archived' });
		expect((await unitRow(t.branchA)).archived_at).toBe(1);
		expect((await restoreUnit(db, t.general)).ok).toBe(true);
		expect((await restoreUnit(db, t.branchA)).ok).toBe(true);
	});

	it('refuses when an active sibling took the name meanwhile', async () => {
		const t = await makeTree(db);
		await archiveUnit(db, t.branchC, 1);
		const created = await createUnit(db, { name: '机关支部', kind: 'branch', parentId: t.root });
		expect(created.ok).toBe(true);
		expect(await restoreUnit(db, t.branchC)).toEqual({ ok: false, problem: 'name_taken' });
		expect((await unitRow(t.branchC)).archived_at).toBe(1);
	});

	it('refuses an unknown unit', async () => {
		expect(await restoreUnit(db, 9999)).toEqual({ ok: false, problem: 'not_found' });
	});
});

describe('unitPaths', () => {
	it('joins names from the root down with /', () => {
		const paths = unitPaths([
			{ id: 3, name: '第一支部', parent_id: 2 },
			{ id: 1, name: '某县教育工委', parent_id: null },
			{ id: 2, name: '县第一中学党总支', parent_id: 1 },
			{ id: 4, name: '机关支部', parent_id: 1 }
		]);
		expect(paths.get(1)).toBe('某县教育工委');
		expect(paths.get(2)).toBe('某县教育工委/县第一中学党总支');
		expect(paths.get(3)).toBe('某县教育工委/县第一中学党总支/第一支部');
		expect(paths.get(4)).toBe('某县教育工委/机关支部');
		expect(paths.size).toBe(4);
	});

	it('starts at the unit when its parent is not in the list', () => {
		const paths = unitPaths([{ id: 7, name: '孤儿支部', parent_id: 99 }]);
		expect(paths.get(7)).toBe('孤儿支部');
	});

	it('terminates on a parent loop', () => {
		const paths = unitPaths([
			{ id: 1, name: 'A', parent_id: 2 },
			{ id: 2, name: 'B', parent_id: 1 }
		]);
		expect(paths.get(1)?.endsWith('B/A')).toBe(true);
		expect(paths.get(2)?.endsWith('/B')).toBe(true);
	});
});

describe('unitTree', () => {
	it('lists parents before children with depth and path', async () => {
		const t = await makeTree(db);
		const tree = await unitTree(db);
		expect(tree.map((u) => [u.id, u.depth, u.path])).toEqual([
			[t.root, 0, '测试党委'],
			[t.general, 1, '测试党委/测试总支'],
			[t.branchA, 2, '测试党委/测试总支/一支部'],
			[t.branchB, 2, '测试党委/测试总支/二支部'],
			[t.branchC, 1, '测试党委/机关支部']
		]);
	});

	it('orders siblings by sort_order before id', async () => {
		const t = await makeTree(db);
		await db.updateTable('unit').set({ sort_order: 1 }).where('id', '=', t.general).execute();
		await db.updateTable('unit').set({ sort_order: 1 }).where('id', '=', t.branchA).execute();
		const tree = await unitTree(db);
		expect(tree.map((u) => u.id)).toEqual([t.root, t.branchC, t.general, t.branchB, t.branchA]);
	});

	it('counts only active members of the unit itself', async () => {
		const t = await makeTree(db);
		await makeMember(db, { unitId: t.branchA, passwordHash: null });
		await makeMember(db, { unitId: t.branchA, passwordHash: null });
		await makeMember(db, { unitId: t.branchA, passwordHash: null, status: 'disabled' });
		await makeMember(db, { unitId: t.root, passwordHash: null });
		const counts = new Map((await unitTree(db)).map((u) => [u.id, u.memberCount]));
		expect(counts.get(t.branchA)).toBe(2);
		expect(counts.get(t.root)).toBe(1);
		expect(counts.get(t.general)).toBe(0);
		expect(counts.get(t.branchB)).toBe(0);
	});

	it('leaves archived units out unless asked', async () => {
		const t = await makeTree(db);
		await archiveUnit(db, t.branchB, 1);
		expect((await unitTree(db)).map((u) => u.id)).toEqual([t.root, t.general, t.branchA, t.branchC]);
		const all = await unitTree(db, { includeArchived: true });
		expect(all.map((u) => u.id)).toEqual([t.root, t.general, t.branchA, t.branchB, t.branchC]);
		expect(all.find((u) => u.id === t.branchB)?.archived_at).toBe(1);
	});

	it('puts the children of a hidden archived parent at the top', async () => {
		const root = await makeUnit(db, { name: '党委', kind: 'committee' });
		const gone = await makeUnit(db, { name: '旧总支', kind: 'general_branch', parentId: root, archivedAt: 1 });
		const child = await makeUnit(db, { name: '遗留支部', kind: 'branch', parentId: gone });
		const tree = await unitTree(db);
		expect(tree.map((u) => [u.id, u.depth])).toEqual([
			[root, 0],
			[child, 0]
		]);
	});

	it('starts at rootId with depth 0 and leaves the rest out', async () => {
		const t = await makeTree(db);
		const tree = await unitTree(db, { rootId: t.general });
		expect(tree.map((u) => [u.id, u.depth, u.path])).toEqual([
			[t.general, 0, '测试党委/测试总支'],
			[t.branchA, 1, '测试党委/测试总支/一支部'],
			[t.branchB, 1, '测试党委/测试总支/二支部']
		]);
		expect(await unitTree(db, { rootId: 9999 })).toEqual([]);
	});
});

describe('subtreeUnitIds', () => {
	it('returns the unit and everything below it, archived units included', async () => {
		const t = await makeTree(db);
		await archiveUnit(db, t.branchB, 1);
		expect((await subtreeUnitIds(db, t.general)).sort((a, b) => a - b)).toEqual([t.general, t.branchA, t.branchB].sort((a, b) => a - b));
		expect((await subtreeUnitIds(db, t.root)).sort((a, b) => a - b)).toEqual(
			[t.root, t.general, t.branchA, t.branchB, t.branchC].sort((a, b) => a - b)
		);
	});

	it('returns just the leaf for a leaf and nothing for an unknown id', async () => {
		const t = await makeTree(db);
		expect(await subtreeUnitIds(db, t.branchC)).toEqual([t.branchC]);
		expect(await subtreeUnitIds(db, 9999)).toEqual([]);
	});
});

describe('listUnits', () => {
	it('hides archived units unless asked', async () => {
		const t = await makeTree(db);
		await archiveUnit(db, t.branchC, 1);
		expect((await listUnits(db)).map((u) => u.id)).not.toContain(t.branchC);
		expect((await listUnits(db, { includeArchived: true })).map((u) => u.id)).toContain(t.branchC);
	});
});
