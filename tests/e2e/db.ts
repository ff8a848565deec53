import Database from 'better-sqlite3';
import pg from 'pg';
import { e2eDatabaseUrl } from '../../playwright.config';

// The e2e server's database, for the tests that compare the pages' numbers with the stored rows and for the few
// that add rows the app has no page for (one-time codes, a report PDF). The same SQL runs on both databases the
// suite can use: the SQLite file (the default) and the run's PostgreSQL database (E2E_DATABASE=postgres). So the
// statements here are written in the SQL both accept: `?` placeholders (numbered for PostgreSQL below), double
// quotes around mixed-case aliases (PostgreSQL folds unquoted names to lower case), every selected column grouped
// or aggregated, no group_concat, no integer division where a fraction is meant.

export { e2eDatabaseUrl };

const onPostgres = /^postgres(ql)?:\/\//i.test(e2eDatabaseUrl);

/**
 * bigint (timestamps in ms, count(*), sums of integers) and numeric (sums of fractions) come from `pg` as strings,
 * since they may not fit a JavaScript number; SQLite gives numbers. The tests compare with numbers, so both are
 * parsed here, and a bigint that would lose precision throws rather than being rounded.
 */
const int8 = 20;
const numeric = 1700;
const types = {
	getTypeParser(oid: number, format?: 'text' | 'binary') {
		if (format !== 'binary' && oid === int8)
			return (value: string) => {
				const n = Number(value);
				if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${value} does not fit a JavaScript number`);
				return n;
			};
		if (format !== 'binary' && oid === numeric) return (value: string) => Number(value);
		return pg.types.getTypeParser(oid, format);
	}
} as pg.CustomTypesConfig;

// One small pool per test worker; idle connections close and let the worker exit.
let pool: pg.Pool | undefined;
function postgres(): pg.Pool {
	pool ??= new pg.Pool({ connectionString: e2eDatabaseUrl, types, max: 2, idleTimeoutMillis: 1_000, allowExitOnIdle: true });
	return pool;
}

/** `?` → `$1, $2, …`, outside quoted strings and names (a `?` inside '…' or "…" is text, not a parameter). */
export function numberPlaceholders(sqlText: string): string {
	let out = '';
	let quote: string | null = null;
	let n = 0;
	for (const ch of sqlText) {
		if (quote) {
			if (ch === quote) quote = null;
			out += ch;
		} else if (ch === "'" || ch === '"') {
			quote = ch;
			out += ch;
		} else if (ch === '?') out += `$${++n}`;
		else out += ch;
	}
	return out;
}

type Param = string | number | bigint | Buffer | null;

function withSqlite<T>(readonly: boolean, work: (db: Database.Database) => T): T {
	// The server writes while tests read: wait for its lock rather than failing at once.
	const db = new Database(e2eDatabaseUrl, { readonly, fileMustExist: true, timeout: 10_000 });
	try {
		return work(db);
	} finally {
		db.close();
	}
}

/** Every row of a query. */
export async function e2eRows<T>(sqlText: string, ...params: Param[]): Promise<T[]> {
	if (onPostgres) return (await postgres().query(numberPlaceholders(sqlText), params)).rows as T[];
	return withSqlite(true, (db) => db.prepare(sqlText).all(...params) as T[]);
}

/** The first row of a query; a query that finds nothing is an error in the test, said here rather than later. */
export async function e2eRow<T>(sqlText: string, ...params: Param[]): Promise<T> {
	const [row] = await e2eRows<T>(sqlText, ...params);
	if (row === undefined) throw new Error(`e2eRow: no row for ${sqlText} [${params.join(', ')}]`);
	return row;
}

/** A write (insert, update); the number of rows it changed. */
export async function e2eRun(sqlText: string, ...params: Param[]): Promise<number> {
	if (onPostgres) return (await postgres().query(numberPlaceholders(sqlText), params)).rowCount ?? 0;
	return withSqlite(false, (db) => db.prepare(sqlText).run(...params).changes);
}
