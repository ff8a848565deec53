import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { settleExpired } from '$lib/server/analytics/counted';
import { tableDownload } from '$lib/server/analytics/table-file';
import { scoreTrends } from '$lib/server/analytics/trends';
import { unitChoiceOrError } from '$lib/server/analytics/unit-choice';
import { trendTables } from '$lib/analytics/trends';
import { comparedSets } from '$lib/analytics/units';
import { m } from '$lib/paraglide/messages';
import type { RequestHandler } from './$types';

/** The trends page's table as CSV or XLSX, for the same units as the page (`?unit=`). */
export const GET: RequestHandler = async ({ url }) => {
	const { member, scope } = await requireManager();
	const choice = await unitChoiceOrError(db(), scope, member, url);
	await settleExpired(db());
	const sets = comparedSets(choice);
	const trends = await scoreTrends(
		db(),
		sets.map((s) => s.unitIds)
	);
	return tableDownload(trendTables(trends, sets.map((s) => s.name)), url, m.dash_tab_trends());
};
