import { json } from '@sveltejs/kit';
import { db } from '$lib/server/db/instance';
import type { Save } from '$lib/server/exams/attempts';
import { saveAnswersBatched } from '$lib/server/exams/save-batch';
import { attemptState } from '$lib/server/exams/paper-view';
import type { RequestHandler } from './$types';

// The test page's autosave. JSON only (hooks.server.ts refuses other content types on /api/, which is what keeps
// a cross-site form from posting here). Answers are never logged.

function attemptId(param: string): number | null {
	const id = Number(param);
	return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** The stored answers and the server's clock, for a page coming back online or opened on another device. */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.member) return json({ problem: 'signed_out' }, { status: 401 });
	const id = attemptId(params.id);
	const state = id === null ? undefined : await attemptState(db(), id, locals.member.id);
	if (!state) return json({ problem: 'not_found' }, { status: 404 });
	return json(state);
};

/** `{ saves: [{ position, editedAt, answer?, flagged? }] }`, applied in order, all or nothing. */
export const POST: RequestHandler = async ({ locals, params, request }) => {
	if (!locals.member) return json({ problem: 'signed_out' }, { status: 401 });
	const id = attemptId(params.id);
	if (id === null) return json({ problem: 'not_found' }, { status: 404 });
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		return json({ problem: 'invalid' }, { status: 400 });
	}
	const saves = (body as { saves?: unknown } | null)?.saves;
	if (!Array.isArray(saves) || !saves.every((s) => typeof s === 'object' && s !== null && !Array.isArray(s))) {
		return json({ problem: 'invalid' }, { status: 400 });
	}
	const now = Date.now();
	// Shares its commit (and fsync) with the other members' saves arriving at the same moment; see save-batch.ts.
	const result = await saveAnswersBatched(db(), id, locals.member.id, saves as Save[], now);
	if (result.ok) return json({ results: result.results, serverNow: now, deadlineAt: result.deadlineAt });
	const status = { not_found: 404, invalid: 400, submitted: 409, deadline: 409 }[result.problem];
	return json({ problem: result.problem, position: result.position, serverNow: now }, { status });
};
