// npm run bench:crash — no acknowledged answer is lost when the server dies. The built server takes the autosave
// load of 3,000 members (≈600 saves/s, open model) on a SQLite file (WAL, synchronous=FULL) while it is killed
// with SIGKILL at 20 random moments and started again on the same file each time; the load goes on throughout.
// Every save the server acknowledged ('saved') is then checked against the database: the item's stored edit
// must be at least as new as every acknowledged one, and where the newest acknowledged save is the stored one,
// the stored answer must be exactly that save's. A stored edit newer than every acknowledgement must be a save
// that was sent (one in flight when the server died may have committed unacknowledged); anything else counts
// as lost. Prints figures and ends with one `crash: kills=… acknowledged=… lost=…` line; passes or fails nothing.
//
// Knobs (environment): BENCH_PORT (4312), BENCH_MEMBERS (3000), BENCH_KILLS (20), BENCH_CONNECTIONS (32).
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/lib/server/db/index';
import { parseAnswer } from '../../src/lib/server/exams/scoring';
import { ensureBuilt, machineLoad, openLoad, planSave, postSave, prepareExamLoad, sleep, startServer, stopServer, type PlannedSave, type Server } from './exam-load';

const port = Number(process.env.BENCH_PORT ?? 4312);
const memberCount = Number(process.env.BENCH_MEMBERS ?? 3000);
const kills = Number(process.env.BENCH_KILLS ?? 20);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const rate = memberCount / 5;
/** Each kill comes this long (uniformly random) after the server is back and answering. */
const upMs = [500, 3000] as const;
const timeoutMs = 5_000;

const dir = mkdtempSync(join(tmpdir(), 'kaoping-bench-crash-'));
const file = join(dir, 'crash.db');
let server: Server | undefined;

/** What the database must hold for an item: the answer as saveAnswers stores it, by edit time. */
const stored = (save: PlannedSave) => JSON.stringify(parseAnswer(save.type, save.answer));

try {
	ensureBuilt();
	console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}; ${machineLoad()}`);
	let t = performance.now();
	const fixture = await prepareExamLoad(file, memberCount);
	console.log(`set-up: ${fixture.members.length} members with started attempts of ${fixture.questions} questions and sessions, in ${((performance.now() - t) / 1000).toFixed(1)} s`);
	server = await startServer(file, port);

	// Per item (attempt:position): every save sent (edit time → the answer as stored), and the edit times of the
	// saves the server acknowledged as saved.
	const sent = new Map<string, Map<number, string>>();
	const acked = new Map<string, number[]>();
	const lastEdit = new Map<string, number>();
	let acknowledged = 0;
	let stale = 0;
	let failed = 0;
	const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });

	let loading = true;
	const load = openLoad(
		rate,
		Number.POSITIVE_INFINITY,
		async () => {
			const save = planSave(fixture, lastEdit);
			const key = `${save.member.attemptId}:${save.position}`;
			let bySent = sent.get(key);
			if (!bySent) sent.set(key, (bySent = new Map()));
			bySent.set(save.editedAt, stored(save));
			const outcome = await postSave(agent, port, save, timeoutMs);
			if (!outcome.ok) failed++;
			else if (outcome.result === 'stale') stale++;
			else {
				acknowledged++;
				const times = acked.get(key);
				if (times) times.push(save.editedAt);
				else acked.set(key, [save.editedAt]);
			}
		},
		() => !loading
	);

	const restarts: number[] = [];
	for (let k = 1; k <= kills; k++) {
		await sleep(upMs[0] + Math.random() * (upMs[1] - upMs[0]));
		server.child.kill('SIGKILL');
		await server.exited;
		t = performance.now();
		server = await startServer(file, port);
		restarts.push(performance.now() - t);
	}
	await sleep(2000);
	loading = false;
	await load;
	agent.destroy();
	await stopServer(server);
	server = undefined;
	const restartMs = restarts.reduce((a, b) => a + b, 0) / Math.max(1, restarts.length);
	console.log(`${kills} kills with SIGKILL; restart until the server answers: mean ${restartMs.toFixed(0)} ms, longest ${Math.max(...restarts).toFixed(0)} ms`);
	console.log(`saves: ${acknowledged} acknowledged as saved, ${stale} as stale (a newer edit was already stored), ${failed} failed (server down or killed mid-request)`);

	// The check, on the file the server left behind, through a connection of our own.
	const { db, sqlite } = openDatabase(file);
	let lost = 0;
	let inFlight = 0;
	let checkedItems = 0;
	try {
		const integrity = sqlite.pragma('integrity_check', { simple: true });
		console.log(`integrity_check: ${String(integrity)}`);
		const rows = await db.selectFrom('attempt_item').select(['attempt_id', 'position', 'answer', 'edited_at']).where('edited_at', 'is not', null).execute();
		const byKey = new Map(rows.map((r) => [`${r.attempt_id}:${r.position}`, r]));
		for (const [key, times] of acked) {
			checkedItems++;
			const row = byKey.get(key);
			const storedAt = row?.edited_at ?? -1;
			const newest = Math.max(...times);
			// Every acknowledged save newer than what is stored was lost.
			const missing = times.filter((at) => at > storedAt).length;
			if (missing > 0) {
				lost += missing;
				continue;
			}
			// What is stored is the newest acknowledged save, or a newer one that was in flight when the server died;
			// either way, exactly the answer that was sent with that edit time.
			if (storedAt > newest) inFlight++;
			if (sent.get(key)?.get(storedAt) !== row?.answer) lost++;
		}
	} finally {
		await db.destroy();
	}
	console.log(`checked ${checkedItems} items with acknowledged saves; ${inFlight} hold a newer save that was in flight and not acknowledged (allowed)`);
	console.log(`crash: kills=${kills} acknowledged=${acknowledged} lost=${lost}`);
} finally {
	if (server) await stopServer(server, 'SIGKILL');
	rmSync(dir, { recursive: true, force: true });
}
