import { fail, redirect } from '@sveltejs/kit';
import { requireMember } from '$lib/server/auth/guard';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { changePassword } from '$lib/server/auth/sign-in';
import { db } from '$lib/server/db/instance';
import { secret, readForm } from '$lib/server/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	const member = requireMember();
	return { forced: member.mustChangePassword, loginId: member.loginId };
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const member = requireMember();
		const form = await readForm(request);
		const current = secret(form, 'current');
		const next = secret(form, 'next');
		const confirm = secret(form, 'confirm');
		if (!current) return fail(400, { field: 'current' as const, problem: 'required' as const });
		if (!next) return fail(400, { field: 'next' as const, problem: 'required' as const });
		if (next !== confirm) return fail(400, { field: 'confirm' as const, problem: 'mismatch' as const });
		const result = await changePassword(db(), { memberId: member.id, current, next, address: getClientAddress() });
		if (!result.ok) {
			const field = result.problem === 'wrong_current' || result.problem === 'throttled' ? ('current' as const) : ('next' as const);
			return fail(result.problem === 'throttled' ? 429 : 400, { field, problem: result.problem, waitSeconds: result.waitSeconds });
		}
		setSessionCookie(cookies, url, result.token, result.expiresAt);
		redirect(303, '/?passwordChanged=1');
	}
};
