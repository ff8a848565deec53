// npm run bench:auth — sign-ins and session validations per second on this machine, through the real
// functions on a real SQLite file (WAL, synchronous=FULL), as the server runs them.
// Prints figures; it passes or fails nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../../src/lib/server/auth/password';
import { validateSessionToken } from '../../src/lib/server/auth/session';
import { signIn } from '../../src/lib/server/auth/sign-in';
import { openDatabase } from '../../src/lib/server/db/index';
import { migrateToLatest } from '../../src/lib/server/db/migrate';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const members = 200;
const password = 'Bench-Password-2026';

const dir = mkdtempSync(join(tmpdir(), 'kaoping-bench-'));
const { db } = openDatabase(join(dir, 'bench.db'));

async function run(label: string, work: (worker: number, i: number) => Promise<void>): Promise<number> {
	const deadline = Date.now() + seconds * 1000;
	let done = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async (_, worker) => {
			for (let i = 0; Date.now() < deadline; i++) {
				await work(worker, i);
				done++;
			}
		})
	);
	const rate = done / ((performance.now() - started) / 1000);
	console.log(`${label}: ${done} in ${seconds} s with ${concurrency} concurrent → ${rate.toFixed(1)}/s`);
	return rate;
}

try {
	await migrateToLatest(db);
	const now = Date.now();
	const unit = await db.insertInto('unit').values({ name: '基准党委', kind: 'committee', parent_id: null, archived_at: null, created_at: now }).returning('id').executeTakeFirstOrThrow();
	const hash = await hashPassword(password);
	await db
		.insertInto('member')
		.values(
			Array.from({ length: members }, (_, i) => ({
				login_id: `b${i}`,
				name: `成员${i}`,
				unit_id: unit.id,
				password_hash: hash,
				last_sign_in_at: null,
				created_at: now,
				updated_at: now
			}))
		)
		.execute();

	console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`);
	const tokens: string[] = [];
	const signins = await run('sign-ins (argon2id m=19456 t=2 p=1 verify + session insert)', async (worker, i) => {
		const result = await signIn(db, { loginId: `b${(worker * 7919 + i) % members}`, password, address: `10.0.${worker}.${i % 250}` });
		if (!result.ok) throw new Error('sign-in failed in the benchmark');
		if (tokens.length < 1000) tokens.push(result.token);
	});
	const validations = await run('session validations (lookup + roles)', async (worker, i) => {
		const token = tokens[(worker * 31 + i) % tokens.length] ?? '';
		const { session } = await validateSessionToken(db, token);
		if (!session) throw new Error('validation failed in the benchmark');
	});
	console.log(`auth: signins=${signins.toFixed(1)} validations=${validations.toFixed(0)}`);
} finally {
	await db.destroy();
	rmSync(dir, { recursive: true, force: true });
}
