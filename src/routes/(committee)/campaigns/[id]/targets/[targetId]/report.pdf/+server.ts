import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { idParam } from '$lib/server/form';
import { reportFileFor, reportResponse } from '$lib/server/evaluations/report-file';
import type { RequestHandler } from './$types';

// The committee opens a target's uploaded report here. Raters read it through the rating pages, which check
// that they may rate this campaign.
export const GET: RequestHandler = async ({ params }) => {
	requireRole('committee');
	const campaignId = idParam(params.id);
	const targetId = idParam(params.targetId);
	const file = targetId === null ? undefined : await reportFileFor(db(), targetId);
	if (!file || file.evaluationId !== campaignId) error(404, 'not_found');
	return reportResponse(file);
};
