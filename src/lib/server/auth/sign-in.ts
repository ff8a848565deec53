import { sql } from 'kysely';
import type { Db } from '../db';
import { checkPassword, dummyPasswordHash, hashPassword, verifyPassword, type PasswordProblem } from './password';
import { createSession, generateSessionToken, invalidateMemberSessions } from './session';
import { clearFailures, recordFailure, throttleKey, throttleWait } from './throttle';

export type SignInResult =
	| { ok: true; token: string; expiresAt: number; memberId: number; mustChangePassword: boolean }
	// One outcome for an unknown login id, a wrong password and a disabled account, so none of them can be
	// told apart (ASVS 2.2 / 3.x: no account enumeration).
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; waitSeconds: number };

export async function signIn(
	db: Db,
	input: { loginId: string; password: string; address: string },
	now = Date.now()
): Promise<SignInResult> {
	const loginId = input.loginId.trim();
	const accountKey = throttleKey('account', loginId);
	const addressKey = throttleKey('address', input.address);
	const wait = await throttleWait(
		db,
		[
			{ kind: 'account', key: accountKey },
			{ kind: 'address', key: addressKey }
		],
		now
	);
	if (wait > 0) return { ok: false, reason: 'throttled', waitSeconds: Math.ceil(wait / 1000) };

	const member = await db
		.selectFrom('member')
		.select(['id', 'password_hash', 'status', 'must_change_password'])
		// Login ids match whatever their letter case; they are unique that way too (see the migration).
		.where(sql<string>`lower(login_id)`, '=', loginId.toLowerCase())
		.executeTakeFirst();
	const passwordHash = member?.password_hash ?? (await dummyPasswordHash());
	const passwordOk = await verifyPassword(passwordHash, input.password);
	if (!member || !member.password_hash || !passwordOk || member.status !== 'active') {
		await recordFailure(db, [accountKey, addressKey], now);
		return { ok: false, reason: 'invalid' };
	}
	await clearFailures(db, accountKey);
	const token = generateSessionToken();
	const session = await createSession(db, token, member.id, now);
	await db.updateTable('member').set({ last_sign_in_at: now }).where('id', '=', member.id).execute();
	return {
		ok: true,
		token,
		expiresAt: session.expires_at,
		memberId: member.id,
		mustChangePassword: member.must_change_password === 1
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
	// Guessing the current password here is guessing a password: the same throttle as sign-in.
	const accountKey = throttleKey('account', member.login_id);
	const wait = await throttleWait(db, [{ kind: 'account', key: accountKey }], now);
	if (wait > 0) return { ok: false, problem: 'throttled', waitSeconds: Math.ceil(wait / 1000) };
	if (!member.password_hash || !(await verifyPassword(member.password_hash, input.current))) {
		await recordFailure(db, [accountKey, throttleKey('address', input.address)], now);
		return { ok: false, problem: 'wrong_current' };
	}
	if (input.next === input.current) return { ok: false, problem: 'same_as_current' };
	const problem = checkPassword(input.next, member.login_id);
	if (problem) return { ok: false, problem };
	const passwordHash = await hashPassword(input.next);
	await db.transaction().execute(async (trx) => {
		await trx
			.updateTable('member')
			.set({ password_hash: passwordHash, must_change_password: 0, updated_at: now })
			.where('id', '=', member.id)
			.execute();
		await invalidateMemberSessions(trx, member.id);
	});
	const token = generateSessionToken();
	const session = await createSession(db, token, member.id, now);
	return { ok: true, token, expiresAt: session.expires_at };
}
