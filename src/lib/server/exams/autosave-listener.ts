import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from '../db';
import { validateSessionToken, type SessionMember } from '../auth/session';
import { deletedSessionCookieHeader, sessionCookieHeader, sessionTokenFromHeader } from '../auth/cookie';
import { isJsonContentType, jsonOnlyRefusal, securityHeaders } from '../http-rules';
import { autosave, autosaveTaker, maxAutosaveBodyBytes, type AutosaveReply } from './autosave';

// The autosave POST, taken from Node's HTTP server before SvelteKit sees it (src/cli/serve.js puts this in front
// of adapter-node's handler). It is the one request a whole district sends every few seconds during a test, and
// SvelteKit's path for it (a Web Request with its body stream and abort signal, the hooks, a Web Response copied
// back to Node) cost about three times the save's own work: at 1,740 saves/s the server's JavaScript thread was
// full (npm run bench:autosave). Here the same request costs a cookie, one session query, the JSON and the save.
//
// It keeps every rule the SvelteKit path has, so that either may answer:
// - JSON only (hooks.server.ts, handleJsonOnly): a cross-site form cannot send application/json, so no token;
// - the session as handleAuth checks it (validateSessionToken, which also renews it), the cookie set again or
//   deleted as handleAuth does (auth/cookie.ts: HttpOnly, SameSite=Lax, Path=/, Secure over https);
// - the same answer for every case (exams/autosave.ts), the headers of handleHeaders, and errors logged with the
//   path only: never the body, which holds answers, nor the cookie.
// Anything else, including this path spelled another way (%-encoded, a trailing slash), goes to SvelteKit.

/** Answers the request and returns true if it is an autosave; returns false, touching nothing, otherwise. */
export type AutosaveListener = (request: IncomingMessage, response: ServerResponse) => boolean;

const utf8 = new TextDecoder();

const autosavePath = /^\/api\/attempts\/(\d{1,15})\/answers(?:\?|$)/;

/**
 * Where the built server's hooks leave the listener for src/cli/serve.js: the listener must use the server
 * bundle's own modules (its one database handle and save queue), and serve.js is outside the bundle.
 */
export const autosaveListenerKey = Symbol.for('kaoping.autosaveListener');

export function registerAutosaveListener(listener: AutosaveListener): void {
	(globalThis as Record<symbol, unknown>)[autosaveListenerKey] = listener;
}

/** `database` is called per request: the server opens its database on first use. */
export function autosaveListener(database: () => Db, env: NodeJS.ProcessEnv = process.env): AutosaveListener {
	const secure = secureCookies(env);
	return (request, response) => {
		if (request.method !== 'POST') return false;
		const match = autosavePath.exec(request.url ?? '');
		if (!match) return false;
		answer(database, request, response, match[1] as string, secure).catch((error: unknown) => {
			console.error('[500] POST /api/attempts/:id/answers:', error);
			if (!response.headersSent) send(response, { status: 500, body: { message: 'Internal Error' } }, []);
			else response.destroy();
		});
		return true;
	};
}

async function answer(database: () => Db, request: IncomingMessage, response: ServerResponse, attemptParam: string, secure: (request: IncomingMessage) => boolean) {
	if (!isJsonContentType(request.headers['content-type'])) return refuse(request, response, jsonOnlyRefusal, []);

	// The session first, as handleAuth runs before the endpoint: nobody signed out gets a body read.
	const db = database();
	const token = sessionTokenFromHeader(request.headers.cookie);
	let member: SessionMember | null = null;
	const cookies: string[] = [];
	if (token) {
		const validation = await validateSessionToken(db, token);
		member = validation.member;
		cookies.push(validation.session ? sessionCookieHeader(token, validation.session.expires_at, secure(request)) : deletedSessionCookieHeader(secure(request)));
	}
	const taker = autosaveTaker(member);
	if ('status' in taker) return refuse(request, response, taker, cookies);

	const tooLarge: AutosaveReply = { status: 413, body: { problem: 'too_large' } };
	if (Number(request.headers['content-length'] ?? 0) > maxAutosaveBodyBytes) return refuse(request, response, tooLarge, cookies);
	const text = await readBody(request);
	if (text === null) return refuse(request, response, tooLarge, cookies);
	if (text === undefined) return; // the client went away mid-body: nobody to answer
	send(response, await autosave(db, taker.id, attemptParam, text), cookies);
}

/** The body as text; null past the size limit, undefined if the connection broke first. */
async function readBody(request: IncomingMessage): Promise<string | null | undefined> {
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of request as AsyncIterable<Buffer>) {
			size += chunk.length;
			if (size > maxAutosaveBodyBytes) return null;
			chunks.push(chunk);
		}
	} catch {
		return undefined;
	}
	// As Request.text() decodes it for SvelteKit: a byte-order mark is dropped, broken sequences become U+FFFD.
	return utf8.decode(Buffer.concat(chunks, size));
}

/** Answers at once and closes the connection, so the rest of a body nobody will read is not waited for. */
function refuse(request: IncomingMessage, response: ServerResponse, reply: AutosaveReply, cookies: string[]): void {
	response.setHeader('connection', 'close');
	send(response, reply, cookies);
	request.resume();
}

function send(response: ServerResponse, { status, body }: AutosaveReply, cookies: string[]): void {
	const json = JSON.stringify(body);
	response.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(json),
		...securityHeaders,
		'cache-control': 'no-store',
		...(cookies.length > 0 ? { 'set-cookie': cookies } : {})
	});
	response.end(json);
}

/**
 * Whether the site is served over https, decided as adapter-node decides a request's protocol (its handler.js):
 * from ORIGIN when it is set; else from the PROTOCOL_HEADER header when PROTOCOL_HEADER names one and the request
 * has it; else https. When in doubt (a header that does not decode), Secure: a cookie without it would replace
 * the secure one that the pages set.
 */
export function secureCookies(env: NodeJS.ProcessEnv): (request: IncomingMessage) => boolean {
	if (env.ORIGIN) {
		const https = new URL(env.ORIGIN.trim()).protocol === 'https:';
		return () => https;
	}
	const header = env.PROTOCOL_HEADER?.toLowerCase();
	return (request) => {
		const value = header ? request.headers[header] : undefined;
		const protocol = (Array.isArray(value) ? value[0] : value) || 'https';
		try {
			return decodeURIComponent(protocol) === 'https';
		} catch {
			return true;
		}
	};
}
