import { requireMember } from '$lib/server/auth/guard';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db/instance';
import { testsForMember } from '$lib/server/exams/member-tests';
import { memberHistory } from '$lib/server/exams/paper-view';
import type { PageServerLoad } from './$types';

// The member's own tests: what they can take now, and their results across quarters.
export const load: PageServerLoad = async () => {
	const member = requireMember();
	const now = Date.now();
	return {
		open: await testsForMember(db(), member.id, now),
		history: await memberHistory(db(), member.id, now),
		timeZone: readConfig().timeZone
	};
};
