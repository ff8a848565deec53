import { Kysely } from 'kysely';
import type SqliteDatabase from 'better-sqlite3';
import { readConfig } from '../config';
import type { Database } from './schema';
import { KaopingSqliteDialect, openSqlite, sqlitePath } from './sqlite';

export type Db = Kysely<Database>;

export type OpenedDatabase = { db: Db; sqlite: SqliteDatabase.Database };

/** Opens the configured database. PostgreSQL arrives with its own issue; until then only SQLite. */
export function openDatabase(databaseUrl = readConfig().databaseUrl): OpenedDatabase {
	if (/^postgres(ql)?:/.test(databaseUrl)) {
		throw new Error('DATABASE_URL: PostgreSQL is not supported yet; use a SQLite file path.');
	}
	const sqlite = openSqlite(sqlitePath(databaseUrl));
	return { db: new Kysely<Database>({ dialect: new KaopingSqliteDialect(sqlite) }), sqlite };
}
