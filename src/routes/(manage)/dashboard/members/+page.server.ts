import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { memberTablePageFor } from '$lib/server/analytics/member-routes';
import { unitInScope } from '$lib/server/org/scope';
import { unitTree } from '$lib/server/org/units';
import type { PageServerLoad } from './$types';

// 党员成绩: the member table of the viewer's scope, fifty a page; the download takes every matching row.
export const load: PageServerLoad = async ({ url }) => {
	const { scope } = await requireManager();
	const { filter, table } = await memberTablePageFor(db(), scope, url.searchParams);
	const units = (await unitTree(db())).filter((u) => unitInScope(scope, u.id));
	const topDepth = Math.min(...units.map((u) => u.depth));
	const exportQuery = new URLSearchParams(url.searchParams);
	exportQuery.delete('page');
	return {
		quarters: table.quarters,
		page: table.page,
		missedMembers: table.missedMembers,
		units: units.map((u) => ({ id: u.id, name: u.name, depth: u.depth - topDepth })),
		filter: { unitId: filter.unitId ?? null, q: filter.q ?? '', missedOnly: filter.missedOnly ?? false, sort: filter.sort },
		exportQuery: exportQuery.toString()
	};
};
