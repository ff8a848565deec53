import { describe, expect, it } from 'vitest';
import { freshDatabase, onPostgres } from '../testing/db';
import { withStartupLock } from './dialect';

describe('withStartupLock', () => {
	it('lets one server at a time through the start-up on PostgreSQL', async (ctx) => {
		ctx.skip(!onPostgres, "SQLite: one file has one server; the lock is PostgreSQL's");
		const { db } = await freshDatabase();
		const events: string[] = [];
		// Two servers are two connections of the pool here: the lock is PostgreSQL's, whichever process asks.
		const work = (name: string) => async () => {
			events.push(`${name} in`);
			await new Promise((done) => setTimeout(done, 150));
			events.push(`${name} out`);
			return name;
		};
		expect(await Promise.all([withStartupLock(db, work('a')), withStartupLock(db, work('b'))])).toEqual(['a', 'b']);
		expect([events[0]?.split(' ')[0], events[1]?.split(' ')[0]]).toEqual([events[0]?.split(' ')[0], events[0]?.split(' ')[0]]);
		expect(events[1]).toMatch(/ out$/);
	});

	it('passes what the work returns and what it throws', async () => {
		const { db } = await freshDatabase();
		expect(await withStartupLock(db, async () => 42)).toBe(42);
		await expect(withStartupLock(db, async () => Promise.reject(new Error('seed failed')))).rejects.toThrow('seed failed');
	});
});
