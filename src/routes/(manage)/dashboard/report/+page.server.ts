import { requireManager } from '$lib/server/auth/guard';
import { readConfig } from '$lib/server/config';
import { reportFromUrl } from '$lib/server/analytics/report-load';
import type { PageServerLoad } from './$types';

// 学习情况通报: one unit's quarter on A4, for the committee (any unit) or a secretary (their subtree).
export const load: PageServerLoad = async ({ url }) => {
	const { member, scope } = await requireManager();
	const { choice, report } = await reportFromUrl(scope, member, url);
	return { choice, report, timeZone: readConfig().timeZone, query: url.searchParams.toString() };
};
