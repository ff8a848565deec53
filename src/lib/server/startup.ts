import { takeExpectedLists } from './analytics/expected';
import type { Db } from './db';
import { readConfig } from './config';
import { forgetOldRowVersions, withStartupLock } from './db/dialect';
import { migrateToLatest } from './db/migrate';
import { generateTemporaryPassword } from './auth/password';
import { deleteExpiredSessions } from './auth/session';
import { forgetOldFailures } from './auth/throttle';
import { forgetOldDevices } from './auth/device';
import { demoSignIns, isDatabaseEmpty, seedDemo } from './demo/seed';
import { loadStarterBank } from './bank/starter';
import { submitExpired } from './exams/attempts';
import { seedDemoExams } from './demo/exams';
import { seedDemoEvaluations } from './demo/evaluations';
import { ballotTables } from './evaluations/ballots';

/** How often expired attempts are submitted; pages and saves also submit an expired attempt they touch. */
export const sweepIntervalMs = 10_000;

/**
 * What the server does before it takes its first request: migrate, seed the demo, schedule clean-up and the
 * sweep. Returns what stops the scheduled work, for the server's shutdown.
 */
export async function startUp(db: Db): Promise<() => void> {
	const config = readConfig();
	const applied = await migrateToLatest(db);
	if (applied.length > 0) console.log(`kaoping: applied migrations ${applied.join(', ')}`);
	// Several servers starting together over one PostgreSQL: one seeds, the others then find the database full.
	await withStartupLock(db, async () => {
		if (config.demo && (await isDatabaseEmpty(db))) {
			const password = config.demoPassword ?? generateTemporaryPassword();
			const counts = await seedDemo(db, password);
			const bank = await loadStarterBank(db);
			const exams = await seedDemoExams(db);
			console.log(`kaoping: demo tests created (${exams.exams} tests, ${exams.attempts} past attempts).`);
			const evaluations = await seedDemoEvaluations(db);
			console.log(`kaoping: demo evaluations created (${evaluations.campaigns} campaigns, ${evaluations.ballots} ballots).`);
			console.log(demoBanner(password, { ...counts, questions: bank.created }, config.demoPassword === undefined));
		} else if (!config.demo && (await isDatabaseEmpty(db))) {
			console.log('kaoping: the database is empty. Create the first committee account with `npm run committee:create`.');
		}
	});
	const cleanUp = async () => {
		await deleteExpiredSessions(db);
		await forgetOldFailures(db);
		await forgetOldDevices(db);
		// Each ballot drops its tables' earlier row versions, except those a transaction running then could
		// still see (evaluations/README.md); this drops those too, whatever the last ballot left.
		await forgetOldRowVersions(db, ballotTables);
	};
	await cleanUp();
	const cleaning = setInterval(() => void cleanUp().catch((e) => console.error('kaoping: clean-up failed', e)), 60 * 60 * 1000).unref();
	// The sweeper: attempts whose time ran out are submitted with what was saved, even if the member never comes
	// back. Every server may run it at once; submitAttempt's conditional update submits each attempt once.
	// The same sweep takes the expected list of each test whose window has just closed (analytics/expected.ts).
	const sweep = () =>
		void submitExpired(db)
			.then((submitted) => {
				// A count only, never who: the servers' counts add up to each expired attempt submitted once.
				if (submitted > 0) console.log(`kaoping: the sweep submitted ${submitted} expired attempt(s).`);
				return takeExpectedLists(db);
			})
			.catch((e) => console.error('kaoping: submitting expired attempts failed', e));
	sweep();
	const sweeping = setInterval(sweep, sweepIntervalMs).unref();
	return () => {
		clearInterval(cleaning);
		clearInterval(sweeping);
	};
}

export function demoBanner(password: string, counts: { units: number; members: number; questions: number }, generated: boolean): string {
	return [
		'',
		`kaoping: demo organization created (${counts.units} units, ${counts.members} members, ${counts.questions} starter questions).`,
		`  password for every demo account: ${password}${generated ? '  (generated now and shown only this once; set KAOPING_DEMO_PASSWORD to choose it)' : ''}`,
		`  committee: ${demoSignIns.committee}`,
		`  secretary: ${demoSignIns.secretary}  (第一中学教师第一支部)`,
		`  member:    ${demoSignIns.member}`,
		`  Turn the demo off on a real installation with KAOPING_DEMO=off.`,
		''
	].join('\n');
}
