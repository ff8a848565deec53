import { describe, expect, it } from 'vitest';
import { freshDatabase, makeTree, makeUnit } from '../testing/db';
import { dataVersion, memo } from './memo';

describe('memo', () => {
	it('keeps a value until the database is written to', async () => {
		const { db } = await freshDatabase();
		let runs = 0;
		const compute = async () => ++runs;
		expect(await memo(db, 'k', compute)).toBe(1);
		expect(await memo(db, 'k', compute)).toBe(1);
		// Another key is computed on its own.
		expect(await memo(db, 'other', compute)).toBe(2);
		await makeUnit(db);
		expect(await memo(db, 'k', compute)).toBe(3);
		expect(await memo(db, 'k', compute)).toBe(3);
	});

	it('sees updates and deletes, not only inserts', async () => {
		const { db } = await freshDatabase();
		const { branchA } = await makeTree(db);
		const before = await dataVersion(db);
		await db.updateTable('unit').set({ name: '改名' }).where('id', '=', branchA).execute();
		const renamed = await dataVersion(db);
		expect(renamed).not.toBe(before);
		// Reading changes nothing.
		await db.selectFrom('unit').selectAll().execute();
		expect(await dataVersion(db)).toBe(renamed);
	});

	it('keeps each database apart, even at the same count of changes', async () => {
		const one = (await freshDatabase()).db;
		const two = (await freshDatabase()).db;
		expect(await dataVersion(one)).toBe(await dataVersion(two));
		await memo(one, 'k', async () => 'one');
		expect(await memo(two, 'k', async () => 'two')).toBe('two');
	});

	it('does not keep a failure', async () => {
		const { db } = await freshDatabase();
		await expect(memo(db, 'k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		expect(await memo(db, 'k', async () => 'ok')).toBe('ok');
	});
});
