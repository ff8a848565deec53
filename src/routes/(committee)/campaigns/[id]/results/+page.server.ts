import { error, fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db/instance';
import { campaignResults, raterRoll, releaseResults } from '$lib/server/evaluations/results';
import { groupParam, idParam } from '$lib/server/evaluations/results-route';
import type { Actions, PageServerLoad } from './$types';

// 测评结果 for the committee: the whole campaign or one rater group, under the threshold and no-subtraction
// rules of src/lib/server/evaluations/results.ts (a group the rules hide answers with the reason, not figures).
// While the real run is open, turnout only: counts per group and who has and has not rated.
export const load: PageServerLoad = async ({ params, url }) => {
	requireRole('committee');
	const id = idParam(params.id);
	const now = Date.now();
	const results = await campaignResults(db(), id, { groupId: groupParam(url), now });
	if (!results) error(404, 'not_found');
	const live = results.phase === 'open' || results.phase === 'final';
	return {
		results,
		roll: live ? await raterRoll(db(), id) : [],
		now,
		timeZone: readConfig().timeZone,
		query: url.searchParams.toString()
	};
};

export const actions: Actions = {
	// 向被测评人公布结果: closed campaigns only, once, after an explicit confirmation.
	release: async ({ params, request }) => {
		requireRole('committee');
		const id = idParam(params.id);
		const form = await request.formData();
		if (form.get('confirm') !== 'yes') return fail(400, { release: 'confirm_required' as const });
		const result = await releaseResults(db(), id);
		if (!result.ok) {
			if (result.problem === 'not_found') error(404, 'not_found');
			return fail(400, { release: result.problem });
		}
		return { release: 'done' as const };
	}
};
