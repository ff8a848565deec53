import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db/instance';
import { resultsByGroup } from '$lib/server/evaluations/results';
import { idParam } from '$lib/server/evaluations/results-route';
import type { PageServerLoad } from './$types';

// The printable A4 page: the whole campaign, then each rater group as the rules allow (the same as the XLSX).
export const load: PageServerLoad = async ({ params }) => {
	requireRole('committee');
	const now = Date.now();
	const results = await resultsByGroup(db(), idParam(params.id), now);
	if (!results) error(404, 'not_found');
	return { ...results, now, timeZone: readConfig().timeZone };
};
