import { PostgresAdapter, sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import { emptyWriteAheadLog } from './sqlite';

// Where SQLite and PostgreSQL really differ, the difference lives here, one small function each, so that the
// domain modules keep one query for both databases. Every function takes the Kysely instance (or transaction)
// the query runs on and asks it which database it is.

export type DialectName = 'sqlite' | 'postgres';

/** Which database this Kysely instance (or transaction) talks to. */
export function dialectOf(db: Kysely<any>): DialectName {
	return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

export function isPostgres(db: Kysely<any>): boolean {
	return dialectOf(db) === 'postgres';
}

/**
 * The non-null values of `expression` in a group, joined with `separator`, in no particular order (null for an
 * empty group): SQLite's group_concat, PostgreSQL's string_agg (which wants text, hence the cast).
 */
export function stringAgg(db: Kysely<any>, expression: Expression<unknown> | RawBuilder<unknown>, separator: string): RawBuilder<string | null> {
	return isPostgres(db)
		? sql<string | null>`string_agg(cast(${expression} as text), ${sql.lit(separator)})`
		: sql<string | null>`group_concat(${expression}, ${sql.lit(separator)})`;
}

/**
 * Makes the rest of a transaction wait for any other transaction holding one of the same locks, until it ends:
 * for check-then-write code (does the member have an attempt? how many failures so far?) that must see the
 * writes of a transaction running at the same moment.
 *
 * SQLite needs nothing: every transaction here begins immediate (db/sqlite.ts), so writing transactions run one
 * at a time already. PostgreSQL runs them side by side (read committed), so this takes transaction-scoped
 * advisory locks on (space, key), hashed to integers; a hash collision only makes two unrelated transactions
 * wait for each other. Keys are taken in one order, so two transactions locking the same keys cannot deadlock.
 * Call it first in the transaction, before anything is read.
 */
export async function lockKeys(trx: Kysely<any>, space: string, keys: readonly (string | number)[]): Promise<void> {
	if (!isPostgres(trx)) return;
	for (const key of [...new Set(keys.map(String))].sort()) {
		await sql`select pg_advisory_xact_lock(hashtext(${space}), hashtext(${key}))`.execute(trx);
	}
}

/**
 * Deletes the rows of `table` whose `scope` column equals `value` and writes them again in the order of `key`,
 * inside the caller's transaction. For the ballot tables (evaluations/ballots.ts, README.md beside it), so that
 * where a row sits says nothing about when it was first written.
 *
 * - SQLite: the rows go through one JSON text and back, so that the statements' text never changes (one prepared
 *   statement each) and no row crosses into JavaScript one by one.
 * - PostgreSQL: one statement, a delete whose returned rows are inserted again sorted by the key (the sort reads
 *   every deleted row before the first insert). The new row versions are written one after another in key
 *   order, and all of them carry this transaction's id (xmin), so neither their place (ctid) nor their
 *   transaction id follows the order of writing. The deleted versions stay in the table until vacuum.
 */
export async function rewriteInKeyOrder(
	trx: Kysely<any>,
	table: string,
	scope: { column: string; value: number },
	key: string,
	columns: readonly string[]
): Promise<void> {
	const t = sql.table(table);
	const scopeColumn = sql.ref(scope.column);
	const all = [scope.column, ...columns];
	const list = sql.join(all.map((c) => sql.ref(c)));
	if (isPostgres(trx)) {
		await sql`with old as (delete from ${t} where ${scopeColumn} = ${scope.value} returning ${list})
			insert into ${t} (${list}) select ${list} from old order by ${sql.ref(key)}`.execute(trx);
		return;
	}
	const own = sql.join(columns.map((c) => sql.ref(c)));
	const { rows } = await sql<{ rows: string }>`select json_group_array(json_array(${own})) as rows from ${t} where ${scopeColumn} = ${scope.value}`.execute(trx);
	await sql`delete from ${t} where ${scopeColumn} = ${scope.value}`.execute(trx);
	const values = sql.join(columns.map((_, i) => sql`value ->> ${sql.lit(i)}`));
	const keyIndex = columns.indexOf(key);
	await sql`insert into ${t} (${list}) select ${scope.value}, ${values} from json_each(${rows[0]?.rows ?? '[]'}) order by value ->> ${sql.lit(keyIndex)}`.execute(trx);
}

/**
 * Makes the database forget the earlier versions of rows that were rewritten or deleted, as far as the database
 * itself can: for the ballot tables after each ballot (evaluations/README.md), where an earlier version would say
 * which rows were written together.
 *
 * - SQLite: the write-ahead log is what keeps them (a ballot's commit holds its pages); it is emptied
 *   (emptyWriteAheadLog in db/sqlite.ts). The tables need nothing: rows deleted are wiped inside their pages
 *   (secure_delete = FAST).
 * - PostgreSQL: an update or delete leaves the old row version, with its transaction id, in the table's pages
 *   until vacuum, and a plain VACUUM frees the space without clearing its bytes. VACUUM FULL writes each table
 *   anew with its live rows only (and its indexes) and drops the old files. It keeps the versions a transaction
 *   still running may see, and skips a table another transaction is writing (SKIP_LOCKED: waiting for it would
 *   make every reader of the table queue behind the vacuum); the next call, by the next ballot or the hourly
 *   clean-up, takes what was left. It cannot run inside a transaction. No session setting (a lock timeout), so
 *   it stays right behind PgBouncer in transaction mode. It locks each table against every campaign's reads and
 *   writes while it copies it, and writes the whole table to the WAL again.
 * - Never throws once called outside a transaction: a failure is logged (no row) and the next call catches up.
 */
export async function forgetOldRowVersions(db: Kysely<any>, tables: readonly string[]): Promise<void> {
	// Neither database can do it inside a transaction (VACUUM refuses; a checkpoint waits for it to end).
	if (db.isTransaction) throw new Error('forgetOldRowVersions runs after the transaction has committed');
	try {
		if (isPostgres(db)) await sql`vacuum (full, skip_locked) ${sql.join(tables.map((t) => sql.table(t)))}`.execute(db);
		else await emptyWriteAheadLog(db);
	} catch (e) {
		// Called after the rows it is about have been committed and acknowledged: never their failure. The
		// message names the statement's trouble (a lost connection, a full disk), never a row.
		console.error(`kaoping: forgetting the old row versions of ${tables.join(', ')} failed: ${e instanceof Error ? e.message : String(e)}`);
	}
}

/**
 * After rows were written with their ids given (db/copy.ts), new rows must get ids after the largest one. SQLite's
 * AUTOINCREMENT follows the largest id written by itself; PostgreSQL's serial sequence has to be set. Does nothing
 * for a table whose `id` is not serial (a session's id is text).
 */
export async function continueIdsAfter(db: Kysely<any>, table: string): Promise<void> {
	if (!isPostgres(db)) return;
	const { rows } = await sql<{ seq: string | null }>`select pg_get_serial_sequence(${table}, 'id') as seq`.execute(db);
	const seq = rows[0]?.seq;
	if (!seq) return;
	await sql`select setval(${seq}, coalesce(max(id), 1), max(id) is not null) from ${sql.table(table)}`.execute(db);
}

/**
 * Runs `work` while no other app server runs it: for the start-up (is the database empty? then seed the demo),
 * which several servers starting together over one PostgreSQL would otherwise all do. PostgreSQL: a
 * transaction-scoped advisory lock held open on one connection while `work` runs on the others (transaction-scoped,
 * so it also holds behind PgBouncer in transaction mode). SQLite: `work` as it is, since one file has one server.
 */
export async function withStartupLock<T>(db: Kysely<any>, work: () => Promise<T>): Promise<T> {
	if (!isPostgres(db)) return work();
	return db.transaction().execute(async (trx) => {
		await sql`select pg_advisory_xact_lock(hashtext('kaoping'), hashtext('start-up'))`.execute(trx);
		return work();
	});
}

/**
 * `expression like pattern escape '\'`, ignoring the case of letters: SQLite's like already ignores ASCII case;
 * PostgreSQL's does not, and its ilike does (for other letters too, which only widens a search).
 */
export function likeIgnoringCase(db: Kysely<any>, expression: Expression<unknown> | RawBuilder<unknown>, pattern: string): RawBuilder<boolean> {
	return isPostgres(db) ? sql<boolean>`${expression} ilike ${pattern} escape '\\'` : sql<boolean>`${expression} like ${pattern} escape '\\'`;
}
