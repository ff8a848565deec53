import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { memberFilterFromQuery } from '$lib/server/org/filter';
import { membersToXlsx } from '$lib/server/org/member-file';
import { listMembers } from '$lib/server/org/members';
import { fileResponse, xlsxType } from '$lib/server/download';
import type { RequestHandler } from './$types';

/** The member list as filtered on the page, in the import template's columns, so export → import round-trips. */
export const GET: RequestHandler = async ({ url }) => {
	const { scope } = await requireManager();
	const filter = memberFilterFromQuery(url.searchParams);
	const members = await listMembers(db(), scope, filter);
	const bytes = await membersToXlsx(
		members.map((m) => ({
			loginId: m.loginId,
			name: m.name,
			unit: m.unitPath,
			roles: m.roles,
			positionTitle: m.positionTitle,
			isLeader: m.isLeader,
			status: m.status
		}))
	);
	return fileResponse(bytes, '成员名单.xlsx', xlsxType);
};
