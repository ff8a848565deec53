import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { deleteSessionCookie, setSessionCookie } from '$lib/server/auth/cookie';
import { sessionCookieName, validateSessionToken } from '$lib/server/auth/session';
import { closeServerDatabase, db } from '$lib/server/db/instance';
import { autosaveListener, registerAutosaveListener } from '$lib/server/exams/autosave-listener';
import { isJsonContentType, jsonOnlyRefusal, securityHeaders } from '$lib/server/http-rules';
import { startUp } from '$lib/server/startup';

export const init: ServerInit = async () => {
	const stopScheduled = await startUp(db());
	// For src/cli/serve.js, which puts it in front of SvelteKit: the autosave POST, answered without the framework
	// (exams/autosave-listener.ts says why and what it keeps).
	registerAutosaveListener(autosaveListener(db));
	// adapter-node emits this once it has stopped taking requests (SIGTERM, SIGINT) and the last one has ended.
	// The database is closed then, so that the process ends: a PostgreSQL pool's idle connections would keep it
	// running until killed.
	process.once('sveltekit:shutdown', () => {
		stopScheduled();
		void closeServerDatabase().catch((e) => console.error('kaoping: closing the database failed', e));
	});
};

// The JSON endpoints under /api/ answer with codes, never with translated text, so they skip the middleware:
// it clones every request (body stream included), which was a fifth of the autosave endpoint's CPU time
// (npm run bench:autosave).
const handleLocale: Handle = ({ event, resolve }) =>
	event.url.pathname.startsWith('/api/')
		? resolve(event)
		: paraglideMiddleware(event.request, ({ request, locale }) => {
				event.request = request;
				return resolve(event, { transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale) });
			});

// SvelteKit's origin check covers form posts only (urlencoded, multipart, text/plain). JSON endpoints take
// nothing but application/json, which a cross-site form cannot send, so they need no token either.
const handleJsonOnly: Handle = ({ event, resolve }) => {
	if (event.url.pathname.startsWith('/api/') && !['GET', 'HEAD', 'OPTIONS'].includes(event.request.method)) {
		if (!isJsonContentType(event.request.headers.get('content-type'))) {
			return new Response(JSON.stringify(jsonOnlyRefusal.body), { status: jsonOnlyRefusal.status, headers: { 'content-type': 'application/json' } });
		}
	}
	return resolve(event);
};

const handleAuth: Handle = async ({ event, resolve }) => {
	const token = event.cookies.get(sessionCookieName);
	event.locals.member = null;
	event.locals.session = null;
	if (token) {
		const { session, member } = await validateSessionToken(db(), token);
		if (session) {
			setSessionCookie(event.cookies, event.url, token, session.expires_at);
			event.locals.session = session;
			event.locals.member = member;
		} else {
			deleteSessionCookie(event.cookies, event.url);
		}
	}
	return resolve(event);
};

const handleHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	for (const [name, value] of Object.entries(securityHeaders)) response.headers.set(name, value);
	// Pages show personal data: never kept by shared caches or the back button of a shared computer.
	if (!response.headers.has('cache-control') && !event.url.pathname.startsWith('/_app/')) {
		response.headers.set('cache-control', 'no-store');
	}
	return response;
};

export const handle = sequence(handleHeaders, handleJsonOnly, handleLocale, handleAuth);

// Errors are logged with the path only: no body, form data or cookies, which may hold passwords or ballots.
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (status >= 500) console.error(`[${status}] ${event.request.method} ${event.url.pathname}:`, error);
	return { message: status === 404 ? 'not_found' : message };
};
