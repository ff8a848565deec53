import { redirect } from '@sveltejs/kit';
import { deleteSessionCookie } from '$lib/server/auth/cookie';
import { invalidateSession } from '$lib/server/auth/session';
import { db } from '$lib/server/db/instance';
import type { Actions, PageServerLoad } from './$types';

// GET shows a confirm button (a link cannot sign anyone out: that would be a cross-site request away).
export const load: PageServerLoad = ({ locals }) => {
	if (!locals.member) redirect(303, '/login');
	return {};
};

export const actions: Actions = {
	default: async ({ locals, cookies, url }) => {
		if (locals.session) await invalidateSession(db(), locals.session.id);
		deleteSessionCookie(cookies, url);
		redirect(303, '/login');
	}
};
