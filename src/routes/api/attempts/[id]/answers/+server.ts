import { json } from '@sveltejs/kit';
import { db } from '$lib/server/db/instance';
import { maxSavesPerRequest, type Save } from '$lib/server/exams/attempts';
import { saveAnswersBatched } from '$lib/server/exams/save-batch';
import { attemptState } from '$lib/server/exams/paper-view';
import type { RequestHandler } from './$types';

// The test page's autosave. JSON only (hooks.server.ts refuses other content types on /api/, which is what keeps
// a cross-site form from posting here). Answers are never logged.

/** A whole paper queued offline is a few tens of kilobytes; anything far larger is not a test page talking. */
const maxBodyBytes = 256 * 1024;

/** The signed-in member who may take tests: not one whose password change is due (the guard's rule, as JSON). */
function taker(locals: App.Locals): { id: number } | Response {
	if (!locals.member) return json({ problem: 'signed_out' }, { status: 401 });
	if (locals.member.mustChangePassword) return json({ problem: 'password_change_required' }, { status: 403 });
	return locals.member;
}

function attemptId(param: string): number | null {
	const id = Number(param);
	return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** The stored answers and the server's clock, for a page coming back online or opened on another device. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const member = taker(locals);
	if (member instanceof Response) return member;
	const id = attemptId(params.id);
	const state = id === null ? undefined : await attemptState(db(), id, member.id);
	if (!state) return json({ problem: 'not_found' }, { status: 404 });
	return json(state);
};

/** `{ saves: [{ position, editedAt, answer?, flagged? }] }`, applied in order, all or nothing. */
export const POST: RequestHandler = async ({ locals, params, request }) => {
	const member = taker(locals);
	if (member instanceof Response) return member;
	const id = attemptId(params.id);
	if (id === null) return json({ problem: 'not_found' }, { status: 404 });
	if (Number(request.headers.get('content-length') ?? 0) > maxBodyBytes) return json({ problem: 'too_large' }, { status: 413 });
	let body: unknown;
	try {
		const text = await request.text();
		if (text.length > maxBodyBytes) return json({ problem: 'too_large' }, { status: 413 });
		body = JSON.parse(text);
	} catch {
		return json({ problem: 'invalid' }, { status: 400 });
	}
	const saves = (body as { saves?: unknown } | null)?.saves;
	if (!Array.isArray(saves) || saves.length > maxSavesPerRequest || !saves.every((s) => typeof s === 'object' && s !== null && !Array.isArray(s))) {
		return json({ problem: 'invalid' }, { status: 400 });
	}
	const now = Date.now();
	// Shares its commit (and fsync) with the other members' saves arriving at the same moment; see save-batch.ts.
	const result = await saveAnswersBatched(db(), id, member.id, saves as Save[], now);
	if (result.ok) return json({ results: result.results, serverNow: now, deadlineAt: result.deadlineAt });
	const status = { not_found: 404, invalid: 400, submitted: 409, deadline: 409 }[result.problem];
	return json({ problem: result.problem, position: result.position, serverNow: now }, { status });
};
