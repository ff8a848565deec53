import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { freshDatabase, makeMember, makeUnit } from '../testing/db';
import {
	createSession,
	deleteExpiredSessions,
	generateSessionToken,
	invalidateMemberSessions,
	invalidateSession,
	sessionIdFromToken,
	sessionLifetime,
	sessionRenewWithin,
	validateSessionToken
} from './session';

let db: Db;
let memberId: number;
beforeEach(async () => {
	db = (await freshDatabase()).db;
	memberId = await makeMember(db, { unitId: await makeUnit(db), loginId: 'T001', name: '张三', roles: ['secretary'] });
});
afterEach(() => db.destroy());

const day = 24 * 60 * 60 * 1000;

describe('session tokens', () => {
	it('are 160 random bits in base32 and never repeat', () => {
		const tokens = new Set(Array.from({ length: 1000 }, generateSessionToken));
		expect(tokens.size).toBe(1000);
		for (const token of tokens) expect(token).toMatch(/^[a-z2-7]{32}$/); // 32 × 5 bits = 160 bits
	});

	it('are stored only as their SHA-256', async () => {
		const token = generateSessionToken();
		await createSession(db, token, memberId);
		const rows = await db.selectFrom('session').selectAll().execute();
		expect(rows).toHaveLength(1);
		expect(rows[0]?.id).toBe(sessionIdFromToken(token));
		expect(rows[0]?.id).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(rows)).not.toContain(token);
	});
});

describe('validateSessionToken', () => {
	it('returns the member with roles for a fresh session', async () => {
		const token = generateSessionToken();
		const now = Date.now();
		await createSession(db, token, memberId, now);
		const result = await validateSessionToken(db, token, now + 1000);
		expect(result.member).toMatchObject({ id: memberId, loginId: 'T001', name: '张三', roles: ['member', 'secretary'], mustChangePassword: false });
		expect(result.session?.expires_at).toBe(now + sessionLifetime);
	});

	it('rejects an unknown token and malformed cookies without error', async () => {
		expect((await validateSessionToken(db, generateSessionToken())).session).toBeNull();
		expect((await validateSessionToken(db, '')).session).toBeNull();
		expect((await validateSessionToken(db, "' or 1=1 --")).session).toBeNull();
	});

	it('cannot be fooled by a stolen session row: its id is not a token', async () => {
		const token = generateSessionToken();
		await createSession(db, token, memberId);
		const stolen = await db.selectFrom('session').select('id').executeTakeFirstOrThrow();
		expect((await validateSessionToken(db, stolen.id)).session).toBeNull();
		expect((await validateSessionToken(db, stolen.id.slice(0, 32))).session).toBeNull();
		expect((await validateSessionToken(db, token)).session).not.toBeNull();
	});

	it('expires after 30 days and deletes the expired row', async () => {
		const token = generateSessionToken();
		const start = Date.now();
		await createSession(db, token, memberId, start);
		expect((await validateSessionToken(db, token, start + 30 * day)).session).toBeNull();
		expect(await db.selectFrom('session').selectAll().execute()).toHaveLength(0);
	});

	it('is not renewed while more than 15 days remain', async () => {
		const token = generateSessionToken();
		const start = Date.now();
		await createSession(db, token, memberId, start);
		const result = await validateSessionToken(db, token, start + 14 * day);
		expect(result.session?.expires_at).toBe(start + sessionLifetime);
	});

	it('is renewed to 30 days when fewer than 15 remain', async () => {
		const token = generateSessionToken();
		const start = Date.now();
		await createSession(db, token, memberId, start);
		const later = start + sessionLifetime - sessionRenewWithin + 1;
		const result = await validateSessionToken(db, token, later);
		expect(result.session?.expires_at).toBe(later + sessionLifetime);
		const row = await db.selectFrom('session').select('expires_at').executeTakeFirstOrThrow();
		expect(row.expires_at).toBe(later + sessionLifetime);
		// Still valid past the original expiry.
		expect((await validateSessionToken(db, token, start + sessionLifetime + day)).session).not.toBeNull();
	});

	it('stops working for a disabled member', async () => {
		const token = generateSessionToken();
		await createSession(db, token, memberId);
		await db.updateTable('member').set({ status: 'disabled' }).execute();
		expect((await validateSessionToken(db, token)).session).toBeNull();
	});

	it('reports that the password must be changed', async () => {
		const token = generateSessionToken();
		await createSession(db, token, memberId);
		await db.updateTable('member').set({ must_change_password: 1 }).execute();
		expect((await validateSessionToken(db, token)).member?.mustChangePassword).toBe(true);
	});
});

describe('invalidation', () => {
	it('ends one session', async () => {
		const a = generateSessionToken();
		const b = generateSessionToken();
		await createSession(db, a, memberId);
		await createSession(db, b, memberId);
		await invalidateSession(db, sessionIdFromToken(a));
		expect((await validateSessionToken(db, a)).session).toBeNull();
		expect((await validateSessionToken(db, b)).session).not.toBeNull();
	});

	it("ends all of a member's sessions and nobody else's", async () => {
		const other = await makeMember(db, { unitId: await makeUnit(db), loginId: 'T002' });
		const mine = [generateSessionToken(), generateSessionToken()];
		const theirs = generateSessionToken();
		for (const t of mine) await createSession(db, t, memberId);
		await createSession(db, theirs, other);
		await invalidateMemberSessions(db, memberId);
		for (const t of mine) expect((await validateSessionToken(db, t)).session).toBeNull();
		expect((await validateSessionToken(db, theirs)).session).not.toBeNull();
	});

	it('deletes expired sessions in the periodic clean-up', async () => {
		const now = Date.now();
		await createSession(db, generateSessionToken(), memberId, now - 31 * day);
		await createSession(db, generateSessionToken(), memberId, now);
		await deleteExpiredSessions(db, now);
		expect(await db.selectFrom('session').selectAll().execute()).toHaveLength(1);
	});
});
