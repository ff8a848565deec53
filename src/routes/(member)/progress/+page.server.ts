import { error } from '@sveltejs/kit';
import { requireMember } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { ownProgress } from '$lib/server/analytics/member-history';
import type { PageServerLoad } from './$types';

// 我的成绩: the member's own record, only the scores their tests' results policies release.
export const load: PageServerLoad = async () => {
	const member = requireMember();
	const progress = await ownProgress(db(), member.id);
	if (!progress) error(404, 'not_found');
	return { progress };
};
