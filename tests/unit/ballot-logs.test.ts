import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { codeGuessLimit } from '../../src/lib/server/evaluations/ballot-form';
import { ballotBody, freePort, postBallot, prepareBallotLoad, type BallotLoad } from '../bench/ballot-load';
import { ensureBuilt, send, startServer, stopServer, type Server } from '../bench/exam-load';
import { onPostgres } from '../../src/lib/server/testing/db';

// The server's logs hold nothing of a ballot (issue 5, DESIGN.md §5): the built server runs on a temporary
// database with its stdout and stderr captured, members and codes cast ballots (and fail in every way a rater
// can), and afterwards the captured output is searched for what was cast: comment texts, field names, ballot
// keys read from the database file, receipts and codes.

let dir: string;
let server: Server;
let load: BallotLoad;
let output = '';
const agent = new Agent({ keepAlive: true, maxSockets: 8 });

beforeAll(async () => {
	ensureBuilt();
	dir = mkdtempSync(join(tmpdir(), 'kaoping-ballot-logs-'));
	load = await prepareBallotLoad(join(dir, 'kaoping.db'), { members: 6, codes: 6, targets: 2 });
	server = await startServer(join(dir, 'kaoping.db'), await freePort());
	output = server.log();
	server.child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	server.child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
}, 300_000);

afterAll(async () => {
	agent.destroy();
	if (server) await stopServer(server);
	if (dir) rmSync(dir, { recursive: true, force: true });
});

