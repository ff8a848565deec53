import { requireMember } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { managementScope } from '$lib/server/org/scope';
import { orgSummary } from '$lib/server/org/summary';
import { getMember } from '$lib/server/org/members';
import { readConfig } from '$lib/server/config';
import { recentExams, testsForMember } from '$lib/server/exams/member-tests';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const viewer = requireMember();
	const scope = await managementScope(db(), viewer);
	const me = await getMember(db(), viewer.id);
	return {
		name: viewer.name,
		unitPath: me?.unitPath ?? '',
		roles: viewer.roles,
		passwordChanged: url.searchParams.has('passwordChanged'),
		summary: scope.kind === 'none' ? null : await orgSummary(db(), scope),
		tests: await testsForMember(db(), viewer.id),
		exams: scope.kind === 'none' ? [] : await recentExams(db()),
		timeZone: readConfig().timeZone
	};
};
