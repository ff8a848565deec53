// npm run db:seed — writes the demo organization into an empty database (migrating it first).
import { readConfig } from '../lib/server/config';
import { generateTemporaryPassword } from '../lib/server/auth/password';
import { openDatabase } from '../lib/server/db/index';
import { migrateToLatest } from '../lib/server/db/migrate';
import { isDatabaseEmpty, seedDemo } from '../lib/server/demo/seed';
import { loadStarterBank } from '../lib/server/bank/starter';
import { seedDemoExams } from '../lib/server/demo/exams';
import { seedDemoEvaluations } from '../lib/server/demo/evaluations';
import { demoBanner } from '../lib/server/startup';

const config = readConfig();
const { db } = openDatabase(config.databaseUrl);
try {
	await migrateToLatest(db);
	if (!(await isDatabaseEmpty(db))) {
		console.error('The database already has an organization; the demo goes only into an empty database.');
		process.exitCode = 1;
	} else {
		const password = config.demoPassword ?? generateTemporaryPassword();
		const counts = await seedDemo(db, password);
		const bank = await loadStarterBank(db);
		await seedDemoExams(db);
		await seedDemoEvaluations(db);
		console.log(demoBanner(password, { ...counts, questions: bank.created }, config.demoPassword === undefined));
	}
} finally {
	await db.destroy();
}
