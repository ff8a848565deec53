import { Migrator, type MigrationResultSet } from 'kysely';
import type { Db } from './index';
import { migrations } from './migrations';

function migrator(db: Db) {
	return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

/** Applies pending migrations; throws (and applies none of the failing one) when one fails. */
export async function migrateToLatest(db: Db): Promise<string[]> {
	return applied(await migrator(db).migrateToLatest());
}

export async function migrateDown(db: Db): Promise<string[]> {
	return applied(await migrator(db).migrateDown());
}

function applied({ error, results }: MigrationResultSet): string[] {
	if (error) {
		const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
		throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, {
			cause: error
		});
	}
	return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
