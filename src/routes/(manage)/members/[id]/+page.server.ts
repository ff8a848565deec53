import { error, fail } from '@sveltejs/kit';
import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { readConfig } from '$lib/server/config';
import { isoDay } from '$lib/dates';
import { idParam, readForm } from '$lib/server/form';
import { memberInputFromForm } from '$lib/server/org/member-form';
import { getMember, resetMemberPassword, setMemberStatus, updateMember } from '$lib/server/org/members';
import { canManage, unitInScope, type Scope } from '$lib/server/org/scope';
import { unitTree } from '$lib/server/org/units';
import type { Actions, PageServerLoad } from './$types';

/** The member, if the actor's scope reaches them; otherwise 403 (or 404 for an id that does not exist). */
async function memberInScope(scope: Scope, rawId: string) {
	const id = idParam(rawId);
	const member = id === null ? undefined : await getMember(db(), id);
	if (!member) error(404, 'not_found');
	if (!canManage(scope, member)) error(403, 'forbidden');
	return member;
}

export const load: PageServerLoad = async ({ params }) => {
	const { member: viewer, scope } = await requireManager();
	const member = await memberInScope(scope, params.id);
	const units = (await unitTree(db())).filter((u) => unitInScope(scope, u.id));
	return {
		member,
		units: units.map((u) => ({ id: u.id, path: u.path })),
		canGrantRoles: viewer.roles.includes('committee'),
		isSelf: viewer.id === member.id,
		today: isoDay(Date.now(), readConfig().timeZone)
	};
};

export const actions: Actions = {
	save: async ({ request, params }) => {
		const { member: viewer, scope } = await requireManager();
		const member = await memberInScope(scope, params.id);
		const input = memberInputFromForm(await readForm(request), viewer.roles.includes('committee') ? undefined : member.roles);
		const result = await updateMember(db(), scope, member.id, input, Date.now(), viewer.id);
		if (!result.ok) {
			if ('forbidden' in result) error(403, 'forbidden');
			return fail(400, { values: input, errors: result.errors });
		}
		return { saved: true };
	},
	disable: async ({ params }) => {
		const { member: viewer, scope } = await requireManager();
		const member = await memberInScope(scope, params.id);
		const result = await setMemberStatus(db(), scope, viewer.id, member.id, 'disabled');
		if (!result.ok) {
			if ('forbidden' in result) error(403, 'forbidden');
			return fail(400, { statusProblem: 'self' as const });
		}
		return { statusChanged: 'disabled' as const };
	},
	enable: async ({ params }) => {
		const { member: viewer, scope } = await requireManager();
		const member = await memberInScope(scope, params.id);
		const result = await setMemberStatus(db(), scope, viewer.id, member.id, 'active');
		if (!result.ok) error(403, 'forbidden');
		return { statusChanged: 'active' as const };
	},
	resetPassword: async ({ params }) => {
		const { scope } = await requireManager();
		const member = await memberInScope(scope, params.id);
		const result = await resetMemberPassword(db(), scope, member.id);
		if (!result.ok) error(403, 'forbidden');
		return { reset: { loginId: member.loginId, name: member.name, temporaryPassword: result.temporaryPassword } };
	}
};
