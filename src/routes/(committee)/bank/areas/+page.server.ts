import { fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { createArea, listAreas, renameArea, setAreaRetired, type AreaResult } from '$lib/server/bank/areas';
import { integer, text, readForm } from '$lib/server/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	requireRole('committee');
	return { areas: await listAreas(db(), { includeRetired: true }) };
};

function outcome(result: AreaResult, areaId: number | null) {
	return result.ok ? { done: true as const } : fail(400, { areaId, field: result.field, problem: result.problem });
}

export const actions: Actions = {
	create: async ({ request }) => {
		requireRole('committee');
		const form = await readForm(request);
		return outcome(
			await createArea(db(), { code: text(form, 'code', 40), nameZh: text(form, 'nameZh', 100), nameEn: text(form, 'nameEn', 100), sources: text(form, 'sources', 200) }),
			null
		);
	},
	rename: async ({ request }) => {
		requireRole('committee');
		const form = await readForm(request);
		const id = integer(form, 'id') ?? 0;
		return outcome(await renameArea(db(), id, { nameZh: text(form, 'nameZh', 100), nameEn: text(form, 'nameEn', 100) }), id);
	},
	retire: async ({ request }) => {
		requireRole('committee');
		const id = integer(await readForm(request), 'id') ?? 0;
		return outcome(await setAreaRetired(db(), id, true), id);
	},
	restore: async ({ request }) => {
		requireRole('committee');
		const id = integer(await readForm(request), 'id') ?? 0;
		return outcome(await setAreaRetired(db(), id, false), id);
	}
};
