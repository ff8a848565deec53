import { existsSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { openSqlite } from './sqlite';

/**
 * An online, consistent copy of a SQLite database, taken while the server keeps writing.
 *
 * `VACUUM INTO` reads the whole database inside one read transaction, so the copy is exactly one committed
 * state; in WAL mode the server's writers go on meanwhile. (SQLite's page-by-page backup API was tried first:
 * it restarts whenever another connection writes, and under a steady stream of autosaves it never finished.)
 * The copy is integrity-checked and left as a single self-contained file, with no -wal beside it.
 */
export async function backupSqlite(source: string, target: string): Promise<{ ms: number; pages: number }> {
	if (existsSync(target)) throw new Error(`${target} exists already; choose a new file name`);
	if (!existsSync(source)) throw new Error(`no database at ${source}`);
	const sqlite = openSqlite(source);
	try {
		const started = Date.now();
		sqlite.prepare('vacuum into ?').run(target);
		const copy = new SqliteDatabase(target);
		try {
			copy.pragma('journal_mode = DELETE');
			const result = copy.pragma('integrity_check', { simple: true });
			if (result !== 'ok') throw new Error(`integrity check of the copy failed: ${String(result)}`);
			const pages = Number(copy.pragma('page_count', { simple: true }));
			return { ms: Date.now() - started, pages };
		} finally {
			copy.close();
		}
	} finally {
		sqlite.close();
	}
}
