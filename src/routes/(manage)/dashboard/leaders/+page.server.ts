import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { leadersOverview } from '$lib/server/analytics/leaders';
import type { PageServerLoad } from './$types';

// 领导测评: each leader's campaigns over the years, the committee's alone (as the campaign results are).
export const load: PageServerLoad = async () => {
	requireRole('committee');
	return { leaders: await leadersOverview(db()) };
};
