// npm run db:backup -- <file> — an online, consistent copy of the SQLite database while the server runs.
import { readConfig } from '../lib/server/config';
import { backupSqlite } from '../lib/server/db/backup';
import { sqlitePath } from '../lib/server/db/sqlite';
import { isPostgresUrl } from '../lib/server/db/postgres';

const target = process.argv[2];
if (!target) {
	console.error('usage: npm run db:backup -- <file>');
	process.exit(2);
}
const { databaseUrl } = readConfig();
// A PostgreSQL server is backed up with its own tools; this would otherwise look for a file named like the URL.
if (isPostgresUrl(databaseUrl)) {
	console.error('DATABASE_URL is a PostgreSQL database: back it up with pg_dump (or the server\'s own backups).');
	process.exit(2);
}
const source = sqlitePath(databaseUrl);
try {
	const { ms, pages } = await backupSqlite(source, target);
	console.log(`backed up ${source} to ${target}: ${pages} pages in ${ms} ms, integrity ok`);
} catch (e) {
	console.error(e instanceof Error ? e.message : e);
	process.exitCode = 1;
}
