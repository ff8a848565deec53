import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { distributionFromUrl } from '$lib/server/analytics/distribution';
import { tableDownload } from '$lib/server/analytics/table-file';
import { histogramTable, unitComparisonTable } from '$lib/analytics/distribution';
import type { RequestHandler } from './$types';

/** A test page's tables as CSV or XLSX, for the same units (`?unit=`). */
export const GET: RequestHandler = async ({ params, url }) => {
	const { member, scope } = await requireManager();
	const { distribution } = await distributionFromUrl(db(), scope, member, params.examId, url);
	return tableDownload([histogramTable(distribution), unitComparisonTable(distribution)], url, distribution.test.title);
};
