import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupSqlite } from './backup';
import { openDatabase } from './index';
import { migrateToLatest } from './migrate';
import { openSqlite } from './sqlite';
import { onPostgres } from '../testing/db';

// Writes pairs of rows, one transaction per pair, until killed; says "go" once it has begun.
const writerScript = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.pragma('journal_mode = WAL');
db.pragma('busy_timeout = 5000');
const insert = db.prepare('insert into unit (name, kind, parent_id, created_at) values (?, ?, ?, ?)');
const pair = db.transaction((i) => { insert.run('丙' + i, 'branch', Number(process.argv[2]), i); insert.run('丁' + i, 'branch', Number(process.argv[2]), i); });
let i = 0;
const tick = () => { for (let k = 0; k < 20; k++) pair(i++); if (i === 20) process.stdout.write('go'); setImmediate(tick); };
tick();
`;

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'kaoping-backup-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

// SQLite only (a copy of the database file): skipped on PostgreSQL (npm run test:unit:pg), backed up with pg_dump.
describe.skipIf(onPostgres)('backupSqlite', () => {
	it('copies a database that another connection keeps writing to, consistently', async () => {
		const source = join(dir, 'live.db');
		const { db } = openDatabase(source);
		await migrateToLatest(db);
		const unit = await db.insertInto('unit').values({ name: '党委', kind: 'committee', parent_id: null, archived_at: null, created_at: 1 }).returning('id').executeTakeFirstOrThrow();
		// A writer in another process, as the running server would be, committing pairs of rows in one
		// transaction each: a consistent copy never holds half a pair.
		const seed = openSqlite(source);
		const insert = seed.prepare('insert into unit (name, kind, parent_id, created_at) values (?, ?, ?, ?)');
		seed.transaction(() => {
			for (let i = 0; i < 20000; i++) {
				insert.run(`甲${i}`, 'branch', unit.id, i);
				insert.run(`乙${i}`, 'branch', unit.id, i);
			}
		})();
		seed.close();
		const writer = spawn(process.execPath, ['-e', writerScript, source, String(unit.id)], { stdio: ['ignore', 'pipe', 'inherit'] });
		await new Promise((resolve) => writer.stdout.once('data', resolve)); // it has started writing
		const result = await backupSqlite(source, join(dir, 'copy.db'));
		const exited = new Promise((resolve) => writer.once('exit', resolve));
		writer.kill('SIGTERM');
		await exited;
		expect(result.pages).toBeGreaterThan(200);

		const copy = new SqliteDatabase(join(dir, 'copy.db'), { readonly: true });
		const rows = copy.prepare("select count(*) as n from unit where kind = 'branch'").get() as { n: number };
		expect(rows.n % 2).toBe(0);
		expect(rows.n).toBeGreaterThanOrEqual(40000);
		expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
		copy.close();
		// The writer went on during and after the copy: the source has more pairs than the copy.
		const live = await db.selectFrom('unit').select(db.fn.countAll<number>().as('n')).where('kind', '=', 'branch').executeTakeFirstOrThrow();
		expect(Number(live.n)).toBeGreaterThan(rows.n);
		await db.destroy();
	});

	it('refuses to overwrite an existing file and reports a missing source', async () => {
		const source = join(dir, 'a.db');
		openSqlite(source).close();
		await expect(backupSqlite(source, source)).rejects.toThrow(/exists already/);
		await expect(backupSqlite(join(dir, 'missing.db'), join(dir, 'b.db'))).rejects.toThrow(/no database/);
	});
});
