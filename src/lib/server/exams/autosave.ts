import type { Db } from '../db';
import type { SessionMember } from '../auth/session';
import { maxSavesPerRequest, type Save } from './attempts';
import { saveAnswersBatched } from './save-batch';

// The test page's autosave request, whichever HTTP layer carries it: the SvelteKit endpoint
// (routes/api/attempts/[id]/answers) in development, and the lean listener in front of SvelteKit in the built
// server (autosave-listener.ts). Both hand the signed-in member (or null) and the body as text; the answer is a
// status and a JSON body. Answers are never logged.

/** A whole paper queued offline is a few tens of kilobytes; anything far larger is not a test page talking. */
export const maxAutosaveBodyBytes = 256 * 1024;

export type AutosaveReply = { status: number; body: Record<string, unknown> };

const reply = (status: number, body: Record<string, unknown>): AutosaveReply => ({ status, body });

/** The signed-in member who may take tests: not one whose password change is due (the guard's rule, as JSON). */
export function autosaveTaker(member: SessionMember | null): { id: number } | AutosaveReply {
	if (!member) return reply(401, { problem: 'signed_out' });
	if (member.mustChangePassword) return reply(403, { problem: 'password_change_required' });
	return member;
}

/** An attempt id from the URL: a positive integer, or null (which answers as not found). */
export function attemptIdParam(param: string): number | null {
	const id = Number(param);
	return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/**
 * `{ saves: [{ position, editedAt, answer?, flagged? }] }`, applied in order, all or nothing, for the member
 * autosaveTaker let through.
 */
export async function autosave(db: Db, memberId: number, attemptParam: string, text: string, now = Date.now()): Promise<AutosaveReply> {
	const id = attemptIdParam(attemptParam);
	if (id === null) return reply(404, { problem: 'not_found' });
	if (text.length > maxAutosaveBodyBytes) return reply(413, { problem: 'too_large' });
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		return reply(400, { problem: 'invalid' });
	}
	const saves = (body as { saves?: unknown } | null)?.saves;
	if (!Array.isArray(saves) || saves.length > maxSavesPerRequest || !saves.every((s) => typeof s === 'object' && s !== null && !Array.isArray(s))) {
		return reply(400, { problem: 'invalid' });
	}
	// Shares its commit (and fsync) with the other members' saves arriving at the same moment; see save-batch.ts.
	const result = await saveAnswersBatched(db, id, memberId, saves as Save[], now);
	if (result.ok) return reply(200, { results: result.results, serverNow: now, deadlineAt: result.deadlineAt });
	const status = { not_found: 404, invalid: 400, submitted: 409, deadline: 409 }[result.problem];
	return reply(status, { problem: result.problem, position: result.position, serverNow: now });
}
