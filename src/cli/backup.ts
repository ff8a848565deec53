// npm run db:backup -- <file> — an online, consistent copy of the SQLite database while the server runs.
// SQLite's backup API copies page by page and restarts if a writer changes a page it has copied, so the copy is
// one consistent state; in WAL mode the server keeps serving reads and writes meanwhile.
import { existsSync } from 'node:fs';
import { readConfig } from '../lib/server/config';
import { openSqlite, sqlitePath } from '../lib/server/db/sqlite';

const target = process.argv[2];
if (!target) {
	console.error('usage: npm run db:backup -- <file>');
	process.exit(2);
}
if (existsSync(target)) {
	console.error(`${target} exists already; choose a new file name`);
	process.exit(2);
}
const source = sqlitePath(readConfig().databaseUrl);
if (!existsSync(source)) {
	console.error(`no database at ${source}`);
	process.exit(1);
}
const sqlite = openSqlite(source);
try {
	const started = Date.now();
	await sqlite.backup(target);
	const check = openSqlite(target);
	const result = check.pragma('integrity_check', { simple: true });
	// The copy keeps WAL mode; fold the log into the file so the backup is one self-contained file.
	check.pragma('wal_checkpoint(TRUNCATE)');
	check.pragma('journal_mode = DELETE');
	check.close();
	if (result !== 'ok') throw new Error(`integrity check of the copy failed: ${String(result)}`);
	console.log(`backed up ${source} to ${target} in ${Date.now() - started} ms (integrity: ok)`);
} catch (e) {
	console.error(e instanceof Error ? e.message : e);
	process.exitCode = 1;
} finally {
	sqlite.close();
}
