import { redirect } from '@sveltejs/kit';
import { cookieMaxAge, cookieName, isLocale } from '$lib/paraglide/runtime';
import { safePath, text, readForm } from '$lib/server/form';
import type { RequestHandler } from './$types';

/** The language switch: a plain form post, so it works before JavaScript loads; remembered in a cookie. */
export const POST: RequestHandler = async ({ request, cookies, url }) => {
	const form = await readForm(request);
	const locale = form.get('locale');
	if (typeof locale === 'string' && isLocale(locale)) {
		cookies.set(cookieName, locale, { path: '/', maxAge: cookieMaxAge, httpOnly: false, sameSite: 'lax', secure: url.protocol === 'https:' });
	}
	// Only a path on this site: an open redirect would let a phishing link borrow our address.
	redirect(303, safePath(text(form, 'redirectTo')));
};
