import type { Db } from '../db';
import { generateSessionToken, sessionIdFromToken } from './session';

// Device cookies (OWASP, "Slow down online guessing attacks with device cookies"): a browser that has signed in
// to an account before carries a random token; only its SHA-256 is stored, with the login id. Sign-in
// failures from such a browser are counted apart from everyone else's, so an attacker cannot lock a member
// out of their own phone.

export const deviceCookieName = 'kaoping_device';
export const deviceLifetimeMs = 365 * 24 * 60 * 60 * 1000;

/** The hashed device id for a cookie value, if the browser is known for this login id. */
export async function knownDevice(db: Db, token: string | undefined, loginId: string): Promise<string | null> {
	if (!token || !/^[a-z2-7]{32}$/.test(token)) return null;
	const id = sessionIdFromToken(token);
	const row = await db
		.selectFrom('sign_in_device')
		.select('id')
		.where('id', '=', id)
		.where('login_key', '=', loginId.trim().toLowerCase())
		.executeTakeFirst();
	return row ? id : null;
}

/** After a successful sign-in: the browser is known for this login id from now on. Returns the cookie value. */
export async function rememberDevice(db: Db, token: string | undefined, loginId: string, now = Date.now()): Promise<string> {
	const value = token && /^[a-z2-7]{32}$/.test(token) ? token : generateSessionToken();
	await db
		.insertInto('sign_in_device')
		.values({ id: sessionIdFromToken(value), login_key: loginId.trim().toLowerCase(), created_at: now })
		.onConflict((oc) => oc.columns(['id', 'login_key']).doUpdateSet({ created_at: now }))
		.execute();
	return value;
}

export async function forgetOldDevices(db: Db, now = Date.now()): Promise<void> {
	await db.deleteFrom('sign_in_device').where('created_at', '<', now - deviceLifetimeMs).execute();
}
