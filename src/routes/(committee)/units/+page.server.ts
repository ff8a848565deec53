import { fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { integer, text, readForm } from '$lib/server/form';
import { archiveUnit, createUnit, moveUnit, renameUnit, restoreUnit, unitKinds, unitTree, type UnitResult } from '$lib/server/org/units';
import type { UnitKind } from '$lib/types';
import type { Actions, PageServerLoad } from './$types';

// Units are the committee's to shape; secretaries manage members inside the units they have.

export const load: PageServerLoad = async ({ url }) => {
	requireRole('committee');
	const showArchived = url.searchParams.get('archived') === '1';
	const units = await unitTree(db(), { includeArchived: showArchived });
	return { units, showArchived };
};

function outcome(action: string, unitId: number | null, result: UnitResult) {
	if (result.ok) return { action, unitId: result.id, done: true as const };
	return fail(400, { action, unitId, problem: result.problem });
}

export const actions: Actions = {
	create: async ({ request }) => {
		requireRole('committee');
		const form = await readForm(request);
		const kind = text(form, 'kind') as UnitKind;
		if (!unitKinds.includes(kind)) return fail(400, { action: 'create', unitId: null, problem: 'kind_not_allowed_here' as const });
		const parentId = integer(form, 'parentId');
		return outcome('create', null, await createUnit(db(), { name: text(form, 'name', 200), kind, parentId }));
	},
	rename: async ({ request }) => {
		requireRole('committee');
		const form = await readForm(request);
		const id = integer(form, 'id') ?? 0;
		return outcome('rename', id, await renameUnit(db(), id, text(form, 'name', 200)));
	},
	move: async ({ request }) => {
		requireRole('committee');
		const form = await readForm(request);
		const id = integer(form, 'id') ?? 0;
		return outcome('move', id, await moveUnit(db(), id, integer(form, 'parentId') ?? 0));
	},
	archive: async ({ request }) => {
		requireRole('committee');
		const id = integer(await readForm(request), 'id') ?? 0;
		return outcome('archive', id, await archiveUnit(db(), id));
	},
	restore: async ({ request }) => {
		requireRole('committee');
		const id = integer(await readForm(request), 'id') ?? 0;
		return outcome('restore', id, await restoreUnit(db(), id));
	}
};
