import { error } from '@sveltejs/kit';
import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { idParam } from '$lib/server/form';
import { settleExpired } from '$lib/server/analytics/counted';
import { testDistribution } from '$lib/server/analytics/distribution';
import { tableDownload } from '$lib/server/analytics/table-file';
import { unitChoiceOrError } from '$lib/server/analytics/unit-choice';
import { histogramTable, unitComparisonTable } from '$lib/analytics/distribution';
import type { RequestHandler } from './$types';

/** A test page's tables as CSV or XLSX, for the same units (`?unit=`). */
export const GET: RequestHandler = async ({ params, url }) => {
	const { member, scope } = await requireManager();
	const examId = idParam(params.examId);
	if (examId === null) error(404, 'not_found');
	const choice = await unitChoiceOrError(db(), scope, member, url);
	await settleExpired(db());
	const distribution = await testDistribution(db(), examId, choice.chosen);
	if (!distribution) error(404, 'not_found');
	return tableDownload([histogramTable(distribution), unitComparisonTable(distribution)], url, distribution.test.title);
};
