import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeExpectedLists } from '../analytics/expected';
import { loadStarterBank } from '../bank/starter';
import { seedDemoEvaluations } from '../demo/evaluations';
import { seedDemoExams } from '../demo/exams';
import { seedDemo } from '../demo/seed';
import { freshDatabase } from '../testing/db';
import { copyDatabase, copyOrder, CopyRefused } from './copy';
import { openDatabase, type Db } from './index';
import { migrateToLatest } from './migrate';

// db:copy on real databases: the demo organization (tests, attempts, ballots, a report file) copied table by table
// and compared row by row; refusals; a failure halfway leaving the target as it was.

const dir = mkdtempSync(join(tmpdir(), 'kaoping-copy-'));
let source: Db;

/** Every row of every table, in key order (sorted here: PostgreSQL's collation orders text keys its own way). */
async function contents(db: Db): Promise<Record<string, unknown[]>> {
	const out: Record<string, unknown[]> = {};
	for (const { table, key } of copyOrder) {
		const rows = (await (db as Kysely<any>).selectFrom(table).selectAll().execute()).map((row) =>
			Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v]))
		);
		const sortKey = (row: Record<string, unknown>) => JSON.stringify(key.map((k) => row[k]));
		out[table] = rows.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
	}
	return out;
}

beforeAll(async () => {
	({ db: source } = openDatabase(join(dir, 'source.db')));
	await migrateToLatest(source);
	await seedDemo(source, 'copy-Test-Password-2026');
	await loadStarterBank(source);
	await seedDemoExams(source);
	await seedDemoEvaluations(source);
	// The expected lists of the closed demo tests, as the server's sweep takes them.
	await takeExpectedLists(source);
	const target = await source.selectFrom('evaluation_target').select('id').orderBy('id').executeTakeFirstOrThrow();
	await source.insertInto('evaluation_report_file').values({ target_id: target.id, file_name: '述学报告.pdf', content: new Uint8Array([0, 1, 2, 255, 37, 80]), uploaded_at: Date.now() }).onConflict((oc) => oc.doNothing()).execute();
}, 120_000);

afterAll(async () => {
	await source.destroy();
	rmSync(dir, { recursive: true, force: true });
});

describe('db:copy', () => {
	it('lists every table of the schema with its primary key', async () => {
		// SQLite's catalogue (PostgreSQL builds the same tables from the same migrations).
		const { db } = openDatabase(':memory:');
		await migrateToLatest(db);
		const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name`.execute(db);
		expect(copyOrder.map((t) => t.table).sort()).toEqual(tables.rows.map((r) => r.name));
		for (const { table, key } of copyOrder) {
			const columns = await sql<{ name: string; pk: number }>`select name, pk from pragma_table_info(${table})`.execute(db);
			const pk = columns.rows.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
			expect(pk, table).toEqual(key);
		}
	});

	it('copies a seeded installation row for row, ids continuing after the copy', async () => {
		const { db: target } = openDatabase(join(dir, 'copy.db'));
		const copied = await copyDatabase(source, target);
		expect(copied.map((c) => c.table)).toEqual(copyOrder.map((t) => t.table));
		const before = await contents(source);
		for (const table of ['unit', 'member', 'question_version', 'attempt_item', 'exam_result', 'exam_expected', 'evaluation_ballot', 'evaluation_receipt', 'evaluation_report_file']) expect(before[table]?.length, table).toBeGreaterThan(0);
		expect(await contents(target)).toEqual(before);
		expect(copied.find((c) => c.table === 'attempt_item')?.rows).toBe(before.attempt_item?.length);
		// A new unit gets the next id, not one already taken.
		const top = await target.selectFrom('unit').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
		const unit = await target.insertInto('unit').values({ name: '新单位', kind: 'branch', parent_id: null, archived_at: null, created_at: Date.now() }).returning('id').executeTakeFirstOrThrow();
		expect(unit.id).toBeGreaterThan(Number(top.id));
		await target.destroy();
	});

	it('goes to the test database and back (PostgreSQL under npm run test:unit:pg) with equal contents', async () => {
		const { db: middle } = await freshDatabase();
		await copyDatabase(source, middle);
		const { db: back } = openDatabase(join(dir, 'back.db'));
		await copyDatabase(middle, back);
		const expected = await contents(source);
		expect(await contents(middle)).toEqual(expected);
		expect(await contents(back)).toEqual(expected);
		await back.destroy();
	});

	it('refuses a target that holds data, and a source behind on migrations, changing nothing', async () => {
		const { db: target } = openDatabase(join(dir, 'twice.db'));
		await copyDatabase(source, target);
		const before = await contents(target);
		await expect(copyDatabase(source, target)).rejects.toThrow(/table unit has \d+ rows/);
		await expect(copyDatabase(source, target)).rejects.toBeInstanceOf(CopyRefused);
		expect(await contents(target)).toEqual(before);
		await target.destroy();

		const { db: bare } = openDatabase(':memory:');
		const { db: empty } = openDatabase(':memory:');
		await expect(copyDatabase(bare, empty)).rejects.toThrow(/not on the latest migration \(0 of \d+ applied\)/);
	});

	it('takes a target where only the migrations ran, and leaves it as it was when the copy fails halfway', async () => {
		const { db: target } = openDatabase(join(dir, 'halfway.db'));
		await migrateToLatest(target);
		const migrated = await contents(target);
		expect(migrated.content_area?.length).toBeGreaterThan(0);
		// The last table refuses its rows: everything before it was written in the same transaction.
		await sql`create trigger refuse before insert on evaluation_receipt begin select raise(abort, 'refused by the test'); end`.execute(target);
		await expect(copyDatabase(source, target)).rejects.toThrow(/refused by the test/);
		expect(await contents(target)).toEqual(migrated);
		await sql`drop trigger refuse`.execute(target);
		await copyDatabase(source, target);
		expect(await contents(target)).toEqual(await contents(source));
		await target.destroy();
	});
});
