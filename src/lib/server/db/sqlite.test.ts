import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from './index';
import { migrateToLatest } from './migrate';
import { emptyWriteAheadLog, walSyncCount } from './sqlite';
import { onPostgres } from '../testing/db';

// The driver acknowledges a commit only after fsyncing the write-ahead log, off the JavaScript thread, and lets
// commits that arrive during one fsync share the next. These tests use a real file: in memory there is no log.
// SQLite only: skipped when the unit tests run on PostgreSQL (npm run test:unit:pg), which has none of this.

let dir: string;
let opened: OpenedDatabase;

beforeEach(async () => {
	dir = mkdtempSync(join(tmpdir(), 'kaoping-sqlite-'));
	opened = openDatabase(join(dir, 'x.db'));
	await migrateToLatest(opened.db);
});

afterEach(async () => {
	await opened.db.destroy();
	rmSync(dir, { recursive: true, force: true });
});

const unit = (name: string) => ({ name, kind: 'branch' as const, parent_id: null, archived_at: null, created_at: 1 });

describe.skipIf(onPostgres)('durable SQLite driver', () => {
	it('fsyncs the log before a commit or a write outside a transaction resolves', async () => {
		const before = walSyncCount(opened.sqlite);
		await opened.db.transaction().execute((trx) => trx.insertInto('unit').values(unit('甲')).execute());
		expect(walSyncCount(opened.sqlite)).toBe(before + 1);
		await opened.db.insertInto('unit').values(unit('乙')).execute();
		expect(walSyncCount(opened.sqlite)).toBe(before + 2);
		// Reads and writes that change nothing need no fsync.
		await opened.db.selectFrom('unit').selectAll().execute();
		await opened.db.deleteFrom('unit').where('name', '=', '没有').execute();
		expect(walSyncCount(opened.sqlite)).toBe(before + 2);
	});

	it('lets commits that land during one fsync share the next, and every one is kept', async () => {
		const before = walSyncCount(opened.sqlite);
		const names = Array.from({ length: 40 }, (_, i) => `单位${i}`);
		await Promise.all(names.map((name) => opened.db.transaction().execute((trx) => trx.insertInto('unit').values(unit(name)).execute())));
		const syncs = walSyncCount(opened.sqlite) - before;
		expect(syncs).toBeGreaterThanOrEqual(1);
		expect(syncs).toBeLessThan(names.length);
		const stored = await opened.db.selectFrom('unit').select('name').where('name', 'in', names).execute();
		expect(stored).toHaveLength(names.length);
	});

	it('hands the connection on after a commit, and a rollback still releases it', async () => {
		await expect(
			opened.db.transaction().execute(async (trx) => {
				await trx.insertInto('unit').values(unit('回滚')).execute();
				throw new Error('changed my mind');
			})
		).rejects.toThrow('changed my mind');
		const [first, second] = await Promise.all([
			opened.db.transaction().execute((trx) => trx.insertInto('unit').values(unit('一')).returning('id').executeTakeFirstOrThrow()),
			opened.db.selectFrom('unit').select('name').execute()
		]);
		expect(first.id).toBeGreaterThan(0);
		expect(second.map((u) => u.name)).not.toContain('回滚');
		expect(await opened.db.selectFrom('unit').select('name').where('name', '=', '回滚').execute()).toEqual([]);
	});
});

describe.skipIf(onPostgres)('emptyWriteAheadLog', () => {
	it('moves what was committed into the database file and leaves an empty log; gives way to a reader at once', async () => {
		const file = join(dir, 'x.db');
		await opened.db.insertInto('unit').values(unit('甲')).execute();
		expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
		expect(await emptyWriteAheadLog(opened.db)).toBe(true);
		expect(statSync(`${file}-wal`).size).toBe(0);
		// The database file alone now holds the commit (as after a power cut that lost the log).
		copyFileSync(file, join(dir, 'alone.db'));
		const alone = new SqliteDatabase(join(dir, 'alone.db'), { readonly: true });
		expect(alone.prepare('select name from unit').all()).toEqual([{ name: '甲' }]);
		alone.close();

		// Another connection in a read transaction (a backup's VACUUM INTO): the log cannot be emptied, and the
		// call returns without waiting out busy_timeout (5 s) on the JavaScript thread.
		const reader = new SqliteDatabase(file);
		reader.prepare('begin').run();
		reader.prepare('select count(*) from unit').get();
		await opened.db.insertInto('unit').values(unit('乙')).execute();
		const started = Date.now();
		expect(await emptyWriteAheadLog(opened.db)).toBe(false);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
		reader.prepare('commit').run();
		reader.close();
		// The busy timeout is back for everything else, and the next call empties the log.
		expect(opened.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
		expect(await emptyWriteAheadLog(opened.db)).toBe(true);
		expect(statSync(`${file}-wal`).size).toBe(0);
		expect(await opened.db.selectFrom('unit').select('name').orderBy('name').execute()).toHaveLength(2);
	});

	it('does nothing on a database in memory', async () => {
		const memory = openDatabase(':memory:');
		expect(await emptyWriteAheadLog(memory.db)).toBe(false);
		await memory.db.destroy();
	});
});
