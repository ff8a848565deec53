import { error, redirect } from '@sveltejs/kit';
import { requireMember } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { listAreas } from '$lib/server/bank/areas';
import { resultForMember } from '$lib/server/exams/paper-view';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url }) => {
	const member = requireMember();
	const id = Number(params.id);
	if (!Number.isSafeInteger(id) || id <= 0) error(404, 'not_found');
	const result = await resultForMember(db(), id, member.id);
	if (!result) error(404, 'not_found');
	// Still open (this device's clock thought time was up, or a link from elsewhere): back to the test.
	if (result.attempt.submitted_at === null) redirect(303, `/attempts/${id}`);
	const areas = await listAreas(db(), { includeRetired: true });
	return {
		title: result.exam.title,
		examId: result.exam.id,
		passCents: result.exam.pass_cents,
		maxCents: result.attempt.max_cents,
		scoreCents: result.scoreVisible ? result.attempt.score_cents : null,
		passed: result.scoreVisible ? result.attempt.passed === 1 : null,
		submittedHow: result.attempt.submitted_how,
		resultsPolicy: result.exam.results_policy,
		scoreVisible: result.scoreVisible,
		reviewVisible: result.reviewVisible,
		areas: result.areas.map((a) => ({ ...a, area: areas.find((x) => x.id === a.areaId) ?? null })),
		items: result.items,
		areaNames: Object.fromEntries(areas.map((a) => [a.id, { nameZh: a.nameZh, nameEn: a.nameEn }])),
		problem: url.searchParams.get('problem')
	};
};
