import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db';
import { createSession, generateSessionToken, sessionCookieName, sessionLifetime, sessionRenewWithin } from '../auth/session';
import { freshDatabase, makeMember, makeTree } from '../testing/db';
import { makeExam, sampleBlueprint } from '../testing/exams';
import { startAttempt } from './attempts';
import { sessionTokenFromHeader as sessionToken } from '../auth/cookie';
import { autosaveListener, secureCookies } from './autosave-listener';

// The listener in front of SvelteKit, over a real HTTP server and a fresh database built by the migrations. What
// it does not take must reach the next handler (here one that answers 418 "kit"), untouched.

let db: Db;
let server: Server;
let base: string;
let member: number;
let attemptId: number;
let cookie: string;
let token: string;
let fallThrough: string[];

/** ORIGIN as the e2e server has it: plain http on localhost. */
async function startListening(env: NodeJS.ProcessEnv = { ORIGIN: 'http://localhost:4173' }) {
	server?.close();
	const listener = autosaveListener(() => db, env);
	fallThrough = [];
	server = createServer((request, response) => {
		if (listener(request, response)) return;
		fallThrough.push(`${request.method} ${request.url}`);
		request.resume();
		response.writeHead(418, { 'content-type': 'text/plain' }).end('kit');
	});
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeEach(async () => {
	db = (await freshDatabase()).db;
	const tree = await makeTree(db);
	const committee = await makeMember(db, { unitId: tree.root, roles: ['committee'] });
	member = await makeMember(db, { unitId: tree.branchA });
	const now = Date.now();
	const examId = await makeExam(db, { actorId: committee, blueprint: await sampleBlueprint(db, 2, 200), now, durationMinutes: 30 });
	const started = await startAttempt(db, examId, member, now);
	if (!started.ok) throw new Error(started.problem);
	attemptId = started.attemptId;
	token = generateSessionToken();
	await createSession(db, token, member);
	cookie = `${sessionCookieName}=${token}`;
	await startListening();
});

afterEach(() => {
	server.close();
	vi.restoreAllMocks();
});

async function post(path: string, body: string, headers: Record<string, string> = {}) {
	const response = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
	return { status: response.status, headers: response.headers, json: await response.json().catch(() => undefined) };
}

async function answerFor(position: number) {
	const item = await db.selectFrom('attempt_item').select('type').where('attempt_id', '=', attemptId).where('position', '=', position).executeTakeFirstOrThrow();
	return { single: { choice: 1 }, multiple: { choices: [0, 2] }, true_false: { value: true }, fill: { blanks: ['实事求是'] } }[item.type];
}

const stored = (position: number) =>
	db.selectFrom('attempt_item').select(['answer', 'edited_at', 'flagged']).where('attempt_id', '=', attemptId).where('position', '=', position).executeTakeFirstOrThrow();

describe('the autosave listener', () => {
	it('stores a signed-in member’s save, answers as the endpoint does, and sets the session cookie again', async () => {
		const answer = await answerFor(1);
		const before = Date.now();
		const reply = await post(`/api/attempts/${attemptId}/answers`, JSON.stringify({ saves: [{ position: 1, editedAt: before, answer, flagged: true }] }), { cookie });
		expect(reply.status).toBe(200);
		expect(reply.json).toMatchObject({ results: ['saved'] });
		expect(reply.json.serverNow).toBeGreaterThanOrEqual(before);
		expect(typeof reply.json.deadlineAt).toBe('number');
		const row = await stored(1);
		expect(JSON.parse(row.answer as string)).toMatchObject(answer as object);
		expect(row.flagged).toBe(1);
		expect(reply.headers.get('cache-control')).toBe('no-store');
		expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
		const setCookie = reply.headers.get('set-cookie') ?? '';
		expect(setCookie).toContain(`${sessionCookieName}=${token}; Path=/;`);
		expect(setCookie).toContain('HttpOnly; SameSite=Lax');
		expect(setCookie).not.toContain('Secure');
		expect(fallThrough).toEqual([]);

		// An older edit of the same question (another tab) does not overwrite the newer one.
		const stale = await post(`/api/attempts/${attemptId}/answers`, JSON.stringify({ saves: [{ position: 1, editedAt: before - 5000, answer: null }] }), { cookie });
		expect(stale.json).toMatchObject({ results: ['stale'] });
		expect(JSON.parse((await stored(1)).answer as string)).toMatchObject(answer as object);
	});

	it('renews a session in its last 15 days, as handleAuth does, and marks the cookie Secure over https', async () => {
		await startListening({ ORIGIN: 'https://kaoping.example.edu.cn' });
		const soon = Date.now() + sessionRenewWithin - 60_000;
		await db.updateTable('session').set({ expires_at: soon }).execute();
		const reply = await post(`/api/attempts/${attemptId}/answers`, JSON.stringify({ saves: [{ position: 1, editedAt: Date.now(), flagged: true }] }), { cookie });
		expect(reply.status).toBe(200);
		const { expires_at } = await db.selectFrom('session').select('expires_at').executeTakeFirstOrThrow();
		expect(expires_at).toBeGreaterThan(Date.now() + sessionLifetime - 60_000);
		const setCookie = reply.headers.get('set-cookie') ?? '';
		expect(setCookie).toContain(`Expires=${new Date(expires_at).toUTCString()}`);
		expect(setCookie).toMatch(/; Secure$/);
	});

	it('marks the cookie Secure when no ORIGIN is set, as SvelteKit behind adapter-node then assumes https', async () => {
		await startListening({});
		const reply = await post(`/api/attempts/${attemptId}/answers`, JSON.stringify({ saves: [{ position: 1, editedAt: Date.now(), flagged: true }] }), { cookie });
		expect(reply.status).toBe(200);
		expect(reply.headers.get('set-cookie')).toMatch(/; Secure$/);
	});

	it('answers signed_out without a session and deletes a cookie that names no session', async () => {
		const body = JSON.stringify({ saves: [{ position: 1, editedAt: Date.now(), flagged: true }] });
		const none = await post(`/api/attempts/${attemptId}/answers`, body);
		expect(none).toMatchObject({ status: 401, json: { problem: 'signed_out' } });
		expect(none.headers.get('set-cookie')).toBeNull();

		const empty = await post(`/api/attempts/${attemptId}/answers`, body, { cookie: `${sessionCookieName}=` });
		expect(empty).toMatchObject({ status: 401, json: { problem: 'signed_out' } });
		expect(empty.headers.get('set-cookie')).toBeNull();

		// The session is checked before the body is read: signed out is signed out, however large the body.
		const large = JSON.stringify({ saves: [{ position: 1, editedAt: Date.now(), answer: { blanks: ['长'.repeat(100_000)] } }] });
		expect(await post(`/api/attempts/${attemptId}/answers`, large)).toMatchObject({ status: 401, json: { problem: 'signed_out' } });

		const unknown = await post(`/api/attempts/${attemptId}/answers`, body, { cookie: `${sessionCookieName}=${generateSessionToken()}` });
		expect(unknown).toMatchObject({ status: 401, json: { problem: 'signed_out' } });
		expect(unknown.headers.get('set-cookie')).toMatch(new RegExp(`^${sessionCookieName}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly`));

		// An expired session is deleted from the database too.
		await db.updateTable('session').set({ expires_at: Date.now() - 1 }).execute();
		expect((await post(`/api/attempts/${attemptId}/answers`, body, { cookie })).status).toBe(401);
		expect(await db.selectFrom('session').select('id').execute()).toEqual([]);
		expect((await stored(1)).flagged).toBe(0);
	});

	it('refuses another member’s attempt as not found, and a member whose password change is due', async () => {
		const tree = await db.selectFrom('member').select('unit_id').where('id', '=', member).executeTakeFirstOrThrow();
		const other = await makeMember(db, { unitId: tree.unit_id });
		const otherToken = generateSessionToken();
		await createSession(db, otherToken, other);
		const body = JSON.stringify({ saves: [{ position: 1, editedAt: Date.now(), answer: await answerFor(1) }] });
		const theirs = await post(`/api/attempts/${attemptId}/answers`, body, { cookie: `${sessionCookieName}=${otherToken}` });
		expect(theirs).toMatchObject({ status: 404, json: { problem: 'not_found' } });
		expect((await stored(1)).answer).toBeNull();

		await db.updateTable('member').set({ must_change_password: 1 }).where('id', '=', member).execute();
		expect(await post(`/api/attempts/${attemptId}/answers`, body, { cookie })).toMatchObject({ status: 403, json: { problem: 'password_change_required' } });
		expect((await stored(1)).answer).toBeNull();
	});

	it('names what is wrong with a bad request and keeps nothing of it', async () => {
		const path = `/api/attempts/${attemptId}/answers`;
		const notJson = await post(path, '{"saves": [', { cookie });
		expect(notJson).toMatchObject({ status: 400, json: { problem: 'invalid' } });
		const badPosition = await post(path, JSON.stringify({ saves: [{ position: 1, editedAt: Date.now(), flagged: true }, { position: 999, editedAt: Date.now(), flagged: true }] }), { cookie });
		expect(badPosition).toMatchObject({ status: 400, json: { problem: 'invalid', position: 999 } });
		expect((await stored(1)).flagged).toBe(0);
		expect(await post('/api/attempts/0/answers', '{"saves":[]}', { cookie })).toMatchObject({ status: 404, json: { problem: 'not_found' } });

		// Only JSON: a form from another site cannot send it (the CSRF rule of hooks.server.ts).
		const form = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: 'saves=1' });
		expect(form.status).toBe(415);
		expect(await form.json()).toEqual({ message: 'Content-Type must be application/json' });

		// Too large, by its announced length and by what actually arrives (chunked, no length).
		const huge = JSON.stringify({ saves: [{ position: 1, editedAt: Date.now(), answer: { blanks: ['长'.repeat(100_000)] } }] });
		const tooLarge = await post(path, huge, { cookie });
		expect(tooLarge).toMatchObject({ status: 413, json: { problem: 'too_large' } });
		expect(tooLarge.headers.get('set-cookie')).toContain(`${sessionCookieName}=${token};`);
		const chunked = await new Promise<number>((done, fail) => {
			const request = httpRequest(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie } }, (response) => {
				response.resume();
				done(response.statusCode ?? 0);
			});
			request.on('error', fail);
			for (let i = 0; i < 5; i++) request.write('x'.repeat(64 * 1024));
			request.end();
		});
		expect(chunked).toBe(413);
		expect(fallThrough).toEqual([]);

		// A byte-order mark in front of the JSON is dropped, as Request.text() does for SvelteKit.
		const marked = await post(path, '\uFEFF' + JSON.stringify({ saves: [{ position: 1, editedAt: Date.now(), flagged: true }] }), { cookie });
		expect(marked).toMatchObject({ status: 200, json: { results: ['saved'] } });
	});

	it('refuses a save past the deadline and submits the attempt with what was saved', async () => {
		await db.updateTable('attempt').set({ deadline_at: Date.now() - 1000 }).where('id', '=', attemptId).execute();
		const reply = await post(`/api/attempts/${attemptId}/answers`, JSON.stringify({ saves: [{ position: 1, editedAt: Date.now(), flagged: true }] }), { cookie });
		expect(reply).toMatchObject({ status: 409, json: { problem: 'deadline' } });
		const attempt = await db.selectFrom('attempt').select(['submitted_at', 'submitted_how']).where('id', '=', attemptId).executeTakeFirstOrThrow();
		expect(attempt.submitted_how).toBe('deadline');
		expect(await post(`/api/attempts/${attemptId}/answers`, JSON.stringify({ saves: [{ position: 1, editedAt: Date.now(), flagged: true }] }), { cookie })).toMatchObject({
			status: 409,
			json: { problem: 'submitted' }
		});
	});

	it('leaves every other request to SvelteKit: other methods, paths and spellings of this one', async () => {
		const tries: [string, string][] = [
			['GET', `/api/attempts/${attemptId}/answers`],
			['POST', `/api/attempts/${attemptId}/answers/`],
			['POST', `/api/attempts/%31/answers`],
			['POST', `/api/attempts/${attemptId}/answersx`],
			['POST', `/api/attempts/abc/answers`],
			['POST', '/api/health'],
			['POST', `/x/api/attempts/${attemptId}/answers`]
		];
		for (const [method, path] of tries) {
			const response = await fetch(base + path, { method, headers: { 'content-type': 'application/json', cookie }, body: method === 'GET' ? undefined : '{}' });
			expect(`${method} ${path} ${response.status} ${await response.text()}`).toBe(`${method} ${path} 418 kit`);
		}
		expect(fallThrough).toEqual(tries.map(([method, path]) => `${method} ${path}`));
		// A query string is still the autosave.
		expect((await post(`/api/attempts/${attemptId}/answers?from=tab2`, '{"saves":[]}', { cookie })).status).toBe(400);
	});

	it('answers 500 when the database fails mid-save, logs no answer or cookie, and goes on serving', async () => {
		const logged: unknown[][] = [];
		vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args));
		// The member is signed in and the attempt found; the table the answer goes to is gone.
		await db.schema.alterTable('attempt_item').renameTo('attempt_item_away').execute();
		const secret = '机密答案';
		const reply = await post(`/api/attempts/${attemptId}/answers`, JSON.stringify({ saves: [{ position: 1, editedAt: Date.now(), answer: { blanks: [secret] } }] }), { cookie });
		await db.schema.alterTable('attempt_item_away').renameTo('attempt_item').execute();
		expect(reply).toMatchObject({ status: 500, json: { message: 'Internal Error' } });
		const log = logged.map((args) => args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : String(a))).join(' ')).join('\n');
		expect(log).toContain('[500] POST /api/attempts/:id/answers');
		expect(log).toMatch(/attempt_item/);
		expect(log).not.toContain(secret);
		expect(log).not.toContain(token);
		expect((await post(`/api/attempts/${attemptId}/answers`, JSON.stringify({ saves: [{ position: 1, editedAt: Date.now(), flagged: true }] }), { cookie })).status).toBe(200);
		expect((await stored(1)).flagged).toBe(1);
	});
});

