import { mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, SqliteAdapter, SqliteDialect, sql, type DatabaseConnection, type DialectAdapter, type Driver, type Kysely, type QueryResult } from 'kysely';

/**
 * Opens a SQLite file with the pragmas a server wants.
 *
 * - journal_mode=WAL: readers never wait for the writer, and a backup can be taken while the server runs.
 * - synchronous=NORMAL, with the fsync done by DurableSqliteDriver below: an answer the server has acknowledged
 *   must survive a power cut, so no commit resolves before the write-ahead log is on disk. SQLite's own
 *   synchronous=FULL would do that fsync inside COMMIT, on the one JavaScript thread, and the whole server
 *   would stand still for every flush (a fifth of the autosave endpoint's time, npm run bench:autosave).
 * - foreign_keys=ON: SQLite leaves them off unless asked, per connection.
 * - busy_timeout=5000: a second process (backup, a command-line task) waits up to 5 s for the write lock
 *   instead of failing at once.
 * - secure_delete=FAST: the bytes of a deleted or moved row are zeroed where that costs no extra write (inside
 *   the pages being written anyway). Without it, stale copies of rows stay in the free space of pages, and
 *   rewriting ballots in key order (evaluations/ballots.ts) would leave their earlier, time-ordered places
 *   readable in the file (evaluations/README.md). Freed whole pages are not zeroed in FAST mode; they are
 *   zeroed when used again.
 */
