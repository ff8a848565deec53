import { memberTableData } from '$lib/analytics/members';
import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { memberTableFor } from '$lib/server/analytics/member-routes';
import { tableDownload } from '$lib/server/analytics/table-file';
import { m } from '$lib/paraglide/messages';
import type { RequestHandler } from './$types';

// Every member matching the page's filter (not just the page shown), as CSV or XLSX.
export const GET: RequestHandler = async ({ url }) => {
	const { scope } = await requireManager();
	const table = await memberTableFor(db(), scope, url.searchParams);
	return tableDownload([memberTableData(table.quarters, table.rows)], url, m.dashMembers_title());
};
