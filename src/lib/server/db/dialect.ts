import { PostgresAdapter, sql, type Expression, type Kysely, type RawBuilder } from 'kysely';

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
