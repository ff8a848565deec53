import { fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { areaLimits, createArea, listAreas, renameArea, setAreaRetired, type AreaResult } from '$lib/server/bank/areas';
import { integer, text, readForm } from '$lib/server/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	requireRole('committee');
	return { areas: await listAreas(db(), { includeRetired: true }), limits: areaLimits };
};

type AreaValues = { code?: string; nameZh: string; nameEn: string; sources?: string };

/** A refused form comes back with what was typed, so nothing has to be typed again. */
function outcome(result: AreaResult, areaId: number | null, values?: AreaValues) {
	return result.ok ? { done: true as const } : fail(400, { areaId, field: result.field, problem: result.problem, values });
}

// Read far past the limits: an over-long name is refused with the limit named, not cut to fit.
const readValues = (form: FormData): AreaValues => ({
	code: text(form, 'code', 200),
	nameZh: text(form, 'nameZh', 2000),
	nameEn: text(form, 'nameEn', 2000),
	sources: text(form, 'sources', 5000)
});

export const actions: Actions = {
	create: async ({ request }) => {
		requireRole('committee');
		const values = readValues(await readForm(request));
		return outcome(await createArea(db(), { code: values.code ?? '', nameZh: values.nameZh, nameEn: values.nameEn, sources: values.sources ?? '' }), null, values);
	},
	rename: async ({ request }) => {
		requireRole('committee');
		const form = await readForm(request);
		const id = integer(form, 'id') ?? 0;
		const { nameZh, nameEn } = readValues(form);
		return outcome(await renameArea(db(), id, { nameZh, nameEn }), id, { nameZh, nameEn });
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
