import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { managementScope } from '../org/scope';
import { freshDatabase, makeTree, makeUnit } from '../testing/db';
import { childUnits, chooseUnit } from './unit-choice';

describe('choosing the units of a dashboard', () => {
	let db: Db;
	let tree: Awaited<ReturnType<typeof makeTree>>;
	const committee = { kind: 'all' } as const;

	beforeEach(async () => {
		({ db } = await freshDatabase());
		tree = await makeTree(db);
	});

	it('starts the committee at the whole organization and compares a smaller unit with it', async () => {
		const all = await chooseUnit(db, committee, { unitId: tree.root }, null);
		expect(all).toMatchObject({ allowAll: true, scope: { name: null, unitIds: undefined }, chosen: { id: null, unitIds: undefined }, compare: false });
		expect(typeof all === 'object' && all.options.map((o) => [o.name, o.depth])).toEqual([
			['测试党委', 0],
			['测试总支', 1],
			['一支部', 2],
			['二支部', 2],
			['机关支部', 1]
		]);
		const general = await chooseUnit(db, committee, { unitId: tree.root }, String(tree.general));
		expect(general).toMatchObject({ chosen: { id: tree.general, name: '测试总支' }, compare: true });
		expect(typeof general === 'object' && general.chosen.unitIds?.sort()).toEqual([tree.general, tree.branchA, tree.branchB].sort());
		// The only root is the whole organization: nothing to compare.
		expect(await chooseUnit(db, committee, { unitId: tree.root }, String(tree.root))).toMatchObject({ compare: false });
	});

	it('keeps a secretary inside their subtree', async () => {
		const scope = await managementScope(db, { unitId: tree.general, roles: ['member', 'secretary'] });
		const own = await chooseUnit(db, scope, { unitId: tree.general }, null);
		expect(own).toMatchObject({ allowAll: false, scope: { name: '测试总支' }, chosen: { id: tree.general }, compare: false });
		expect(typeof own === 'object' && own.options.map((o) => [o.id, o.depth])).toEqual([
			[tree.general, 0],
			[tree.branchA, 1],
			[tree.branchB, 1]
		]);
		expect(await chooseUnit(db, scope, { unitId: tree.general }, String(tree.branchA))).toMatchObject({ chosen: { id: tree.branchA, unitIds: [tree.branchA] }, compare: true });
		expect(await chooseUnit(db, scope, { unitId: tree.general }, String(tree.branchC))).toBe('forbidden');
		expect(await chooseUnit(db, scope, { unitId: tree.general }, String(tree.root))).toBe('forbidden');
	});

	it('does not know units that do not exist', async () => {
		expect(await chooseUnit(db, committee, { unitId: tree.root }, '999999')).toBe('not_found');
		expect(await chooseUnit(db, committee, { unitId: tree.root }, 'abc')).toBe('not_found');
		expect(await chooseUnit(db, { kind: 'none' }, { unitId: tree.root }, null)).toBe('forbidden');
	});

	it('lists a unit’s children with their subtrees, the single root standing for the organization', async () => {
		const children = await childUnits(db, null);
		expect(children.parent).toEqual({ id: tree.root, name: '测试党委' });
		expect(children.units.map((c) => [c.name, c.unitIds.length])).toEqual([
			['测试总支', 3],
			['机关支部', 1]
		]);
		expect((await childUnits(db, tree.branchA)).units).toEqual([]);
		// Two roots: the organization's children are the roots.
		await makeUnit(db, { name: '另一党委', kind: 'committee' });
		const two = await childUnits(db, null);
		expect(two.parent).toBeNull();
		expect(two.units.map((c) => c.name)).toEqual(['测试党委', '另一党委']);
	});
});
