import type { Cookies } from '@sveltejs/kit';
import { sessionCookieName } from './session';

// HttpOnly (no script can read it), SameSite=Lax (not sent on cross-site posts), Path=/, and Secure whenever
// the site is served over https, which a production installation is (ORIGIN=https://…). Plain http is
// left for a developer's localhost and the tests. The pages write it through SvelteKit's cookies; the autosave
// listener in front of SvelteKit (exams/autosave-listener.ts) writes the same cookie as a header.
const attributes = (secure: boolean) => ({ httpOnly: true, sameSite: 'lax', path: '/', secure }) as const;

export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: number): void {
	cookies.set(sessionCookieName, token, { ...attributes(url.protocol === 'https:'), expires: new Date(expiresAt) });
}

export function deleteSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(sessionCookieName, attributes(url.protocol === 'https:'));
}

/** setSessionCookie's cookie as a Set-Cookie header. The token is base32: nothing to escape. */
export function sessionCookieHeader(token: string, expiresAt: number, secure: boolean): string {
	return header(token, [`Expires=${new Date(expiresAt).toUTCString()}`], secure);
}

/** deleteSessionCookie's cookie as a Set-Cookie header. */
export function deletedSessionCookieHeader(secure: boolean): string {
	return header('', [`Expires=${new Date(0).toUTCString()}`, 'Max-Age=0'], secure);
}

/** The attributes above, written out next to them (HttpOnly, SameSite=Lax). */
function header(value: string, lifetime: string[], secure: boolean): string {
	const { path } = attributes(secure);
	return [`${sessionCookieName}=${value}`, `Path=${path}`, ...lifetime, 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])].join('; ');
}

/** The session token from a Cookie header; the first if a browser sends two, as SvelteKit's cookie parser takes. */
export function sessionTokenFromHeader(header: string | undefined): string | undefined {
	if (!header) return undefined;
	for (const part of header.split(';')) {
		const at = part.indexOf('=');
		if (at < 0 || part.slice(0, at).trim() !== sessionCookieName) continue;
		let value = part.slice(at + 1).trim();
		if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
		try {
			return decodeURIComponent(value);
		} catch {
			return value;
		}
	}
	return undefined;
}
