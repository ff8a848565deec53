import { error } from '@sveltejs/kit';
import { db } from '$lib/server/db/instance';
import { codeGuessWait, findCampaignForCode, pdfResponse, recordWrongCode, reportFile } from '$lib/server/evaluations/ballot-form';
import { idParam, readForm, text } from '$lib/server/form';
import type { RequestHandler } from './$types';

// A target's learning report for a ballot opened by code: the ballot form is posted here (in a new tab) so the
// code travels in the body, never in a URL. Wrong codes count like on the ballot page.
export const POST: RequestHandler = async ({ params, request, getClientAddress }) => {
	const targetId = idParam(params.targetId);
	const form = await readForm(request);
	if (targetId === null) error(404, 'not_found');
	const address = getClientAddress();
	if ((await codeGuessWait(db(), address)) > 0) error(429, 'throttled');
	const found = await findCampaignForCode(db(), text(form, 'code', 64));
	if (!found.ok) {
		if (found.problem === 'code_unknown') await recordWrongCode(db(), address);
		error(404, 'not_found');
	}
	const file = await reportFile(db(), found.evaluationId, targetId);
	if (!file) error(404, 'not_found');
	return pdfResponse(file);
};
