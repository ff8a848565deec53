import { error } from '@sveltejs/kit';
import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { settleExpired } from '$lib/server/analytics/counted';
import { areaMastery } from '$lib/server/analytics/mastery';
import { unitChoiceOrError } from '$lib/server/analytics/unit-choice';
import { quarterIndex } from '$lib/analytics/mastery';
import { comparedSets } from '$lib/analytics/units';
import type { PageServerLoad } from './$types';

// 内容掌握: the chosen unit's share of points per content area and quarter, and one quarter compared with the scope.
export const load: PageServerLoad = async ({ url }) => {
	const { member, scope } = await requireManager();
	const choice = await unitChoiceOrError(db(), scope, member, url);
	await settleExpired(db());
	const mastery = await areaMastery(
		db(),
		comparedSets(choice).map((s) => s.unitIds)
	);
	const quarter = quarterIndex(mastery.quarters, url.searchParams.get('quarter'));
	if (quarter < 0 && mastery.quarters.length > 0) error(404, 'not_found');
	return { choice, mastery, quarter, query: url.searchParams.toString() };
};
