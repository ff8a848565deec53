import { readForm } from '$lib/server/form';
import { fail } from '@sveltejs/kit';
import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { memberInputFromForm } from '$lib/server/org/member-form';
import { createMember } from '$lib/server/org/members';
import { unitInScope } from '$lib/server/org/scope';
import { unitTree } from '$lib/server/org/units';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { member, scope } = await requireManager();
	const units = (await unitTree(db())).filter((u) => unitInScope(scope, u.id));
	return {
		units: units.map((u) => ({ id: u.id, path: u.path })),
		canGrantRoles: member.roles.includes('committee'),
		defaultUnitId: units.length === 1 || scope.kind === 'units' ? member.unitId : null
	};
};

export const actions: Actions = {
	save: async ({ request }) => {
		const { scope } = await requireManager();
		const input = memberInputFromForm(await readForm(request));
		const result = await createMember(db(), scope, input);
		if (!result.ok) return fail(400, { values: input, errors: result.errors });
		// The temporary password is shown once, here, and never stored in clear.
		return { created: { id: result.id, loginId: input.loginId, name: input.name, temporaryPassword: result.temporaryPassword } };
	}
};
