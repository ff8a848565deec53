import { leaderTable } from '$lib/analytics/members';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { leadersOverview } from '$lib/server/analytics/leaders';
import { tableDownload } from '$lib/server/analytics/table-file';
import { m } from '$lib/paraglide/messages';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url }) => {
	requireRole('committee');
	return tableDownload((await leadersOverview(db())).map(leaderTable), url, m.dashMembers_leaders_title());
};
