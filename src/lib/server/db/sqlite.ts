import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type DialectAdapter, type Driver } from 'kysely';

/**
 * Opens a SQLite file with the pragmas a server wants.
 *
 * - journal_mode=WAL: readers never wait for the writer, and a backup can be taken while the server runs.
 * - synchronous=FULL: in WAL mode NORMAL can lose the last commits on a power cut or an OS crash. An answer
 *   the server has acknowledged must never be lost, so every commit waits for its fsync. The cost (one
 *   fsync per commit) is measured by the benchmarks, not guessed.
 * - foreign_keys=ON: SQLite leaves them off unless asked, per connection.
 * - busy_timeout=5000: a second process (backup, a command-line task) waits up to 5 s for the write lock
 *   instead of failing at once.
 */
export function openSqlite(file: string): SqliteDatabase.Database {
	if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
	const sqlite = new SqliteDatabase(file);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	return sqlite;
}

/**
 * Every Kysely transaction here writes, and most read first (check, then change). A deferred `begin` takes
 * the write lock only at the first write, and another process's writer in between makes the upgrade fail
 * with SQLITE_BUSY no matter the busy timeout. `begin immediate` takes the write lock up front, so the
 * busy timeout applies and the read-then-write sees a stable database.
 */
class ImmediateSqliteDriver extends SqliteDriver {
	override async beginTransaction(connection: DatabaseConnection): Promise<void> {
		await connection.executeQuery(CompiledQuery.raw('begin immediate'));
	}
}

/**
 * SQLite runs schema changes inside transactions perfectly well, but Kysely's adapter says it does not, so
 * its migrator would run each migration without one and a failure halfway would leave half a migration behind.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
	override get supportsTransactionalDdl(): boolean {
		return true;
	}
}

export class KaopingSqliteDialect extends SqliteDialect {
	override createAdapter(): DialectAdapter {
		return new TransactionalDdlSqliteAdapter();
	}
	readonly #database: SqliteDatabase.Database;
	constructor(database: SqliteDatabase.Database) {
		const cached = withStatementCache(database);
		super({ database: cached });
		this.#database = cached;
	}
	override createDriver(): Driver {
		return new ImmediateSqliteDriver({ database: this.#database });
	}
}

/** Prepared statements kept for reuse, at most this many (the oldest is dropped first). */
const statementCacheSize = 500;

/**
 * Kysely's SQLite driver prepares every query anew; parsing and planning the same SQL again was a tenth of the
 * autosave endpoint's CPU time (npm run bench:autosave). The same SQL text gets the same prepared statement.
 * Safe because better-sqlite3 runs one statement at a time to completion; the exception, a statement still
 * being iterated, comes only from Kysely's `.stream()`, which this project does not use.
 */
function withStatementCache(database: SqliteDatabase.Database): SqliteDatabase.Database {
	const cache = new Map<string, SqliteDatabase.Statement>();
	const prepare = (sql: string): SqliteDatabase.Statement => {
		let statement = cache.get(sql);
		if (!statement) {
			if (cache.size >= statementCacheSize) cache.delete(cache.keys().next().value as string);
			statement = database.prepare(sql);
			cache.set(sql, statement);
		}
		return statement;
	};
	// Only what Kysely's driver calls: prepare and close.
	return { prepare, close: () => database.close() } as unknown as SqliteDatabase.Database;
}

/** `data/x.db`, `file:data/x.db` or `sqlite:data/x.db` to a file path. */
export function sqlitePath(databaseUrl: string): string {
	return databaseUrl.replace(/^(sqlite|file):(\/\/)?/, '');
}