describe('sessionToken', () => {
	it.each([
		[undefined, undefined],
		['', undefined],
		['other=1', undefined],
		[`${sessionCookieName}=abc`, 'abc'],
		[`a=1; ${sessionCookieName}=abc; b=2`, 'abc'],
		[`${sessionCookieName}="abc"`, 'abc'],
		[`${sessionCookieName}=a%62c`, 'abc'],
		[`${sessionCookieName}=first; ${sessionCookieName}=second`, 'first'],
		[`x${sessionCookieName}=abc`, undefined],
		[`${sessionCookieName}=%E0%A4%A`, '%E0%A4%A']
	])('%s → %s', (header, token) => {
		expect(sessionToken(header)).toBe(token);
	});
});

describe('secureCookies', () => {
	const request = (headers: Record<string, string>) => ({ headers }) as never;
	it('decides as adapter-node does: ORIGIN, else PROTOCOL_HEADER’s header when the request has it, else https', () => {
		expect(secureCookies({ ORIGIN: 'https://a.example' })(request({}))).toBe(true);
		expect(secureCookies({ ORIGIN: ' HTTPS://a.example ' })(request({}))).toBe(true);
		expect(secureCookies({ ORIGIN: 'http://localhost:3000', PROTOCOL_HEADER: 'x-forwarded-proto' })(request({ 'x-forwarded-proto': 'https' }))).toBe(false);
		expect(secureCookies({ PROTOCOL_HEADER: 'X-Forwarded-Proto' })(request({ 'x-forwarded-proto': 'https' }))).toBe(true);
		expect(secureCookies({ PROTOCOL_HEADER: 'X-Forwarded-Proto' })(request({ 'x-forwarded-proto': 'http' }))).toBe(false);
		expect(secureCookies({ PROTOCOL_HEADER: 'X-Forwarded-Proto' })(request({}))).toBe(true);
		expect(secureCookies({ PROTOCOL_HEADER: 'X-Forwarded-Proto' })(request({ 'x-forwarded-proto': '%E0%A4%A' }))).toBe(true);
		expect(secureCookies({})(request({ 'x-forwarded-proto': 'http' }))).toBe(true);
	});
});
