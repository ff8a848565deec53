import { Kysely, sql } from 'kysely';
import { openPostgres, type OpenedPostgres } from '../db/index';
import { migrateToLatest } from '../db/migrate';
import { testServerUrl } from './test-server';

// Unit tests on PostgreSQL (npm run test:unit:pg). Running the real migrations takes about 300 ms on
// PostgreSQL, minutes over some 800 tests; instead they run once per test run into a template database
// (globalSetup, pg-global-setup.ts), and every fresh database is a copy of it: `create database … template …`
// copies it in about 40 ms. The copies are dropped after their test (pg-cleanup.ts) behind the next tests (a
// drop takes 150–300 ms, a checkpoint), and whatever is left is dropped when the run ends.

/** Do the unit tests run on PostgreSQL? For the few SQLite-only tests (WAL, pragmas, the file's bytes) to skip. */
export const onPostgres = testServerUrl() !== undefined;

/** The same server, another database on it. */
export function databaseUrl(serverUrl: string, database: string): string {
	const url = new URL(serverUrl);
	url.pathname = `/${database}`;
	return url.toString();
}

/** Every database of one test run starts with this (the run's id), so the end of the run can find them all. */
export const runPrefix = (runId: string) => `kaoping_test_${runId}`;

/** A connection to the maintenance database, for create and drop database (which no transaction may hold). */
export function maintenance(serverUrl: string): { db: Kysely<any>; close: () => Promise<void> } {
	const opened = openPostgres(serverUrl, { max: 1 });
	return { db: opened.db as Kysely<any>, close: () => opened.db.destroy() };
}

export async function createDatabase(db: Kysely<any>, name: string, template?: string): Promise<void> {
	await sql`create database ${sql.id(name)}${template ? sql` template ${sql.id(template)}` : sql``}`.execute(db);
}

/** `with (force)` ends connections a test left open (PostgreSQL 13 and later). */
export async function dropDatabase(db: Kysely<any>, name: string): Promise<void> {
	await sql`drop database if exists ${sql.id(name)} with (force)`.execute(db);
}

/**
 * pg's pool.end() resolves once it has asked its connections to close, not once they have: a forced drop right
 * away would end them itself, and the pool would report each as a lost connection. So the drop waits (up to a
 * second) for the database's last connection to go.
 */
async function dropWhenClosed(db: Kysely<any>, name: string): Promise<void> {
	for (let i = 0; i < 50; i++) {
		const { rows } = await sql<{ n: number }>`select count(*) as n from pg_stat_activity where datname = ${name}`.execute(db);
		if (Number(rows[0]?.n ?? 0) === 0) break;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	await dropDatabase(db, name);
}

/** Builds the run's template database with the real migrations; returns its name. */
export async function buildTemplate(serverUrl: string, runId: string): Promise<string> {
	const name = `${runPrefix(runId)}_template`;
	const admin = maintenance(serverUrl);
	try {
		await dropDatabase(admin.db, name);
		await createDatabase(admin.db, name);
	} finally {
		await admin.close();
	}
	const opened = openPostgres(databaseUrl(serverUrl, name), { max: 1 });
	try {
		await migrateToLatest(opened.db);
	} finally {
		// A template may have no connection open while it is copied.
		await opened.db.destroy();
	}
	return name;
}

/** Drops every database the run made, the template last. */
export async function dropRunDatabases(serverUrl: string, runId: string): Promise<void> {
	const admin = maintenance(serverUrl);
	try {
		const prefix = runPrefix(runId);
		const { rows } = await sql<{ datname: string }>`select datname from pg_database where starts_with(datname, ${prefix}) order by datname = ${`${prefix}_template`}`.execute(admin.db);
		for (const { datname } of rows) await dropDatabase(admin.db, datname);
	} finally {
		await admin.close();
	}
}

type Fresh = { name: string; opened: OpenedPostgres; perTest: boolean };

let admin: ReturnType<typeof maintenance> | undefined;
let made = 0;
const open: Fresh[] = [];
/** Drops run one after the other behind the tests (each takes a checkpoint, a few hundred milliseconds). */
let drops: Promise<void> = Promise.resolve();

/** A copy of the run's template under a new name, opened; closed and dropped after the test (or file) that made it. */
export async function freshPostgres(serverUrl: string, runId: string, template: string, perTest: boolean): Promise<OpenedPostgres> {
	admin ??= maintenance(serverUrl);
	const name = `${runPrefix(runId)}_${process.pid}_${++made}`;
	await createDatabase(admin.db, name, template);
	const opened = openPostgres(databaseUrl(serverUrl, name), { max: 4 });
	open.push({ name, opened, perTest });
	return opened;
}

/**
 * Closes the databases made during the test just run (perTest), or all of them (at the end of a file), and
 * queues their drops. A test that closed its database itself is fine: the pool is ended once.
 */
export async function releaseFresh(all: boolean): Promise<void> {
	for (let i = open.length - 1; i >= 0; i--) {
		const fresh = open[i] as Fresh;
		if (!all && !fresh.perTest) continue;
		open.splice(i, 1);
		if (!fresh.opened.pool.ended) await fresh.opened.db.destroy();
		// Kysely ends the pool only if it used it; a test may have queried through a Kysely of its own on the
		// same pool (save-batch.test.ts).
		if (!fresh.opened.pool.ending) await fresh.opened.pool.end();
		const admin_ = admin;
		if (admin_) drops = drops.then(() => dropWhenClosed(admin_.db, fresh.name)).catch(() => {});
	}
	if (all) {
		await drops;
		await admin?.close();
		admin = undefined;
	}
}
