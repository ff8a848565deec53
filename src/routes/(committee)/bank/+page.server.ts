import { fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db/instance';
import { listAreas } from '$lib/server/bank/areas';
import { notExportable } from '$lib/server/bank/export';
import { sourceDocuments } from '$lib/server/bank/documents';
import { bankPageSize, questionFilterFromQuery, todayIn } from '$lib/server/bank/filter';
import { coverage, listQuestions, reviseMany, setQuestionStatus } from '$lib/server/bank/questions';
import { difficulties, type Difficulty } from '$lib/server/bank/types';
import { text, readForm } from '$lib/server/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	requireRole('committee');
	const filter = questionFilterFromQuery(url.searchParams, todayIn(readConfig().timeZone));
	const [list, cells, areas, notExported] = await Promise.all([
		listQuestions(db(), filter),
		coverage(db()),
		listAreas(db(), { includeRetired: true }),
		notExportable(db(), filter)
	]);
	return {
		...list,
		coverage: cells,
		notExported,
		areas,
		documents: sourceDocuments,
		filter: { ...filter, q: filter.query ?? '', due: url.searchParams.get('due') === '1' },
		pageSize: bankPageSize,
		query: url.searchParams.toString()
	};
};

function selectedIds(form: FormData): number[] {
	return form
		.getAll('ids')
		.map((v) => (typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : 0))
		.filter((n) => n > 0)
		.slice(0, 1000);
}

export const actions: Actions = {
	// Bulk actions on the ticked questions; each is one transaction, so they all change or none does.
	bulk: async ({ request }) => {
		const actor = requireRole('committee');
		const form = await readForm(request);
		const ids = selectedIds(form);
		const action = text(form, 'action');
		if (ids.length === 0) return fail(400, { bulkProblem: 'none_selected' as const });
		if (action === 'retire' || action === 'activate') {
			const changed = await db()
				.transaction()
				.execute((trx) => setQuestionStatus(trx, actor.id, ids, action === 'retire' ? 'retired' : 'active'));
			return { bulkDone: changed };
		}
		if (action === 'difficulty') {
			const difficulty = text(form, 'difficulty') as Difficulty;
			if (!difficulties.includes(difficulty)) return fail(400, { bulkProblem: 'choose_difficulty' as const });
			const changed = await db()
				.transaction()
				.execute((trx) => reviseMany(trx, actor.id, ids, (q) => ({ ...q, difficulty })));
			return { bulkDone: changed };
		}
		if (action === 'retag') {
			const known = new Set((await listAreas(db())).map((a) => a.id));
			const areaIds = form
				.getAll('areas')
				.map((v) => Number(v))
				.filter((n) => known.has(n));
			if (areaIds.length === 0) return fail(400, { bulkProblem: 'choose_areas' as const });
			const changed = await db()
				.transaction()
				.execute((trx) => reviseMany(trx, actor.id, ids, (q) => ({ ...q, areaIds })));
			return { bulkDone: changed };
		}
		return fail(400, { bulkProblem: 'choose_action' as const });
	}
};
