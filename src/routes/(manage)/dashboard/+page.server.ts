import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { settleExpired } from '$lib/server/analytics/counted';
import { scoreTrends } from '$lib/server/analytics/trends';
import { unitChoiceOrError } from '$lib/server/analytics/unit-choice';
import { comparedSets } from '$lib/analytics/units';
import type { PageServerLoad } from './$types';

// 成绩趋势: per quarter, the viewer's scope and (when picked) one unit's subtree side by side.
export const load: PageServerLoad = async ({ url }) => {
	const { member, scope } = await requireManager();
	const choice = await unitChoiceOrError(db(), scope, member, url);
	await settleExpired(db());
	const trends = await scoreTrends(
		db(),
		comparedSets(choice).map((s) => s.unitIds)
	);
	return { choice, trends, query: url.searchParams.toString() };
};
