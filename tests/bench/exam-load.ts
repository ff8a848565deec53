// Shared by `npm run bench:autosave` and `npm run bench:crash`: a database of a district taking a test (3,000+
// members, each with a started attempt and a session), the built server as a child process on that file, and an
// open-model load generator for the autosave endpoint. Only the benchmarks import this file.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createSession, generateSessionToken, sessionCookieName } from '../../src/lib/server/auth/session';
import { coverage } from '../../src/lib/server/bank/questions';
import { loadStarterBank } from '../../src/lib/server/bank/starter';
import type { QuestionType } from '../../src/lib/server/bank/types';
import { copyDatabase } from '../../src/lib/server/db/copy';
import { openDatabase } from '../../src/lib/server/db/index';
import { isPostgresUrl, withoutPassword } from '../../src/lib/server/db/postgres';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { startAttempt } from '../../src/lib/server/exams/attempts';
import { typeOrder, type BlueprintRow } from '../../src/lib/server/exams/papers';
import { makeExam } from '../../src/lib/server/testing/exams';

const root = resolve(import.meta.dirname, '../..');

// ---- which database the servers run on ---------------------------------------------------------------------

/**
 * The database the benchmark's servers run on: the SQLite file it was set up in, or, when DATABASE_URL is a
 * postgres:// URL (of an EMPTY database: db:copy refuses anything else), that database, filled by copying the set-up
 * file into it with `db:copy`'s own code (src/lib/server/db/copy.ts). The set-up is written to SQLite first either
 * way: its bulk writes use SQLite's prepared statements, and the copy makes both runs start from the same rows.
 */
export async function serverDatabase(file: string): Promise<{ url: string; postgres: boolean }> {
	const url = process.env.DATABASE_URL?.trim();
	if (!url || !isPostgresUrl(url)) return { url: file, postgres: false };
	const from = openDatabase(file).db;
	const to = openDatabase(url).db;
	const started = performance.now();
	try {
		const copied = await copyDatabase(from, to);
		const rows = copied.reduce((n, t) => n + t.rows, 0);
		console.log(`copied the set-up to PostgreSQL (${withoutPassword(url)}): ${rows} rows in ${((performance.now() - started) / 1000).toFixed(0)} s`);
	} finally {
		await Promise.all([from.destroy(), to.destroy()]);
	}
	return { url, postgres: true };
}

// ---- the database ----------------------------------------------------------------------------------------

export type LoadMember = { memberId: number; attemptId: number; cookie: string; items: { position: number; type: QuestionType }[] };
export type LoadFixture = { examId: number; members: LoadMember[]; questions: number };

/** Per type, how many questions the benchmark paper has: 20 in all, in the usual proportions. */
const paperShape: Record<QuestionType, number> = { single: 8, multiple: 4, true_false: 4, fill: 4 };

/**
 * Creates the database a district test runs on: the real migrations, the starter bank, a unit tree (党委 → 4 总支
 * → 40 支部), `memberCount` members spread over the branches, a published 20-question test with a 10-hour
 * duration, an attempt started through `startAttempt` (so every paper is drawn as in production) and a session
 * per member.
 */
