// npm run db:migrate — applies pending migrations to the configured database (DATABASE_URL).
import { openDatabase } from '../lib/server/db/index';
import { migrateToLatest } from '../lib/server/db/migrate';

const { db } = openDatabase();
try {
	const applied = await migrateToLatest(db);
	console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
} catch (e) {
	console.error(e instanceof Error ? e.message : e);
	process.exitCode = 1;
} finally {
	await db.destroy();
}
