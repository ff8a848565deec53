import pg from 'pg';
import { PostgresDialect } from 'kysely';

// PostgreSQL through Kysely's PostgresDialect and a `pg` connection pool.

/** `postgres://…` or `postgresql://…`: anything else is a SQLite file. */
export function isPostgresUrl(databaseUrl: string): boolean {
	return /^postgres(ql)?:\/\//i.test(databaseUrl);
}

/** A database URL fit to print: the password, if any, replaced by asterisks. */
export function withoutPassword(databaseUrl: string): string {
	return databaseUrl.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

const int8 = 20;

/**
 * Timestamps are integer milliseconds in `bigint` columns, and count(*) and sum() of integers are `bigint` too.
 * `pg` returns bigint as a string (it may not fit a JavaScript number); every such value here is far below 2^53,
 * so it is parsed into a number, as SQLite returns it. A value that would lose precision throws instead of being
 * silently rounded. `numeric` (sum of a bigint, avg) stays a string; the code wraps such results in Number().
 */
function parseInt8(value: string): number {
	const n = Number(value);
	if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${value} does not fit a JavaScript number`);
	return n;
}

/** Type parsers for this project's pools only (not pg's global table, which other code in the process shares). */
const types = {
	getTypeParser(oid: number, format?: 'text' | 'binary') {
		if (oid === int8 && format !== 'binary') return parseInt8;
		return pg.types.getTypeParser(oid, format);
	}
} as pg.CustomTypesConfig;

export function openPostgresPool(connectionString: string, options: { max?: number } = {}): pg.Pool {
	const pool = new pg.Pool({ connectionString, types, max: options.max ?? 10 });
	// An idle connection that the server drops (a restart, a killed backend) is reported here; without a
	// listener the pool's 'error' event would end the process. The next query opens a new connection.
	pool.on('error', (error) => console.error(`PostgreSQL connection lost: ${error.message}`));
	return pool;
}

export function postgresDialect(pool: pg.Pool): PostgresDialect {
	return new PostgresDialect({ pool });
}