export async function prepareExamLoad(file: string, memberCount: number): Promise<LoadFixture> {
	const { db, sqlite } = openDatabase(file);
	// The server opens its own connection with synchronous=FULL; durability of the set-up itself does not matter,
	// and a few thousand fsyncs would make it slow. synchronous is a per-connection setting.
	sqlite.pragma('synchronous = OFF');
	try {
		await migrateToLatest(db);
		await loadStarterBank(db);
		const now = Date.now();
		const unit = async (name: string, kind: 'committee' | 'general_branch' | 'branch', parentId: number | null) =>
			(await db.insertInto('unit').values({ name, kind, parent_id: parentId, archived_at: null, created_at: now }).returning('id').executeTakeFirstOrThrow()).id;
		const committee = await unit('基准党委', 'committee', null);
		const branches: number[] = [];
		for (let g = 1; g <= 4; g++) {
			const general = await unit(`第${g}总支`, 'general_branch', committee);
			for (let b = 1; b <= 10; b++) branches.push(await unit(`第${g}总支第${b}支部`, 'branch', general));
		}

		const actor = await db
			.insertInto('member')
			.values({ login_id: 'bench-committee', name: '基准管理员', unit_id: committee, status: 'active', password_hash: null, last_sign_in_at: null, created_at: now, updated_at: now })
			.returning('id')
			.executeTakeFirstOrThrow();
		await db.insertInto('member_role').values([{ member_id: actor.id, role: 'member' }, { member_id: actor.id, role: 'committee' }]).execute();

		const memberIds: number[] = [];
		for (let from = 0; from < memberCount; from += 500) {
			const rows = Array.from({ length: Math.min(500, memberCount - from) }, (_, k) => {
				const i = from + k;
				return {
					login_id: `bench${i}`,
					name: `成员${i}`,
					unit_id: branches[i % branches.length] ?? committee,
					status: 'active' as const,
					password_hash: null,
					last_sign_in_at: null,
					created_at: now,
					updated_at: now
				};
			});
			const inserted = await db.insertInto('member').values(rows).returning('id').execute();
			memberIds.push(...inserted.map((r) => r.id));
			await db.insertInto('member_role').values(inserted.map((r) => ({ member_id: r.id, role: 'member' as const }))).execute();
		}

		const examId = await makeExam(db, {
			actorId: actor.id,
			title: '基准季度测试',
			blueprint: await benchBlueprint(db),
			durationMinutes: 600,
			opensAt: now - 60 * 60_000,
			closesAt: now + 2 * 24 * 60 * 60_000,
			now
		});

		const members: LoadMember[] = [];
		for (const memberId of memberIds) {
			const started = await startAttempt(db, examId, memberId, now);
			if (!started.ok) throw new Error(`bench set-up: member ${memberId} cannot start: ${started.problem}`);
			members.push({ memberId, attemptId: started.attemptId, cookie: '', items: [] });
		}
		await db.transaction().execute(async (trx) => {
			for (const m of members) {
				const token = generateSessionToken();
				await createSession(trx, token, m.memberId, now);
				m.cookie = `${sessionCookieName}=${token}`;
			}
		});
		const items = await db.selectFrom('attempt_item').select(['attempt_id', 'position', 'type']).orderBy('attempt_id').orderBy('position').execute();
		const byAttempt = new Map(members.map((m) => [m.attemptId, m]));
		for (const item of items) byAttempt.get(item.attempt_id)?.items.push({ position: item.position, type: item.type });
		const questions = members[0]?.items.length ?? 0;
		if (members.some((m) => m.items.length !== questions || questions === 0)) throw new Error('bench set-up: papers differ in length');
		return { examId, members, questions };
	} finally {
		await db.destroy();
	}
}

/** A 20-question blueprint the starter bank fills: per type, the best-stocked cells, at most half of each cell. */
async function benchBlueprint(db: Parameters<typeof coverage>[0]): Promise<BlueprintRow[]> {
	const cells = await coverage(db);
	const rows: BlueprintRow[] = [];
	for (const type of typeOrder) {
		let wanted = paperShape[type];
		for (const cell of cells.filter((c) => c.type === type).sort((a, b) => b.count - a.count || a.areaId - b.areaId)) {
			if (wanted === 0) break;
			const count = Math.min(wanted, Math.floor(cell.count / 2));
			if (count === 0) continue;
			rows.push({ areaId: cell.areaId, type, difficulty: cell.difficulty, count, points: type === 'multiple' || type === 'fill' ? 300 : 200 });
			wanted -= count;
		}
		if (wanted > 0) throw new Error(`bench set-up: the starter bank has too few ${type} questions`);
	}
	return rows;
}

// ---- answers ---------------------------------------------------------------------------------------------

const fillWords = ['实事求是', '群众路线', '独立自主', '民主集中制', '从严治党', '立德树人'];

/** A valid answer of the question's type (original option indexes 0..3, which every starter question has). */
export function randomAnswer(type: QuestionType): unknown {
	const r = (n: number) => Math.floor(Math.random() * n);
	switch (type) {
		case 'single':
			return { choice: r(4) };
		case 'multiple':
			return { choices: [0, 1, 2, 3].filter(() => Math.random() < 0.5) };
		case 'true_false':
			return { value: Math.random() < 0.5 };
		case 'fill':
			return { blanks: [fillWords[r(fillWords.length)] ?? '', `${r(1000)}`] };
	}
}

/** One save as the page sends it, with what the benchmark needs to check it afterwards. */
export type PlannedSave = { member: LoadMember; position: number; type: QuestionType; editedAt: number; answer: unknown };

/**
 * A random member saves a random answer to a random question of their paper. Edit times are the real clock
 * (the server's, on this machine), unique and increasing per item: a pick that would repeat the item's last
 * millisecond is drawn again, since the server takes an edit time ahead of its clock as its clock.
 */
