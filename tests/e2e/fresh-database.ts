import pg from 'pg';

// `tsx tests/e2e/fresh-database.ts postgres://…/kaoping_e2e_4600`: drops the named PostgreSQL database and
// creates it empty, so an end-to-end run on PostgreSQL starts from nothing, as a run on SQLite starts from a
// deleted file (playwright.config.ts runs this before the server, which migrates and seeds the demo).
// Connections other runs left open (a killed server) are closed by `with (force)` (PostgreSQL 13 and later).

const target = new URL(process.argv[2] ?? '');
const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
// The name is spliced into the statements (a database name cannot be a parameter): only plain names.
if (!/^kaoping_e2e_[a-z0-9_]+$/.test(name)) {
	console.error(`fresh-database: expected a postgres://…/kaoping_e2e_… URL, got ${process.argv[2] ?? 'nothing'}`);
	process.exit(2);
}
const maintenance = new URL(target);
maintenance.pathname = '/postgres';
const client = new pg.Client({ connectionString: maintenance.href });
await client.connect();
try {
	await client.query(`drop database if exists "${name}" with (force)`);
	// C.UTF-8 whatever the server's default: text then sorts by code point, as on SQLite, and the pages' orders match.
	await client.query(`create database "${name}" template template0 locale 'C.UTF-8'`);
	console.log(`fresh-database: ${name} created empty`);
} finally {
	await client.end();
}
