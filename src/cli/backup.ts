// npm run db:backup -- <file> — an online, consistent copy of the SQLite database while the server runs.
import { readConfig } from '../lib/server/config';
import { backupSqlite } from '../lib/server/db/backup';
import { sqlitePath } from '../lib/server/db/sqlite';

const target = process.argv[2];
if (!target) {
	console.error('usage: npm run db:backup -- <file>');
	process.exit(2);
}
const source = sqlitePath(readConfig().databaseUrl);
try {
	const { ms, pages } = await backupSqlite(source, target);
	console.log(`backed up ${source} to ${target}: ${pages} pages in ${ms} ms, integrity ok`);
} catch (e) {
	console.error(e instanceof Error ? e.message : e);
	process.exitCode = 1;
}