export function openSqlite(file: string): SqliteDatabase.Database {
	if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
	const sqlite = new SqliteDatabase(file);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('synchronous = NORMAL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
	sqlite.pragma('secure_delete = FAST');
	return sqlite;
}

const busyTimeoutMs = 5000;

/**
 * Copies the write-ahead log into the database file and empties the log (wal_checkpoint(TRUNCATE)), if nothing
 * stands in the way; returns whether the log is now empty. Called after each ballot: the log holds every recent
 * commit, page by page and in order, and two commits in a row show which participation row and which ballot
 * arrived together (evaluations/README.md). An empty log shows nothing.
 *
 * - Durable: SQLite fsyncs the log before copying it and the database file after (synchronous=NORMAL does both
 *   for checkpoints), so what was committed stays committed. The log is truncated in place and keeps its inode,
 *   so WalSync's open handle stays good.
 * - Never waits: busy_timeout is 0 for this one statement, so a reader in another process (a backup's VACUUM
 *   INTO) makes it return at once after copying what it could, instead of holding the JavaScript thread for
 *   up to 5 s; the next call empties the log.
 * - Not free: the fsyncs run on the JavaScript thread, which DurableSqliteDriver otherwise avoids (about 2–3 ms
 *   median and 15 ms at the 95th percentile per call on the development machine, anonymity.test.ts).
 * - Does nothing on an in-memory database or another dialect.
 */
export async function emptyWriteAheadLog(db: Kysely<any>): Promise<boolean> {
	if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return false;
	return db.connection().execute(async (connection) => {
		await sql`pragma busy_timeout = 0`.execute(connection);
		try {
			const { rows } = await sql<{ busy: number; log: number }>`pragma wal_checkpoint(truncate)`.execute(connection);
			return rows[0]?.busy === 0 && rows[0]?.log === 0;
		} finally {
			await sql.raw(`pragma busy_timeout = ${busyTimeoutMs}`).execute(connection);
		}
	});
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
	readonly #database: SqliteDatabase.Database;
	constructor(database: SqliteDatabase.Database) {
		super({ database });
		this.#database = database;
	}
	override createAdapter(): DialectAdapter {
		return new TransactionalDdlSqliteAdapter();
	}
	override createDriver(): Driver {
		return new DurableSqliteDriver(this.#database);
	}
}

/**
 * Kysely's SQLite driver, with three changes.
 *
 * - Every commit (and every write outside a transaction) resolves only after the write-ahead log has been
 *   fsynced, as synchronous=FULL would, but the fsync runs on libuv's thread pool (WalSync), so requests keep
 *   being served meanwhile, and commits that land during one fsync share the next.
 * - A committed transaction hands the connection to the next caller before its fsync finishes: the next
 *   transaction appends to the log behind it, and a log that is on disk up to some commit holds every commit
 *   before it, so nothing is acknowledged out of order. A reader may see a commit a few milliseconds before it
 *   is durable; only acknowledgements wait.
 * - `begin immediate`: every transaction here writes and most read first (check, then change). A deferred
 *   `begin` takes the write lock only at the first write, and another process's writer in between makes the
 *   upgrade fail with SQLITE_BUSY no matter the busy timeout. Immediate takes it up front.
 */
class DurableSqliteDriver implements Driver {
	readonly #database: SqliteDatabase.Database;
	readonly #mutex = new ConnectionMutex();
	readonly #connection: CachedSqliteConnection;
	readonly #walSync: WalSync | null;

	constructor(database: SqliteDatabase.Database) {
		this.#database = database;
		const wal = !database.memory && String(database.pragma('journal_mode', { simple: true })).toLowerCase() === 'wal';
		this.#walSync = wal ? new WalSync(`${database.name}-wal`) : null;
		if (this.#walSync) walSyncs.set(database, this.#walSync);
		this.#connection = new CachedSqliteConnection(database, this.#walSync);
	}
	async init(): Promise<void> {}
	async acquireConnection(): Promise<DatabaseConnection> {
		await this.#mutex.lock();
		return new Lease(this.#connection);
	}
	async beginTransaction(lease: DatabaseConnection): Promise<void> {
		await lease.executeQuery(CompiledQuery.raw('begin immediate'));
		this.#connection.inTransaction = true;
	}
	async commitTransaction(lease: DatabaseConnection): Promise<void> {
		await lease.executeQuery(CompiledQuery.raw('commit'));
		this.#connection.inTransaction = false;
		// The commit is in the log; the next caller may go on while this one waits for the disk.
		this.#release(lease);
		await this.#walSync?.sync();
	}
	async rollbackTransaction(lease: DatabaseConnection): Promise<void> {
		await lease.executeQuery(CompiledQuery.raw('rollback'));
		this.#connection.inTransaction = false;
	}
	async savepoint(lease: DatabaseConnection, name: string): Promise<void> {
		await lease.executeQuery(CompiledQuery.raw(`savepoint ${quoteName(name)}`));
	}
	async rollbackToSavepoint(lease: DatabaseConnection, name: string): Promise<void> {
		await lease.executeQuery(CompiledQuery.raw(`rollback to ${quoteName(name)}`));
	}
	async releaseSavepoint(lease: DatabaseConnection, name: string): Promise<void> {
		await lease.executeQuery(CompiledQuery.raw(`release ${quoteName(name)}`));
	}
	async releaseConnection(lease: DatabaseConnection): Promise<void> {
		this.#release(lease);
	}
	async destroy(): Promise<void> {
		await this.#walSync?.close();
		this.#database.close();
	}
	/** Once per lease: a commit releases early, and Kysely's own release afterwards must not free the next holder. */
	#release(lease: DatabaseConnection): void {
		if (!(lease instanceof Lease) || lease.released) return;
		lease.released = true;
		this.#mutex.unlock();
	}
}

const quoteName = (name: string) => `"${name.replaceAll('"', '""')}"`;

const walSyncs = new WeakMap<SqliteDatabase.Database, WalSync>();

/** How many times the write-ahead log of this database has been fsynced by its driver (tests, benchmarks). */
export function walSyncCount(database: SqliteDatabase.Database): number {
	return walSyncs.get(database)?.count ?? 0;
}

/** One holder's use of the single connection, so that releasing it twice frees it once. */
class Lease implements DatabaseConnection {
	released = false;
	constructor(readonly connection: CachedSqliteConnection) {}
	executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
		return this.connection.executeQuery<R>(query);
	}
	streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
		throw new Error('streaming is not used in this project');
	}
}

/** Prepared statements kept for reuse, at most this many (the oldest is dropped first). */
const statementCacheSize = 500;

/**
 * Kysely's SQLite driver prepares every query anew; parsing and planning the same SQL again was a tenth of the
 * autosave endpoint's CPU time (npm run bench:autosave). The same SQL text gets the same prepared statement.
 * Safe because better-sqlite3 runs one statement at a time to completion (this project does not stream).
 */
class CachedSqliteConnection {
	/** Set by the driver between begin and the end of commit or rollback. */
	inTransaction = false;
	readonly #cache = new Map<string, SqliteDatabase.Statement>();
	constructor(
		readonly database: SqliteDatabase.Database,
		readonly walSync: WalSync | null
	) {}

	async executeQuery<R>({ sql, parameters }: CompiledQuery): Promise<QueryResult<R>> {
		const statement = this.#prepare(sql);
		if (statement.reader) return { rows: statement.all(parameters) as R[] };
		const { changes, lastInsertRowid } = statement.run(parameters);
		// A write outside a transaction commits by itself: durable before it resolves, like a commit. (The
		// transaction's own begin, commit and rollback run with inTransaction set and are handled by the driver.)
		if (changes > 0 && !this.inTransaction && !this.database.inTransaction) await this.walSync?.sync();
		return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
	}

	#prepare(sql: string): SqliteDatabase.Statement {
		let statement = this.#cache.get(sql);
		if (!statement) {
			if (this.#cache.size >= statementCacheSize) this.#cache.delete(this.#cache.keys().next().value as string);
			statement = this.database.prepare(sql);
			this.#cache.set(sql, statement);
		}
		return statement;
	}
}

/**
 * fdatasync of the write-ahead log, off the JavaScript thread, shared: a caller whose commit landed while a
 * sync was running waits for the next one (the running one may have started before its commit was written),
 * and all callers that arrive meanwhile share that next one.
 *
 * The log file keeps its inode while this process has the database open: SQLite deletes it only when the last
 * connection closes, and checkpoints rewrite or truncate it in place.
 */
class WalSync {
	/** fsyncs done, for tests and benchmarks. */
	count = 0;
	#running: Promise<void> | undefined;
	#next: Promise<void> | undefined;
	#file: Promise<FileHandle> | undefined;
	constructor(readonly path: string) {}

	sync(): Promise<void> {
		if (!this.#running) {
			this.#running = this.#flush().finally(() => (this.#running = undefined));
			return this.#running;
		}
		this.#next ??= this.#running.then(
			() => this.#startNext(),
			() => this.#startNext()
		);
		return this.#next;
	}

	async close(): Promise<void> {
		const file = this.#file;
		this.#file = undefined;
		await (await file?.catch(() => undefined))?.close();
	}

	#startNext(): Promise<void> {
		this.#next = undefined;
		return this.sync();
	}

	async #flush(): Promise<void> {
		this.#file ??= open(this.path, 'r+');
		await (await this.#file).datasync();
		this.count++;
	}
}

class ConnectionMutex {
	#held: Promise<void> | undefined;
	#unlock: (() => void) | undefined;
	async lock(): Promise<void> {
		while (this.#held) await this.#held;
		this.#held = new Promise((done) => (this.#unlock = done));
	}
	unlock(): void {
		const unlock = this.#unlock;
		this.#held = undefined;
		this.#unlock = undefined;
		unlock?.();
	}
}

/** `data/x.db`, `file:data/x.db` or `sqlite:data/x.db` to a file path. */
export function sqlitePath(databaseUrl: string): string {
	return databaseUrl.replace(/^(sqlite|file):(\/\/)?/, '');
}
