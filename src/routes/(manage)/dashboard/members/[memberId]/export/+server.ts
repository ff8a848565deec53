import { areasTable, historyTable } from '$lib/analytics/members';
import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { managedMemberProgress } from '$lib/server/analytics/member-routes';
import { tableDownload } from '$lib/server/analytics/table-file';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url }) => {
	const { scope } = await requireManager();
	const progress = await managedMemberProgress(db(), scope, params.memberId);
	return tableDownload([historyTable(progress), areasTable(progress)], url, `${progress.member.name}-${progress.member.loginId}`);
};
