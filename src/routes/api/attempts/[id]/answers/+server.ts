import { json } from '@sveltejs/kit';
import { db } from '$lib/server/db/instance';
import { attemptIdParam, autosave, autosaveTaker, maxAutosaveBodyBytes } from '$lib/server/exams/autosave';
import { attemptState } from '$lib/server/exams/paper-view';
import type { RequestHandler } from './$types';

// The test page's autosave. JSON only (hooks.server.ts refuses other content types on /api/, which is what keeps
// a cross-site form from posting here). Answers are never logged. In the built server (npm run serve) the POST
// is taken before SvelteKit by exams/autosave-listener.ts, with the same rules (exams/autosave.ts); this
// endpoint serves it under `vite dev` and `vite preview`.

/** The stored answers and the server's clock, for a page coming back online or opened on another device. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const taker = autosaveTaker(locals.member);
	if ('status' in taker) return json(taker.body, { status: taker.status });
	const id = attemptIdParam(params.id);
	const state = id === null ? undefined : await attemptState(db(), id, taker.id);
	if (!state) return json({ problem: 'not_found' }, { status: 404 });
	return json(state);
};

export const POST: RequestHandler = async ({ locals, params, request }) => {
	// Nobody signed out gets a body read.
	const taker = autosaveTaker(locals.member);
	if ('status' in taker) return json(taker.body, { status: taker.status });
	if (Number(request.headers.get('content-length') ?? 0) > maxAutosaveBodyBytes) return json({ problem: 'too_large' }, { status: 413 });
	let text: string;
	try {
		text = await request.text();
	} catch {
		return json({ problem: 'invalid' }, { status: 400 });
	}
	const { status, body } = await autosave(db(), taker.id, params.id, text);
	return json(body, { status });
};