export function planSave(fixture: LoadFixture, lastEdit: Map<string, number>): PlannedSave {
	for (;;) {
		const member = fixture.members[Math.floor(Math.random() * fixture.members.length)];
		const item = member?.items[Math.floor(Math.random() * member.items.length)];
		if (!member || !item) throw new Error('bench: empty fixture');
		const key = `${member.attemptId}:${item.position}`;
		const editedAt = Date.now();
		if (editedAt <= (lastEdit.get(key) ?? 0)) continue;
		lastEdit.set(key, editedAt);
		return { member, position: item.position, type: item.type, editedAt, answer: randomAnswer(item.type) };
	}
}

export type SaveOutcome = { ok: true; result: 'saved' | 'stale' } | { ok: false; error: string };

/** POSTs one save to the autosave endpoint with the member's session cookie. */
export async function postSave(agent: Agent, port: number, save: PlannedSave, timeoutMs: number): Promise<SaveOutcome> {
	const body = JSON.stringify({ saves: [{ position: save.position, editedAt: save.editedAt, answer: save.answer }] });
	try {
		const reply = await send(agent, port, 'POST', `/api/attempts/${save.member.attemptId}/answers`, { 'content-type': 'application/json', cookie: save.member.cookie }, body, timeoutMs);
		if (reply.status !== 200) return { ok: false, error: `HTTP ${reply.status} ${reply.body.slice(0, 120)}` };
		const result = (JSON.parse(reply.body) as { results?: unknown[] }).results?.[0];
		return result === 'saved' || result === 'stale' ? { ok: true, result } : { ok: false, error: `unexpected reply ${reply.body.slice(0, 120)}` };
	} catch (e) {
		return { ok: false, error: e instanceof Error ? e.message : String(e) };
	}
}

// ---- the built server ------------------------------------------------------------------------------------

/**
 * Builds the app when build/ is missing or older than anything under src/ (a stale build measures old code).
 * BENCH_BUILD=<folder> runs another build instead (e.g. a copy of an older one, to compare), as it is.
 */
export function ensureBuilt(): void {
	if (process.env.BENCH_BUILD) return;
	const entry = join(root, 'build/index.js');
	const builtAt = existsSync(entry) ? statSync(entry).mtimeMs : 0;
	if (builtAt > 0 && newestUnder(join(root, 'src')) < builtAt) return;
	console.log('building the app (npm run build) …');
	const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
	if (built.status !== 0) throw new Error('npm run build failed');
}

function newestUnder(dir: string): number {
	let newest = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.name.endsWith('.test.ts')) continue;
		newest = Math.max(newest, entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs);
	}
	return newest;
}

export type Server = { child: ChildProcess; port: number; exited: Promise<number | null>; log: () => string };

