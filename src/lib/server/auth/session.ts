import { createHash } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Db } from '../db';
import { compiledOnce } from '../db/compiled';
import type { Role, Session } from '../db/schema';

// Sessions as the Lucia guide has them: the browser holds a random token, the database holds only its
// SHA-256, so a leaked session table cannot be replayed as cookies.

export const sessionCookieName = 'kaoping_session';
const day = 24 * 60 * 60 * 1000;
export const sessionLifetime = 30 * day;
/** A session used when fewer than 15 days remain is extended to a full 30 days again. */
export const sessionRenewWithin = 15 * day;

export type SessionMember = {
	id: number;
	loginId: string;
	name: string;
	unitId: number;
	roles: Role[];
	mustChangePassword: boolean;
};

export type SessionValidation = { session: Session; member: SessionMember } | { session: null; member: null };

/** 20 random bytes (160 bits), base32: more than the 120 bits the issue asks for. */
export function generateSessionToken(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(20));
	return encodeBase32LowerCaseNoPadding(bytes);
}

/** Node's own SHA-256 (native): this runs on every signed-in request, and the JavaScript one was a visible cost. */
export function sessionIdFromToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

export async function createSession(db: Db, token: string, memberId: number, now = Date.now()): Promise<Session> {
	const session: Session = {
		id: sessionIdFromToken(token),
		member_id: memberId,
		expires_at: now + sessionLifetime,
		created_at: now
	};
	await db.insertInto('session').values(session).execute();
	return session;
}

/** One query for the session, its member and the member's roles (one row per role; a member has at most a few). */
const sessionWithMember = compiledOnce((db: Db, sessionId: string) =>
	db
		.selectFrom('session')
		.innerJoin('member', 'member.id', 'session.member_id')
		.leftJoin('member_role', 'member_role.member_id', 'session.member_id')
		.select([
			'session.id',
			'session.member_id',
			'session.expires_at',
			'session.created_at',
			'member.login_id',
			'member.name',
			'member.unit_id',
			'member.status',
			'member.must_change_password',
			'member_role.role'
		])
		.where('session.id', '=', sessionId)
);

export async function validateSessionToken(db: Db, token: string, now = Date.now()): Promise<SessionValidation> {
	// A token is base32 of 20 bytes; anything else cannot be ours and costs no query.
	if (!/^[a-z2-7]{32}$/.test(token)) return { session: null, member: null };
	const sessionId = sessionIdFromToken(token);
	const { rows } = await sessionWithMember(db, sessionId);
	const row = rows[0];
	if (!row) return { session: null, member: null };
	if (now >= row.expires_at || row.status !== 'active') {
		await db.deleteFrom('session').where('id', '=', sessionId).execute();
		return { session: null, member: null };
	}
	let expiresAt = row.expires_at;
	if (now >= expiresAt - sessionRenewWithin) {
		expiresAt = now + sessionLifetime;
		await db.updateTable('session').set({ expires_at: expiresAt }).where('id', '=', sessionId).execute();
	}
	const roles = rows.flatMap((r) => (r.role === null ? [] : [r.role]));
	return {
		session: { id: row.id, member_id: row.member_id, expires_at: expiresAt, created_at: row.created_at },
		member: {
			id: row.member_id,
			loginId: row.login_id,
			name: row.name,
			unitId: row.unit_id,
			roles,
			mustChangePassword: row.must_change_password === 1
		}
	};
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
	await db.deleteFrom('session').where('id', '=', sessionId).execute();
}

/** Ends every session of a member: on password change, password reset and disabling the account. */
export async function invalidateMemberSessions(db: Db, memberId: number): Promise<void> {
	await db.deleteFrom('session').where('member_id', '=', memberId).execute();
}

export async function deleteExpiredSessions(db: Db, now = Date.now()): Promise<void> {
	await db.deleteFrom('session').where('expires_at', '<=', now).execute();
}
