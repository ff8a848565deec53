import { error } from '@sveltejs/kit';
import { requireManager } from '$lib/server/auth/guard';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db/instance';
import { fileResponse, xlsxType } from '$lib/server/download';
import { publishedExamOr404 } from '$lib/server/exams/published';
import { examResults } from '$lib/server/exams/results';
import { examFileName, resultsXlsx } from '$lib/server/exams/results-file';
import { resultsFilterFromQuery } from '$lib/server/exams/results-query';
import { unitInScope } from '$lib/server/org/scope';
import { unitPaths } from '$lib/server/org/units';
import type { RequestHandler } from './$types';

/** 成绩表 as filtered and sorted on the page, within the manager's scope. */
export const GET: RequestHandler = async ({ params, url }) => {
	const { member, scope } = await requireManager();
	const exam = await publishedExamOr404(params.id);
	const filter = resultsFilterFromQuery(url.searchParams);
	const now = Date.now();
	const results = await examResults(db(), exam.id, scope, filter, now);
	if (!results) error(404, 'not_found');
	const paths = unitPaths(await db().selectFrom('unit').select(['id', 'name', 'parent_id']).execute());
	// What the sheet covers: the unit filtered on, else the manager's own unit (a secretary) or everything.
	const scopeLabel =
		filter.unitId !== undefined && unitInScope(scope, filter.unitId) ? (paths.get(filter.unitId) ?? '') : scope.kind === 'all' ? '全部单位' : (paths.get(member.unitId) ?? '');
	const bytes = await resultsXlsx(results, { timeZone: readConfig().timeZone, scopeLabel, now });
	return fileResponse(bytes, examFileName(exam, '成绩表'), xlsxType);
};
