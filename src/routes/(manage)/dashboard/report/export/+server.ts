import { requireManager } from '$lib/server/auth/guard';
import { reportFromUrl } from '$lib/server/analytics/report-load';
import { tableDownload } from '$lib/server/analytics/table-file';
import { reportTables } from '$lib/analytics/report';
import { setName } from '$lib/analytics/units';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { RequestHandler } from './$types';

/** The report's tables as CSV or XLSX, for the same unit and quarter. */
export const GET: RequestHandler = async ({ url }) => {
	const { member, scope } = await requireManager();
	const { choice, report } = await reportFromUrl(scope, member, url);
	return tableDownload(reportTables(report, setName(choice.chosen.name), getLocale()), url, m.dash_tab_report());
};
