import { error } from '@sveltejs/kit';
import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { examPageHeader, publishedExamOr404 } from '$lib/server/exams/published';
import { examResults } from '$lib/server/exams/results';
import { resultsFilterFromQuery } from '$lib/server/exams/results-query';
import { unitInScope } from '$lib/server/org/scope';
import { unitTree } from '$lib/server/org/units';
import type { PageServerLoad } from './$types';

// 成绩: one row per member in the manager's scope with their best submitted attempt.
export const load: PageServerLoad = async ({ params, url }) => {
	const { member, scope } = await requireManager();
	const exam = await publishedExamOr404(params.id);
	const filter = resultsFilterFromQuery(url.searchParams);
	const now = Date.now();
	const results = await examResults(db(), exam.id, scope, filter, now);
	if (!results) error(404, 'not_found');
	const units = (await unitTree(db())).filter((u) => unitInScope(scope, u.id));
	const topDepth = Math.min(...units.map((u) => u.depth));
	return {
		header: examPageHeader(exam, member, now),
		results,
		units: units.map((u) => ({ id: u.id, name: u.name, depth: u.depth - topDepth })),
		filter: { unitId: filter.unitId ?? null, sort: filter.sort },
		query: url.searchParams.toString()
	};
};
