import { sql } from 'kysely';
import type { Db } from '../db';
import { knownDevice, rememberDevice } from './device';
import { checkPassword, dummyPasswordHash, hashPassword, verifyPassword, type PasswordProblem } from './password';
import { createSession, generateSessionToken, invalidateMemberSessions } from './session';
import { claimAttempt, forgiveAttempt, throttleKey } from './throttle';

export type SignInResult =
	| { ok: true; token: string; expiresAt: number; memberId: number; mustChangePassword: boolean; deviceToken: string }
	// One outcome for an unknown login id, a wrong password and a disabled account, so none of them can be
	// told apart (ASVS 2.2 / 3.x: no account enumeration).
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; waitSeconds: number };

export async function signIn(
	db: Db,
	input: { loginId: string; password: string; address: string; deviceToken?: string },
	now = Date.now()
): Promise<SignInResult> {
	const loginId = input.loginId.trim();
	const device = await knownDevice(db, input.deviceToken, loginId);
	// From a browser this account has used before, only that browser's own failures slow it down.
	const accountKey = device ? throttleKey('device', `${device}:${loginId}`) : throttleKey('account', loginId);
	const addressKey = throttleKey('address', input.address);
	const wait = await claimAttempt(db, [accountKey, addressKey], now);
	if (wait > 0) return { ok: false, reason: 'throttled', waitSeconds: Math.ceil(wait / 1000) };

	const member = await db
		.selectFrom('member')
		.select(['id', 'password_hash', 'status', 'must_change_password'])
		// Login ids match whatever their letter case; they are unique that way too (see the migration).
		.where(sql<string>`lower(login_id)`, '=', loginId.toLowerCase())
		.executeTakeFirst();
	const passwordHash = member?.password_hash ?? (await dummyPasswordHash());
	const passwordOk = await verifyPassword(passwordHash, input.password);
	// The attempt was already counted as a failure by claimAttempt; only a success changes that.
	if (!member || !member.password_hash || !passwordOk || member.status !== 'active') return { ok: false, reason: 'invalid' };

	await forgiveAttempt(db, [accountKey], [addressKey]);
	const deviceToken = await rememberDevice(db, input.deviceToken, loginId, now);
	const token = generateSessionToken();
	const session = await createSession(db, token, member.id, now);
	await db.updateTable('member').set({ last_sign_in_at: now }).where('id', '=', member.id).execute();
	return {
		ok: true,
		token,
		expiresAt: session.expires_at,
		memberId: member.id,
		mustChangePassword: member.must_change_password === 1,
		deviceToken
	};
}

export type ChangePasswordResult =
	| { ok: true; token: string; expiresAt: number }
	| { ok: false; problem: PasswordProblem | 'wrong_current' | 'same_as_current' | 'throttled'; waitSeconds?: number };

/**
 * Changes a member's own password after checking the current one, ends all their sessions (a thief holding
 * another session is shut out) and opens a fresh session for the browser that made the change.
 */
export async function changePassword(
	db: Db,
	input: { memberId: number; current: string; next: string; address: string },
	now = Date.now()
): Promise<ChangePasswordResult> {
	const member = await db
		.selectFrom('member')
		.select(['id', 'login_id', 'password_hash'])
		.where('id', '=', input.memberId)
		.executeTakeFirstOrThrow();
	if (input.next === input.current) return { ok: false, problem: 'same_as_current' };
	const problem = checkPassword(input.next, member.login_id);
	if (problem) return { ok: false, problem };
	// Guessing the current password here is guessing a password, throttled per member: an attacker failing
	// sign-ins elsewhere does not stop the member from changing their password.
	const key = throttleKey('password', String(member.id));
	const wait = await claimAttempt(db, [key], now);
	if (wait > 0) return { ok: false, problem: 'throttled', waitSeconds: Math.ceil(wait / 1000) };
	if (!member.password_hash || !(await verifyPassword(member.password_hash, input.current))) {
		return { ok: false, problem: 'wrong_current' };
	}
	await forgiveAttempt(db, [key], []);
	const passwordHash = await hashPassword(input.next);
	const changed = await db.transaction().execute(async (trx) => {
		// Only if the password is still the one just checked: a reset that landed in between wins.
		const result = await trx
			.updateTable('member')
			.set({ password_hash: passwordHash, must_change_password: 0, updated_at: now })
			.where('id', '=', member.id)
			.where('password_hash', '=', member.password_hash)
			.executeTakeFirst();
		if (result.numUpdatedRows === 0n) return false;
		await invalidateMemberSessions(trx, member.id);
		return true;
	});
	if (!changed) return { ok: false, problem: 'wrong_current' };
	const token = generateSessionToken();
	const session = await createSession(db, token, member.id, now);
	return { ok: true, token, expiresAt: session.expires_at };
}
