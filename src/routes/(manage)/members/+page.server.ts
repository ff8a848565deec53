import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { memberFilterFromQuery } from '$lib/server/org/filter';
import { listMembers } from '$lib/server/org/members';
import { unitInScope } from '$lib/server/org/scope';
import { unitTree } from '$lib/server/org/units';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const { member, scope } = await requireManager();
	const filter = memberFilterFromQuery(url.searchParams);
	const members = await listMembers(db(), scope, filter);
	const units = (await unitTree(db())).filter((u) => unitInScope(scope, u.id));
	return {
		members,
		units: units.map((u) => ({ id: u.id, path: u.path, depth: u.depth })),
		filter: { ...filter, q: filter.query ?? '' },
		isCommittee: member.roles.includes('committee'),
		exportQuery: url.searchParams.toString()
	};
};
