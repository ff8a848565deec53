import { error } from '@sveltejs/kit';
import { requireMember } from '$lib/server/auth/guard';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db/instance';
import { ownResults } from '$lib/server/evaluations/results';
import { idParam } from '$lib/server/evaluations/results-route';
import type { PageServerLoad } from './$types';

// A person rated sees their own row once the committee has released the results. Anyone else, an unreleased
// or unknown campaign: 404, all alike, so the answer says nothing about whom a campaign rated.
export const load: PageServerLoad = async ({ params }) => {
	const member = requireMember();
	const results = await ownResults(db(), idParam(params.id), member.id);
	if (!results) error(404, 'not_found');
	return { results, timeZone: readConfig().timeZone };
};
