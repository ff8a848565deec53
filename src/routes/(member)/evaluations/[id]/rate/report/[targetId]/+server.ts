import { error } from '@sveltejs/kit';
import { requireMember } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { mayReadReports, pdfResponse, reportFile } from '$lib/server/evaluations/ballot-form';
import { idParam } from '$lib/server/form';
import type { RequestHandler } from './$types';

// A target's learning report as a PDF, for the campaign's eligible raters (anyone else: 404, as for a missing one).
export const GET: RequestHandler = async ({ params }) => {
	const member = requireMember();
	const id = idParam(params.id);
	const targetId = idParam(params.targetId);
	if (id === null || targetId === null || !(await mayReadReports(db(), id, member.id))) error(404, 'not_found');
	const file = await reportFile(db(), id, targetId);
	if (!file) error(404, 'not_found');
	return pdfResponse(file);
};

