// Drops and creates the PostgreSQL database named by E2E_DATABASE_URL, so an end-to-end run on PostgreSQL starts
// from nothing, as the SQLite run does with a new file (playwright.config.ts). Connects to the server's
// `postgres` database to do it.
import { sql } from 'kysely';
import { openPostgres } from '../../src/lib/server/db/index';

const url = process.env.E2E_DATABASE_URL;
if (!url) throw new Error('E2E_DATABASE_URL is not set');
const target = new URL(url);
const name = decodeURIComponent(target.pathname.slice(1));
if (!/^kaoping_e2e\w*$/.test(name)) throw new Error(`refusing to drop ${name}: an end-to-end database is named kaoping_e2e…`);
target.pathname = '/postgres';
const admin = openPostgres(target.toString(), { max: 1 });
try {
	await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin.db);
	await sql`create database ${sql.id(name)}`.execute(admin.db);
} finally {
	await admin.db.destroy();
}
