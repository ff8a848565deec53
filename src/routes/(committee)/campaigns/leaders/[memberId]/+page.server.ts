import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { leaderHistory } from '$lib/server/evaluations/results';
import { idParam } from '$lib/server/evaluations/results-route';
import type { PageServerLoad } from './$types';

// One leader's results across campaigns, each under its own threshold.
export const load: PageServerLoad = async ({ params }) => {
	requireRole('committee');
	const history = await leaderHistory(db(), idParam(params.memberId));
	if (!history) error(404, 'not_found');
	return { history };
};
