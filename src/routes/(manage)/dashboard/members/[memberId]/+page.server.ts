import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { managedMemberProgress } from '$lib/server/analytics/member-routes';
import type { PageServerLoad } from './$types';

// A member's page: their history with their branch's mean, and their weakest areas. A member outside a
// secretary's subtree is 403, an unknown one 404.
export const load: PageServerLoad = async ({ params }) => {
	const { scope } = await requireManager();
	return { progress: await managedMemberProgress(db(), scope, params.memberId) };
};
