// npm run db:copy -- <from> <to> — moves an installation between databases: each a SQLite file path or a
// postgres:// URL (as DATABASE_URL takes them). The target is migrated and must hold no data; the copy is one
// transaction and its row counts are checked table by table (src/lib/server/db/copy.ts). Stop the servers first.
import { copyDatabase, CopyRefused } from '../lib/server/db/copy';
import { openDatabase } from '../lib/server/db/index';
import { withoutPassword } from '../lib/server/db/postgres';

const [from, to] = process.argv.slice(2);
if (!from || !to || process.argv.length > 4) {
	console.error('usage: npm run db:copy -- <from> <to>   (each a SQLite file path or a postgres:// URL)');
	process.exit(2);
}
if (from === to) {
	console.error('db:copy: <from> and <to> are the same database');
	process.exit(2);
}

const source = openDatabase(from).db;
const target = openDatabase(to).db;
const started = performance.now();
try {
	let total = 0;
	await copyDatabase(source, target, ({ table, rows }) => {
		total += rows;
		console.log(`${table.padEnd(28)} ${String(rows).padStart(10)}`);
	});
	console.log(`copied ${total} rows from ${withoutPassword(from)} to ${withoutPassword(to)} in ${((performance.now() - started) / 1000).toFixed(1)} s; row counts match`);
} catch (e) {
	console.error(`db:copy: ${e instanceof CopyRefused ? 'refused: ' : ''}${e instanceof Error ? e.message : String(e)}`);
	process.exitCode = 1;
} finally {
	await Promise.all([source.destroy(), target.destroy()]);
}
