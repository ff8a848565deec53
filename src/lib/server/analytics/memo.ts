import { SqliteAdapter, sql } from 'kysely';
import type { Db } from '../db';

// Every dashboard reads the same few aggregates of the whole organization (counted results grouped by unit and
// score, points per area, who was expected), and each viewer's numbers are sums over their units' share of them.
// Computing them takes SQLite on two cores about half a second for 10,000 members × 8 quarters (ranking 80,000
// attempts and sorting 600,000 area rows for GROUP BY; measured for issue 6), while nothing they depend on changes
// between two looks at a dashboard. So they are kept until the database is written to, and then computed afresh.
//
// "Written to" is exact for SQLite, not a guess from timestamps: total_changes() counts every row this server's
// connection has inserted, updated or deleted, and `pragma data_version` changes when another connection (a
// command-line import, a restore) commits. Any write at all (an autosave too) starts over, which costs a recompute
// and never a stale number. Other databases have no such cheap counter: there nothing is kept.

type Entry = { version: string; values: Map<string, Promise<unknown>> };

const kept = new WeakMap<Db, Entry>();

/** A string that changes whenever the database's content may have; null where it cannot be known cheaply. */
export async function dataVersion(db: Db): Promise<string | null> {
	if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return null;
	// One connection (Kysely's SQLite driver), so both readings come from the connection that does the writing.
	const { rows } = await sql<{ changes: number }>`select total_changes() as changes`.execute(db);
	const { rows: data } = await sql<{ data_version: number }>`pragma data_version`.execute(db);
	return `${rows[0]?.changes}:${data[0]?.data_version}`;
}

/**
 * `compute()` once per database version and key. The version is read before computing: a write during the
 * computation makes the kept value outdated at once, so the next caller computes again.
 */
export async function memo<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
	const version = await dataVersion(db);
	if (version === null) return compute();
	let entry = kept.get(db);
	if (!entry || entry.version !== version) {
		entry = { version, values: new Map() };
		kept.set(db, entry);
	}
	const found = entry.values.get(key);
	if (found) return found as Promise<T>;
	const value = compute();
	entry.values.set(key, value);
	// A failed computation is not kept.
	const values = entry.values;
	value.catch(() => values.delete(key));
	return value;
}
