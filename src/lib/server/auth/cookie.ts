import type { Cookies } from '@sveltejs/kit';
import { sessionCookieName } from './session';

// HttpOnly (no script can read it), SameSite=Lax (not sent on cross-site posts), Path=/, and Secure whenever
// the site is served over https, which a production installation is (ORIGIN=https://…). Plain http is
// left for a developer's localhost and the tests.
export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: number): void {
	cookies.set(sessionCookieName, token, {
		httpOnly: true,
		sameSite: 'lax',
		path: '/',
		secure: url.protocol === 'https:',
		expires: new Date(expiresAt)
	});
}

export function deleteSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(sessionCookieName, { httpOnly: true, sameSite: 'lax', path: '/', secure: url.protocol === 'https:' });
}
