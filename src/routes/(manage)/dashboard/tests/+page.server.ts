import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { settleExpired } from '$lib/server/analytics/counted';
import { testList } from '$lib/server/analytics/distribution';
import { unitChoiceOrError } from '$lib/server/analytics/unit-choice';
import type { PageServerLoad } from './$types';

// 测试分析: the counted tests, newest first, with the chosen units' headline numbers; each opens its analysis.
export const load: PageServerLoad = async ({ url }) => {
	const { member, scope } = await requireManager();
	const choice = await unitChoiceOrError(db(), scope, member, url);
	await settleExpired(db());
	return { choice, tests: await testList(db(), choice.chosen.unitIds), unit: url.searchParams.get('unit') ?? '' };
};
