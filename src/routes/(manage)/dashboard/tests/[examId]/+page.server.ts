import { error } from '@sveltejs/kit';
import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { idParam } from '$lib/server/form';
import { settleExpired } from '$lib/server/analytics/counted';
import { testDistribution } from '$lib/server/analytics/distribution';
import { unitChoiceOrError } from '$lib/server/analytics/unit-choice';
import type { PageServerLoad } from './$types';

// One counted test: the chosen units' score distribution with the pass mark, and the units below compared. Drafts,
// practice tests and unknown ids answer 404 alike.
export const load: PageServerLoad = async ({ params, url }) => {
	const { member, scope } = await requireManager();
	const examId = idParam(params.examId);
	if (examId === null) error(404, 'not_found');
	const choice = await unitChoiceOrError(db(), scope, member, url);
	await settleExpired(db());
	const distribution = await testDistribution(db(), examId, choice.chosen);
	if (!distribution) error(404, 'not_found');
	return { choice, distribution, isCommittee: member.roles.includes('committee'), query: url.searchParams.toString() };
};