/** Starts `node src/cli/serve.js` on a database (a SQLite file or a postgres:// URL; itself, not through npm, so SIGKILL reaches the server) and waits until it answers. */
export async function startServer(databaseUrl: string, port: number): Promise<Server> {
	const entry = process.env.BENCH_BUILD ? join(resolve(process.env.BENCH_BUILD), 'index.js') : 'src/cli/serve.js';
	// BENCH_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, to see where the server's time goes.
	const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
	const child = spawn(process.execPath, [...nodeArgs, entry], {
		cwd: root,
		env: {
			...process.env,
			BODY_SIZE_LIMIT: '16M',
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: `http://127.0.0.1:${port}`,
			DATABASE_URL: databaseUrl,
			KAOPING_DEMO: 'off',
			NODE_ENV: 'production'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	const keep = (chunk: Buffer) => {
		output = (output + chunk.toString()).slice(-4000);
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
	const server: Server = { child, port, exited, log: () => output };
	const agent = new Agent({ keepAlive: false });
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited while starting:\n${output}`);
		try {
			const res = await send(agent, port, 'GET', '/api/health', {}, undefined, 1000);
			if (res.status === 200) return server;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`the server did not answer within 30 s:\n${output}`);
		}
		await sleep(20);
	}
}

export async function stopServer(server: Server, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
	if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
	await server.exited;
}

// ---- HTTP ------------------------------------------------------------------------------------------------

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

export type Reply = { status: number; body: string };

/** One request over `agent` (keep-alive sockets are reused; when all are busy the request waits for one). */
export function send(
	agent: Agent,
	port: number,
	method: 'GET' | 'POST',
	path: string,
	headers: Record<string, string>,
	body: string | undefined,
	timeoutMs: number
): Promise<Reply> {
	return new Promise((done, fail) => {
		const req = request({ agent, host: '127.0.0.1', port, method, path, headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => (text += chunk));
			res.on('end', () => done({ status: res.statusCode ?? 0, body: text }));
			res.on('error', fail);
		});
		req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
		req.on('error', fail);
		req.end(body);
	});
}

// ---- the open-model load generator -----------------------------------------------------------------------

export type Sample = { scheduledAt: number; doneAt: number; ok: boolean };

/**
 * Fires `fire(scheduledAt)` on a Poisson schedule of `rate` per second for `durationMs`, whatever the responses
 * do (an open model: members do not wait for each other's saves). `scheduledAt` is the intended send time on the
 * performance.now() clock; latency measured from it includes any time the generator or the sockets fell behind,
 * so a backed-up system shows as latency instead of as fewer requests (no coordinated omission).
 * Resolves when the last arrival has been fired (after `durationMs`, or once `stop()` says so) and every request
 * has finished.
 */
export async function openLoad(rate: number, durationMs: number, fire: (scheduledAt: number) => Promise<void>, stop = () => false): Promise<void> {
	const start = performance.now();
	const pending = new Set<Promise<void>>();
	let next = start;
	for (;;) {
		const now = performance.now();
		while (next <= now) {
			if (next - start >= durationMs || stop()) {
				await Promise.all(pending);
				return;
			}
			const p = fire(next).finally(() => pending.delete(p));
			pending.add(p);
			next += (-Math.log(1 - Math.random()) / rate) * 1000;
		}
		await sleep(Math.min(next - now, 2));
	}
}

export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** The machine's load averages; other work on the machine shows in every figure, so the benchmarks print it. */
export function machineLoad(): string {
	const [one = 0, five = 0] = loadavg();
	const busy = one > cpus().length ? ' (busier than its cores: other work is running, figures will be low)' : '';
	return `load average ${one.toFixed(1)} (1 min) ${five.toFixed(1)} (5 min) on ${cpus().length} cores${busy}`;
}

/** What the server and the generator did over a window, as fractions of its wall time. */
export type Usage = {
	/** The server process's CPU time (all threads: JavaScript, GC, libuv's pool). */
	serverCpu: number;
	/** The server's JavaScript thread: on a CPU, waiting in the run queue for one (other work on the machine), and the rest, blocked in a system call (fsync) or idle. */
	mainRun: number;
	mainWait: number;
	/** The load generator's CPU time. */
	loadCpu: number;
};

type Counters = { cpu: number; run: number; wait: number; load: number; at: number };

function counters(pid: number | undefined): Counters {
	const load = process.cpuUsage();
	const at = performance.now();
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// schedstat of the process's first thread (its JavaScript thread): ns on a CPU, ns waiting for one, slices.
		const [run = 'NaN', wait = 'NaN'] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ');
		return {
			// utime and stime, in clock ticks (100 per second on Linux).
			cpu: (Number(fields[11]) + Number(fields[12])) / 100,
			run: Number(run) / 1e9,
			wait: Number(wait) / 1e9,
			load: (load.user + load.system) / 1e6,
			at
		};
	} catch {
		return { cpu: Number.NaN, run: Number.NaN, wait: Number.NaN, load: (load.user + load.system) / 1e6, at };
	}
}

/**
 * Starts measuring the servers (from /proc; NaN where there is none), summed over them when there are several;
 * the function returned stops.
 */
export function usageMeter(pids: number | undefined | (number | undefined)[]): () => Usage {
	const list = Array.isArray(pids) ? pids : [pids];
	const a = list.map(counters);
	return () => {
		const b = list.map(counters);
		const sum = (field: 'cpu' | 'run' | 'wait') => b.reduce((n, c, i) => n + c[field] - (a[i] as Counters)[field], 0);
		const [before, after] = [a[0] as Counters, b[0] as Counters];
		const wall = (after.at - before.at) / 1000;
		return { serverCpu: sum('cpu') / wall, mainRun: sum('run') / wall, mainWait: sum('wait') / wall, loadCpu: (after.load - before.load) / wall };
	};
}

/** One line: where the server's time went, and its CPU per request. */
export function showUsage(u: Usage, perSecond: number, unit: string): string {
	const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
	const blocked = Math.max(0, 1 - u.mainRun - u.mainWait);
	return (
		`server cpu ${pct(u.serverCpu)} = ${((u.serverCpu / perSecond) * 1000).toFixed(2)} ms/${unit}; ` +
		`its JS thread ran ${pct(u.mainRun)}, waited for a CPU ${pct(u.mainWait)}, blocked or idle ${pct(blocked)}; generator cpu ${pct(u.loadCpu)}`
	);
}
