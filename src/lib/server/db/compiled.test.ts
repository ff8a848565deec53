import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from './index';
import { compiledOnce } from './compiled';
import { freshDatabase, makeMember, makeTree } from '../testing/db';

let db: Db;
let unitId: number;
let members: number[];

beforeEach(async () => {
	db = (await freshDatabase()).db;
	unitId = (await makeTree(db)).branchA;
	members = [];
	for (const name of ['甲', '乙', '丙']) members.push(await makeMember(db, { unitId, name }));
});

describe('compiledOnce', () => {
	it('builds the query once and runs it with each call’s values, constants kept', async () => {
		let builds = 0;
		const named = compiledOnce((db: Db, id: number, unit: number) => {
			builds++;
			return db.selectFrom('member').select(['id', 'name']).where('id', '=', id).where('unit_id', '=', unit).where('status', '=', 'active');
		});
		expect((await named(db, members[0] as number, unitId)).rows).toEqual([{ id: members[0], name: '甲' }]);
		expect((await named(db, members[2] as number, unitId)).rows).toEqual([{ id: members[2], name: '丙' }]);
		expect((await named(db, members[1] as number, unitId + 1000)).rows).toEqual([]);
		await db.updateTable('member').set({ status: 'disabled' }).where('id', '=', members[1] as number).execute();
		expect((await named(db, members[1] as number, unitId)).rows).toEqual([]);
		expect(builds).toBe(1);
	});

	it('runs inside a transaction, whose writes it sees and which rolls it back', async () => {
		const rename = compiledOnce((db: Db, name: string, id: number) => db.updateTable('member').set({ name }).where('id', '=', id));
		const nameOf = compiledOnce((db: Db, id: number) => db.selectFrom('member').select('name').where('id', '=', id));
		const id = members[0] as number;
		await expect(
			db.transaction().execute(async (trx) => {
				const result = await rename(trx, '改名', id);
				expect(Number(result.numAffectedRows)).toBe(1);
				expect((await nameOf(trx, id)).rows).toEqual([{ name: '改名' }]);
				throw new Error('roll back');
			})
		).rejects.toThrow('roll back');
		expect((await nameOf(db, id)).rows).toEqual([{ name: '甲' }]);
		expect(Number((await rename(db, '新名', id)).numAffectedRows)).toBe(1);
		expect((await nameOf(db, id)).rows).toEqual([{ name: '新名' }]);
	});

	it('refuses a build that does not pass every argument to the query as a value', async () => {
		const looks = compiledOnce((db: Db, id: number, unused: number) => {
			void unused;
			return db.selectFrom('member').select('id').where('id', '=', id);
		});
		await expect(looks(db, 1, 2)).rejects.toThrow('uses 1 of its 2 arguments');
	});

	it('refuses a database whose plugins would change the SQL (withSchema)', async () => {
		const named = compiledOnce((db: Db, id: number) => db.selectFrom('member').select('name').where('id', '=', id));
		expect((await named(db, members[0] as number)).rows).toEqual([{ name: '甲' }]);
		await expect(named(db.withSchema('elsewhere'), members[0] as number)).rejects.toThrow('plugins');
	});
});
