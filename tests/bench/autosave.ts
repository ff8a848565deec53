// npm run bench:autosave — the built server under the load of a district taking its quarterly test: 3,000
// members, each saving an answer every 5 s on average (≈600 saves/s), on a SQLite file (WAL, synchronous=FULL)
// in a temporary folder. The load is an open model: saves arrive on a Poisson schedule whatever the server's
// answers do, and latency counts from the scheduled send time. Then the rate steps up by a quarter until p95
// passes 200 ms or errors appear (and is narrowed down twice between the last good and the first bad step); the
// same server's bare JSON endpoint (/api/health) is measured closed-loop over the same number of connections.
// The built server answers the autosave POST before SvelteKit (exams/autosave-listener.ts); /api/health goes
// through SvelteKit, so the ratio compares a save with the framework's cheapest request.
// Prints figures and ends with one `autosave: …` line; passes or fails nothing.
//
// DATABASE_URL=postgres://… (an empty database) runs the same on PostgreSQL, with TWO app servers (BENCH_PORT and
// the next port) behind the load: each member's saves go to one of them, the bare endpoint is measured on both, and
// the CPU figures are their sum (issue 7: several servers over one database).
//
// Knobs (environment): BENCH_PORT (4310), BENCH_MEMBERS (3000), BENCH_CONNECTIONS (32), BENCH_SECONDS (20, the
// 600/s step; later steps measure 8 s), BENCH_SERVERS (1 on SQLite, 2 on PostgreSQL).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'node:http';
import {
	ensureBuilt,
	machineLoad,
	openLoad,
	percentile,
	planSave,
	postSave,
	prepareExamLoad,
	send,
	serverDatabase,
	showUsage,
	sleep,
	startServer,
	stopServer,
	usageMeter,
	type Server,
	type Usage
} from './exam-load';