// SQLite only for now: the server here runs on a SQLite file that tests/bench/ballot-load.ts prepares. Skipped on
// PostgreSQL (npm run test:unit:pg) rather than run a second time on SQLite.
it.skipIf(onPostgres)('logs no ballot contents, ballot keys, receipts or codes', async () => {
	const port = server.port;
	const rate = `/evaluations/${load.evaluationId}/rate`;
	const comments: string[] = [];
	const receipts: string[] = [];
	const comment = (i: number) => {
		const text = `日志检查评语${i}号ZQX${i}`;
		comments.push(text);
		return text;
	};
	const [m0, m1, m2, m3] = load.members as [BallotLoad['members'][0], BallotLoad['members'][0], BallotLoad['members'][0], BallotLoad['members'][0]];
	const [c0, c1, c2] = load.codes as [string, string, string];

	// Members: incomplete, then cast, then twice more (already rated), two at once, and a level outside the scale.
	const outcomes: string[] = [];
	const note = (r: { type: string; receipt: string | null }) => {
		outcomes.push(r.type);
		if (r.receipt) receipts.push(r.receipt);
	};
	note(await postBallot(agent, port, rate, ballotBody(load, { comment: comment(1), skip: 3 }), m0.cookie));
	note(await postBallot(agent, port, rate, ballotBody(load, { comment: comment(2) }), m0.cookie));
	note(await postBallot(agent, port, rate, ballotBody(load, { comment: comment(3) }), m0.cookie));
	for (const r of await Promise.all([postBallot(agent, port, rate, ballotBody(load, { comment: comment(4) }), m1.cookie), postBallot(agent, port, rate, ballotBody(load, { comment: comment(5) }), m1.cookie)])) note(r);
	note(await postBallot(agent, port, rate, `${ballotBody(load, { comment: comment(6) })}&r_${load.targetIds[0]}_${load.criterionIds[0]}=99`.replace(new RegExp(`r_${load.targetIds[0]}_${load.criterionIds[0]}=\\d+&`), ''), m2.cookie));
	note(await postBallot(agent, port, rate, 'garbage%%%=&&' + comment(7), m3.cookie));
	note(await postBallot(agent, port, `/evaluations/999999/rate`, ballotBody(load, { comment: comment(8) }), m3.cookie));
	// Codes: incomplete, cast, used again, unknown, two at once, and a ballot posted with no code at all.
	note(await postBallot(agent, port, '/ballot?/cast', ballotBody(load, { code: c0, comment: comment(9), skip: 0 }), null));
	note(await postBallot(agent, port, '/ballot?/cast', ballotBody(load, { code: c0.toLowerCase(), comment: comment(10) }), null));
	note(await postBallot(agent, port, '/ballot?/cast', ballotBody(load, { code: c0, comment: comment(11) }), null));
	note(await postBallot(agent, port, '/ballot?/open', new URLSearchParams({ code: c1 }).toString(), null));
	note(await postBallot(agent, port, '/ballot?/cast', ballotBody(load, { code: 'ZZZZZ-ZZZZZ', comment: comment(12) }), null));
	for (const r of await Promise.all([
		postBallot(agent, port, '/ballot?/cast', ballotBody(load, { code: c2, comment: comment(13) }), null),
		postBallot(agent, port, '/ballot?/cast', ballotBody(load, { code: c2, comment: comment(14) }), null)
	]))
		note(r);
	note(await postBallot(agent, port, '/ballot?/cast', ballotBody(load, { comment: comment(15) }), null));
	// A report PDF asked for with a code, and a plain page view of the receipts.
	await send(agent, port, 'POST', `/ballot/report/${load.targetIds[0]}`, { 'content-type': 'application/x-www-form-urlencoded', origin: `http://127.0.0.1:${port}` }, `code=${c1}`, 10_000);
	await send(agent, port, 'GET', `/receipts/${load.evaluationId}`, {}, undefined, 10_000);

	// Guessing codes is throttled per address, with its own answer.
	let guesses = 1;
	let throttled: { status: number; type: string; body: string } | null = null;
	while (!throttled && guesses <= codeGuessLimit + 1) {
		const r = await postBallot(agent, port, '/ballot?/open', new URLSearchParams({ code: `ZZZZZ-ZZ${String(guesses).padStart(3, '2').replace(/[01]/g, '2')}` }).toString(), null);
		guesses++;
		if (r.body.includes('throttled')) throttled = r;
	}
	// Two wrong codes were sent above (an unknown one and none at all): the limit is reached after the rest.
	expect(guesses - 1).toBe(codeGuessLimit - 1);
	expect(throttled?.type).toBe('failure');
	expect(throttled?.body).toContain('"status":429');

	// The casts went as expected: 2 member ballots and 2 code ballots, the rest refused.
	expect(outcomes.filter((t) => t === 'success')).toHaveLength(5); // 4 ballots + opening the ballot for c1
	expect(receipts).toHaveLength(4);

	const db = new Database(join(dir, 'kaoping.db'), { readonly: true });
	const ballots = db.prepare('select id, content from evaluation_ballot').all() as { id: string; content: string }[];
	db.close();
	expect(ballots).toHaveLength(4);
	const stored = ballots.map((b) => JSON.parse(b.content) as { comments: Record<string, string> });
	// The comments that were kept are among those searched for below.
	expect(stored.flatMap((b) => Object.values(b.comments)).every((c) => comments.includes(c))).toBe(true);

	// Give the server a moment to flush anything it might write after answering.
	await new Promise((done) => setTimeout(done, 300));
	const log = output;
	const forbidden = [
		...comments,
		...ballots.map((b) => b.id),
		...receipts,
		...receipts.map((r) => r.replace(/-/g, '')),
		...load.codes,
		...load.codes.map((c) => c.replace('-', '')),
		...load.codes.map((c) => c.toLowerCase())
	];
	for (const text of forbidden) expect(log, `the log holds ${text}`).not.toContain(text);
	expect(log).not.toMatch(/\br_\d+_\d+\b/);
	expect(log).not.toMatch(/\bc_\d+\b/);
	expect(log).not.toMatch(/ratings|comments/);
	// The log is really captured: the server's start-up line is in it.
	expect(log).toMatch(/Listening on/);
}, 120_000);
