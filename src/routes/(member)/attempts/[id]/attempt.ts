import { error } from '@sveltejs/kit';
import { requireMember } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { paperForMember } from '$lib/server/exams/paper-view';

/** The signed-in member's own online attempt, or 404: someone else's attempt looks exactly like a missing one. */
export async function ownPaper(param: string) {
	const member = requireMember();
	const id = Number(param);
	if (!Number.isSafeInteger(id) || id <= 0) error(404, 'not_found');
	const paper = await paperForMember(db(), id, member.id);
	if (!paper || paper.attempt.mode !== 'online') error(404, 'not_found');
	return { member, paper };
}