const port = Number(process.env.BENCH_PORT ?? 4310);
const memberCount = Number(process.env.BENCH_MEMBERS ?? 3000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const baseSeconds = Number(process.env.BENCH_SECONDS ?? 20);
const stepSeconds = 8;
const warmSeconds = 2;
/** Each member saves every 5 s on average (DESIGN.md §7). */
const baseRate = memberCount / 5;
const p95Limit = 200;
const maxSteps = 14;
const timeoutMs = 10_000;

type Step = { offered: number; achieved: number; p50: number; p95: number; p99: number; errors: number; usage: Usage; firstError?: string };

const dir = mkdtempSync(join(tmpdir(), 'kaoping-bench-autosave-'));
const file = join(dir, 'autosave.db');
const servers: Server[] = [];

try {
	ensureBuilt();
	console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}; the load generator runs on the same machine`);
	console.log(`before: ${machineLoad()}`);
	let started = performance.now();
	const fixture = await prepareExamLoad(file, memberCount);
	console.log(`set-up: ${fixture.members.length} members with started attempts of ${fixture.questions} questions and sessions, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
	const database = await serverDatabase(file);
	const serverCount = Number(process.env.BENCH_SERVERS ?? (database.postgres ? 2 : 1));
	for (let i = 0; i < serverCount; i++) servers.push(await startServer(database.url, port + i));
	console.log(`servers: ${serverCount} on ${database.postgres ? 'PostgreSQL' : 'the SQLite file'} (ports ${servers.map((s) => s.port).join(', ')})`);
	const ports = servers.map((s) => s.port);
	const pid = servers.map((s) => s.child.pid);
	// One pool of sockets per server, `connections` in all.
	const agents = ports.map(() => new Agent({ keepAlive: true, maxSockets: Math.ceil(connections / ports.length), maxFreeSockets: connections }));

	const lastEdit = new Map<string, number>();
	// A member's saves always go to the same server (as behind nginx's least_conn they may not; any server takes them).
	const saveOnce = () => {
		const save = planSave(fixture, lastEdit);
		const at = save.member.memberId % ports.length;
		return postSave(agents[at] as Agent, ports[at] as number, save, timeoutMs);
	};

	async function openStep(rate: number, seconds: number): Promise<Step> {
		const latencies: number[] = [];
		let errors = 0;
		let completedInWindow = 0;
		let firstError: string | undefined;
		const t0 = performance.now();
		const windowStart = t0 + warmSeconds * 1000;
		const windowEnd = windowStart + seconds * 1000;
		let stop = usageMeter(pid);
		let usage: Usage | undefined;
		const marks = [setTimeout(() => (stop = usageMeter(pid)), warmSeconds * 1000), setTimeout(() => (usage = stop()), (warmSeconds + seconds) * 1000)];
		await openLoad(rate, (warmSeconds + seconds) * 1000, async (scheduledAt) => {
			const result = await saveOnce();
			const doneAt = performance.now();
			if (doneAt >= windowStart && doneAt < windowEnd && result.ok) completedInWindow++;
			if (scheduledAt < windowStart) return;
			if (result.ok) latencies.push(doneAt - scheduledAt);
			else {
				errors++;
				firstError ??= result.error;
			}
		});
		marks.forEach(clearTimeout);
		latencies.sort((a, b) => a - b);
		return {
			offered: rate,
			achieved: completedInWindow / seconds,
			p50: percentile(latencies, 50),
			p95: percentile(latencies, 95),
			p99: percentile(latencies, 99),
			errors,
			usage: usage ?? stop(),
			firstError
		};
	}

	const show = (s: Step) => {
		console.log(
			`  offered ${s.offered.toFixed(0).padStart(5)}/s  achieved ${s.achieved.toFixed(0).padStart(5)}/s  p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}  errors ${s.errors}${s.firstError ? ` (first: ${s.firstError})` : ''}`
		);
		console.log(`      ${showUsage(s.usage, s.achieved, 'save')}`);
	};

	// Warm-up: the JIT, SQLite's page cache and the sockets, before anything is measured.
	await openLoad(baseRate, 5000, async () => void (await saveOnce()));
	const bare = await closedLoop(agents, ports, pid, {}, 2, 8);
	console.log(`bare JSON endpoint (GET /api/health through SvelteKit: select 1, no session), closed loop over ${connections} connections${ports.length > 1 ? ` to ${ports.length} servers` : ''}:`);
	console.log(`  ${bare.rate.toFixed(0)} req/s, p50 ${ms(bare.p50)} p95 ${ms(bare.p95)}, errors ${bare.errors}`);
	console.log(`      ${showUsage(bare.usage, bare.rate, 'request')}`);
	// For the profile, not the ratio: the same endpoint with a member's cookie pays for the session lookup too.
	const member = fixture.members[0];
	const withSession = await closedLoop(agents, ports, pid, { cookie: member?.cookie ?? '' }, 1, 5);
	console.log(`the same with a member's session cookie (session lookup in hooks.server.ts): ${withSession.rate.toFixed(0)} req/s, p50 ${ms(withSession.p50)}`);
	console.log(`      ${showUsage(withSession.usage, withSession.rate, 'request')}`);

	console.log(`autosave (POST /api/attempts/:id/answers, one save, session cookie, answered before SvelteKit), open model over at most ${connections} connections:`);
	const base = await openStep(baseRate, baseSeconds);
	show(base);
	const good = (s: Step) => s.errors === 0 && s.p95 <= p95Limit;
	let best = good(base) ? base.offered : 0;
	let bad: number | undefined = good(base) ? undefined : base.offered;
	let rate = baseRate;
	for (let n = 0; n < maxSteps && bad === undefined; n++) {
		rate *= 1.25;
		await sleep(500);
		const step = await openStep(rate, stepSeconds);
		show(step);
		if (good(step)) best = step.offered;
		else bad = step.offered;
	}
	// Twice between the last good and the first bad rate, so `max` is within about 6% rather than 25%.
	for (let n = 0; n < 2 && bad !== undefined && best > 0; n++) {
		await sleep(500);
		const step = await openStep((best + bad) / 2, stepSeconds);
		show(step);
		if (good(step)) best = step.offered;
		else bad = step.offered;
	}
	console.log(`max rate with p95 ≤ ${p95Limit} ms and no errors: ${best.toFixed(0)} saves/s; bare endpoint ${bare.rate.toFixed(0)} req/s`);
	console.log(`after: ${machineLoad()}`);
	const ratio = bare.rate > 0 ? best / bare.rate : 0;
	console.log(
		`autosave: rate=${base.achieved.toFixed(0)} p50=${base.p50.toFixed(1)} p95=${base.p95.toFixed(1)} p99=${base.p99.toFixed(1)} errors=${base.errors} max=${best.toFixed(0)} bare=${bare.rate.toFixed(0)} ratio=${ratio.toFixed(2)}`
	);
	for (const agent of agents) agent.destroy();
} finally {
	for (const server of servers) await stopServer(server);
	rmSync(dir, { recursive: true, force: true });
}

/** `connections` requests in flight at all times for `seconds` after `warm` seconds; the server's ceiling. */
async function closedLoop(agents: Agent[], ports: number[], pid: (number | undefined)[], headers: Record<string, string>, warm: number, seconds: number) {
	const latencies: number[] = [];
	let errors = 0;
	let done = 0;
	const t0 = performance.now();
	const windowStart = t0 + warm * 1000;
	const end = windowStart + seconds * 1000;
	let stop = usageMeter(pid);
	const mark = setTimeout(() => (stop = usageMeter(pid)), warm * 1000);
	await Promise.all(
		Array.from({ length: connections }, async (_, c) => {
			// Connections spread evenly over the servers.
			const agent = agents[c % agents.length] as Agent;
			const port = ports[c % ports.length] as number;
			while (performance.now() < end) {
				const sent = performance.now();
				let ok = false;
				try {
					ok = (await send(agent, port, 'GET', '/api/health', headers, undefined, timeoutMs)).status === 200;
				} catch {
					ok = false;
				}
				const at = performance.now();
				if (sent < windowStart || at >= end) continue;
				done++;
				if (ok) latencies.push(at - sent);
				else errors++;
			}
		})
	);
	const usage = stop();
	clearTimeout(mark);
	latencies.sort((a, b) => a - b);
	return { rate: latencies.length / seconds, done, errors, p50: percentile(latencies, 50), p95: percentile(latencies, 95), usage };
}

function ms(value: number): string {
	return `${value.toFixed(1).padStart(6)} ms`;
}
