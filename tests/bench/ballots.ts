// npm run bench:ballots — 1,000 ballots cast in 60 seconds against the built server (issue 5): a fresh SQLite file
// with the real migrations, a live 述学评学 campaign of 5 targets × 8 criteria, 500 signed-in raters (sessions
// made directly) and 500 one-time codes. Every ballot goes through the real form action (as `use:enhance` posts
// it: x-sveltekit-action, JSON answer, the Origin the server expects). Arrivals are an open model: 1,000 Poisson
// arrivals over the minute (uniform times, sorted), sent whatever the answers do; latency counts from the
// scheduled send time. Checks every answer is a success and that the database then holds exactly 1,000 ballots.
// Ends with `ballots: n=1000 p50=<ms> p95=<ms> p99=<ms> errors=<n>`.
//
// Knobs (environment): BENCH_PORT (4320), BENCH_BALLOTS (1000, half members and half codes), BENCH_SECONDS (60).
// DATABASE_URL=postgres://… (an empty database) runs it on PostgreSQL: the set-up is copied there (serverDatabase).
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ballotBody, postBallot, prepareBallotLoad } from './ballot-load';
import { sql } from 'kysely';
import { openDatabase } from '../../src/lib/server/db';
import { ensureBuilt, machineLoad, percentile, serverDatabase, showUsage, sleep, startServer, stopServer, usageMeter, type Server } from './exam-load';

const port = Number(process.env.BENCH_PORT ?? 4320);
const total = Number(process.env.BENCH_BALLOTS ?? 1000);
const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const members = Math.ceil(total / 2);
const codes = total - members;

const dir = mkdtempSync(join(tmpdir(), 'kaoping-bench-ballots-'));
const file = join(dir, 'ballots.db');
let server: Server | undefined;
let failed = false;

try {
	ensureBuilt();
	console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}; the load generator runs on the same machine`);
	console.log(`before: ${machineLoad()}`);
	let started = performance.now();
	const load = await prepareBallotLoad(file, { members, codes, targets: 5 });
	console.log(
		`set-up: ${load.members.length} members with sessions, ${load.codes.length} codes, ${load.targetIds.length} targets × ${load.criterionIds.length} criteria, in ${((performance.now() - started) / 1000).toFixed(1)} s`
	);
	const database = await serverDatabase(file);
	server = await startServer(database.url, port);
	console.log(`server: on ${database.postgres ? 'PostgreSQL' : 'the SQLite file'}`);
	const agent = new Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64 });

	// Who casts when: every rater once, in random order, at sorted uniform times (a Poisson process with n fixed).
	type Cast = { at: number; path: string; body: string; cookie: string | null };
	const casts: Cast[] = [
		...load.members.map((m) => ({ at: 0, path: `/evaluations/${load.evaluationId}/rate`, body: ballotBody(load, { comment: '学习扎实' }), cookie: m.cookie })),
		...load.codes.map((code) => ({ at: 0, path: '/ballot?/cast', body: ballotBody(load, { code }), cookie: null }))
	];
	for (let i = casts.length - 1; i > 0; i--) {
		const j = Math.floor(Math.random() * (i + 1));
		[casts[i], casts[j]] = [casts[j] as Cast, casts[i] as Cast];
	}
	const times = casts.map(() => Math.random() * seconds * 1000).sort((a, b) => a - b);
	casts.forEach((c, i) => (c.at = times[i] ?? 0));

	const latencies: number[] = [];
	const errors: string[] = [];
	const stop = usageMeter(server.child.pid);
	const start = performance.now();
	const pending: Promise<void>[] = [];
	for (const cast of casts) {
		const wait = start + cast.at - performance.now();
		if (wait > 0) await sleep(wait);
		const scheduled = start + cast.at;
		pending.push(
			postBallot(agent, port, cast.path, cast.body, cast.cookie)
				.then((reply) => {
					latencies.push(performance.now() - scheduled);
					if (reply.type !== 'success' || !reply.receipt) errors.push(`${reply.type} ${reply.body.slice(0, 120)}`);
				})
				.catch((e: unknown) => {
					latencies.push(performance.now() - scheduled);
					errors.push(e instanceof Error ? e.message : String(e));
				})
		);
	}
	await Promise.all(pending);
	const wall = (performance.now() - start) / 1000;
	const usage = stop();
	agent.destroy();

	const { db } = openDatabase(database.url);
	const count = async (table: 'evaluation_ballot' | 'evaluation_participation' | 'evaluation_code') => {
		let query = db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('evaluation_id', '=', load.evaluationId);
		// Codes: the used ones.
		if (table === 'evaluation_code') query = query.where(sql.ref('used'), '=', 1);
		return Number((await query.executeTakeFirstOrThrow()).n);
	};
	const stored = await count('evaluation_ballot');
	const participation = await count('evaluation_participation');
	const used = await count('evaluation_code');
	await db.destroy();

	latencies.sort((a, b) => a - b);
	const ms = (x: number) => x.toFixed(1);
	console.log(`cast: ${casts.length} ballots (${members} members, ${codes} codes) in ${wall.toFixed(1)} s, ${(casts.length / wall).toFixed(1)}/s offered`);
	console.log(`latency: p50 ${ms(percentile(latencies, 50))} ms, p95 ${ms(percentile(latencies, 95))} ms, p99 ${ms(percentile(latencies, 99))} ms, max ${ms(latencies.at(-1) ?? 0)} ms`);
	console.log(showUsage(usage, casts.length / wall, 'ballot'));
	console.log(`database: ${stored} ballots, ${participation} members took part, ${used} codes used`);
	if (errors.length > 0) console.log(`errors: ${errors.length}, first: ${errors[0]}`);
	if (stored !== total) {
		errors.push(`the database holds ${stored} ballots, expected ${total}`);
		console.log(`error: the database holds ${stored} ballots, expected ${total}`);
	}
	console.log(`after: ${machineLoad()}`);
	console.log(`ballots: n=${latencies.length} p50=${Math.round(percentile(latencies, 50))} p95=${Math.round(percentile(latencies, 95))} p99=${Math.round(percentile(latencies, 99))} errors=${errors.length}`);
	failed = errors.length > 0;
} finally {
	if (server) await stopServer(server);
	rmSync(dir, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;
