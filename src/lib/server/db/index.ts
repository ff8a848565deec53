import { Kysely } from 'kysely';
import type SqliteDatabase from 'better-sqlite3';
import type pg from 'pg';
import { readConfig } from '../config';
import type { Database } from './schema';
import { KaopingSqliteDialect, openSqlite, sqlitePath } from './sqlite';
import { isPostgresUrl, openPostgresPool, postgresDialect } from './postgres';
import type { DialectName } from './dialect';

export type Db = Kysely<Database>;

export type OpenedSqlite = { dialect: 'sqlite'; db: Db; sqlite: SqliteDatabase.Database };

/**
 * A PostgreSQL database. `sqlite` is there so that SQLite-only code (benchmarks, WAL and file tests) that takes
 * the handle without asking fails at once with a clear message instead of running on the wrong database: its
 * type is `never` because reading it never returns. Ask `dialect` first.
 */
export type OpenedPostgres = { dialect: 'postgres'; db: Db; pool: pg.Pool; readonly sqlite: never };

export type OpenedDatabase = OpenedSqlite | OpenedPostgres;

export type { DialectName };

/**
 * Opens the configured database: `postgres://…` (or `postgresql://…`) is PostgreSQL through a connection pool;
 * anything else is a SQLite file path (`data/kaoping.db`, `file:…`, `sqlite:…`, `:memory:`).
 */
export function openDatabase(databaseUrl = readConfig().databaseUrl): OpenedDatabase {
	if (isPostgresUrl(databaseUrl)) return openPostgres(databaseUrl, { max: readConfig().databasePoolMax });
	const sqlite = openSqlite(sqlitePath(databaseUrl));
	return { dialect: 'sqlite', db: new Kysely<Database>({ dialect: new KaopingSqliteDialect(sqlite) }), sqlite };
}

export function openPostgres(databaseUrl: string, options: { max?: number } = {}): OpenedPostgres {
	const pool = openPostgresPool(databaseUrl, options);
	const db = new Kysely<Database>({ dialect: postgresDialect(pool) });
	return {
		dialect: 'postgres',
		db,
		pool,
		get sqlite(): never {
			throw new Error('this code needs SQLite (the better-sqlite3 handle), and DATABASE_URL is a PostgreSQL database');
		}
	};
}
