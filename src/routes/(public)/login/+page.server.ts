import { fail, redirect } from '@sveltejs/kit';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { signIn } from '$lib/server/auth/sign-in';
import { deviceCookieName, deviceLifetimeMs } from '$lib/server/auth/device';
import { db } from '$lib/server/db/instance';
import { safePath, secret, text, readForm } from '$lib/server/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.member) redirect(303, safePath(url.searchParams.get('next')));
	return { next: safePath(url.searchParams.get('next'), '') };
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await readForm(request);
		const loginId = text(form, 'loginId', 64);
		const password = secret(form, 'password');
		const next = safePath(text(form, 'next'));
		if (!loginId || !password) return fail(400, { loginId, problem: 'missing' as const });
		const result = await signIn(db(), { loginId, password, address: getClientAddress(), deviceToken: cookies.get(deviceCookieName) });
		if (!result.ok) {
			if (result.reason === 'throttled') return fail(429, { loginId, problem: 'throttled' as const, waitSeconds: result.waitSeconds });
			return fail(400, { loginId, problem: 'invalid' as const });
		}
		setSessionCookie(cookies, url, result.token, result.expiresAt);
		cookies.set(deviceCookieName, result.deviceToken, {
			httpOnly: true,
			sameSite: 'lax',
			path: '/',
			secure: url.protocol === 'https:',
			maxAge: deviceLifetimeMs / 1000
		});
		redirect(303, result.mustChangePassword ? '/account/password' : next);
	}
};
