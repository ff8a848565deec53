import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { distributionFromUrl } from '$lib/server/analytics/distribution';
import type { PageServerLoad } from './$types';

// One counted test: the chosen units' score distribution with the pass mark, and the units below compared. Drafts,
// practice tests and unknown ids answer 404 alike.
export const load: PageServerLoad = async ({ params, url }) => {
	const { member, scope } = await requireManager();
	const { choice, distribution } = await distributionFromUrl(db(), scope, member, params.examId, url);
	return { choice, distribution, isCommittee: member.roles.includes('committee'), query: url.searchParams.toString() };
};
