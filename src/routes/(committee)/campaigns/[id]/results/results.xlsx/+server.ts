import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db/instance';
import { fileResponse, xlsxType } from '$lib/server/download';
import { campaignCriteria, resultsByGroup } from '$lib/server/evaluations/results';
import { resultsFileName, resultsXlsx } from '$lib/server/evaluations/results-file';
import { idParam } from '$lib/server/evaluations/results-route';
import { toLocalInput } from '$lib/server/exams/quarters';
import type { RequestHandler } from './$types';

/** 测评结果汇总表: the whole campaign, then each rater group as the rules allow. */
export const GET: RequestHandler = async ({ params }) => {
	requireRole('committee');
	const id = idParam(params.id);
	const now = Date.now();
	const results = await resultsByGroup(db(), id, now);
	if (!results) error(404, 'not_found');
	const bytes = await resultsXlsx(results.all, results.byGroup, await campaignCriteria(db(), id), {
		exportedAt: toLocalInput(now, readConfig().timeZone).replace('T', ' ')
	});
	return fileResponse(bytes, resultsFileName(results.all.campaign.title, '测评结果汇总表'), xlsxType);
};
