import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { freshDatabase, makeMember, makeUnit } from '../testing/db';
import { hashPassword } from './password';
import { validateSessionToken } from './session';
import { changePassword, signIn } from './sign-in';
import { throttleDelayMs } from './throttle';

let db: Db;
let memberId: number;
let passwordHash: string;
const password = 'Xuexi-Kaoping-2026';

beforeAll(async () => {
	passwordHash = await hashPassword(password);
});
beforeEach(async () => {
	db = (await freshDatabase()).db;
	memberId = await makeMember(db, { unitId: await makeUnit(db), loginId: 'T001', passwordHash });
});
afterEach(() => db.destroy());

const address = '203.0.113.7';

describe('signIn', () => {
	it('signs in with the right password and opens a session', async () => {
		const result = await signIn(db, { loginId: ' T001 ', password, address });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect((await validateSessionToken(db, result.token)).member?.id).toBe(memberId);
		const row = await db.selectFrom('member').select('last_sign_in_at').executeTakeFirstOrThrow();
		expect(row.last_sign_in_at).not.toBeNull();
	});

	it('gives the same answer for a wrong password, an unknown login id and a disabled account', async () => {
		const wrong = await signIn(db, { loginId: 'T001', password: 'nope-nope', address });
		const unknown = await signIn(db, { loginId: 'T999', password, address });
		await db.updateTable('member').set({ status: 'disabled' }).execute();
		const disabled = await signIn(db, { loginId: 'T001', password, address });
		expect(wrong).toEqual({ ok: false, reason: 'invalid' });
		expect(unknown).toEqual(wrong);
		expect(disabled).toEqual(wrong);
	});

	it('reports an account that must change its password', async () => {
		await db.updateTable('member').set({ must_change_password: 1 }).execute();
		const result = await signIn(db, { loginId: 'T001', password, address });
		expect(result.ok && result.mustChangePassword).toBe(true);
	});
});

describe('throttling', () => {
	it('grows the delay per account after five failures, capped at a minute', () => {
		expect([0, 4].map((n) => throttleDelayMs('account', n))).toEqual([0, 0]);
		expect([5, 6, 7, 8].map((n) => throttleDelayMs('account', n))).toEqual([1000, 2000, 4000, 8000]);
		expect(throttleDelayMs('account', 40)).toBe(60_000);
		expect(throttleDelayMs('address', 19)).toBe(0);
		expect(throttleDelayMs('address', 40)).toBe(5 * 60_000);
	});

	it('makes the account wait, even with the right password, and lets it in after the wait', async () => {
		let now = Date.now();
		for (let i = 0; i < 5; i++) {
			expect(await signIn(db, { loginId: 'T001', password: 'wrong-one', address: `198.51.100.${i}` }, now)).toEqual({ ok: false, reason: 'invalid' });
		}
		// Five failures: the next attempt within a second is not even checked.
		const throttled = await signIn(db, { loginId: 'T001', password, address }, now + 500);
		expect(throttled).toEqual({ ok: false, reason: 'throttled', waitSeconds: 1 });
		now += 1001;
		const ok = await signIn(db, { loginId: 'T001', password, address }, now);
		expect(ok.ok).toBe(true);
		// Success clears the account's count.
		expect(await db.selectFrom('sign_in_throttle').select('key').where('key', '=', 'account:t001').execute()).toEqual([]);
	});

	it('throttles unknown login ids too, so throttling reveals nothing about which ids exist', async () => {
		const now = Date.now();
		for (let i = 0; i < 5; i++) await signIn(db, { loginId: 'ghost', password: 'x-x-x-x-x', address: `198.51.100.${i}` }, now);
		expect((await signIn(db, { loginId: 'ghost', password: 'x-x-x-x-x', address }, now + 10)).ok).toBe(false);
		const r = await signIn(db, { loginId: 'ghost', password: 'x-x-x-x-x', address }, now + 10);
		expect(r).toMatchObject({ reason: 'throttled' });
	});

	it('throttles an address that fails across many accounts', async () => {
		const now = Date.now();
		for (let i = 0; i < 20; i++) await signIn(db, { loginId: `guess${i}`, password: 'x-x-x-x-x', address }, now);
		const blocked = await signIn(db, { loginId: 'T001', password, address }, now + 10);
		expect(blocked).toMatchObject({ ok: false, reason: 'throttled' });
		// The member from another address is not affected.
		expect((await signIn(db, { loginId: 'T001', password, address: '192.0.2.1' }, now + 10)).ok).toBe(true);
	});

	it('makes nobody wait for failures that are still free, even one recorded a moment after their clock was read', async () => {
		const now = Date.now();
		// Two teachers behind the school's one address: one fails at now + 5 ms, the other's request read the clock
		// at `now` and reaches the throttle after it (on PostgreSQL they queue for the address's lock).
		await signIn(db, { loginId: 'someone-else', password: 'x-x-x-x-x', address }, now + 5);
		expect((await signIn(db, { loginId: 'T001', password, address }, now)).ok).toBe(true);
		// Past the free failures the wait is real, counted from the last one.
		for (let i = 0; i < 5; i++) await signIn(db, { loginId: 'T001', password: 'wrong-one', address: '198.51.100.9' }, now);
		expect(await signIn(db, { loginId: 'T001', password, address: '198.51.100.9' }, now + 5)).toEqual({ ok: false, reason: 'throttled', waitSeconds: 1 });
	});

	it('forgets failures after a day of quiet', async () => {
		const now = Date.now();
		for (let i = 0; i < 6; i++) await signIn(db, { loginId: 'T001', password: 'wrong-one', address: `198.51.100.${i}` }, now);
		const nextDay = now + 24 * 60 * 60 * 1000 + 1;
		expect((await signIn(db, { loginId: 'T001', password, address }, nextDay)).ok).toBe(true);
	});
});

describe('changePassword', () => {
	it('checks the current password and the rules, then ends every other session', async () => {
		const first = await signIn(db, { loginId: 'T001', password, address });
		const second = await signIn(db, { loginId: 'T001', password, address });
		if (!first.ok || !second.ok) throw new Error('sign-in failed');
		expect(await changePassword(db, { memberId, current: 'wrong-one', next: 'Another-Pass-2026', address })).toEqual({ ok: false, problem: 'wrong_current' });
		expect(await changePassword(db, { memberId, current: password, next: 'T001', address })).toMatchObject({ problem: 'too_short' });
		expect(await changePassword(db, { memberId, current: password, next: 'password123', address })).toMatchObject({ problem: 'too_common' });
		expect(await changePassword(db, { memberId, current: password, next: password, address })).toMatchObject({ problem: 'same_as_current' });
		const changed = await changePassword(db, { memberId, current: password, next: 'Another-Pass-2026', address });
		expect(changed.ok).toBe(true);
		expect((await validateSessionToken(db, first.token)).session).toBeNull();
		expect((await validateSessionToken(db, second.token)).session).toBeNull();
		if (changed.ok) expect((await validateSessionToken(db, changed.token)).member?.id).toBe(memberId);
		expect((await signIn(db, { loginId: 'T001', password, address: '192.0.2.9' })).ok).toBe(false);
		expect((await signIn(db, { loginId: 'T001', password: 'Another-Pass-2026', address: '192.0.2.9' })).ok).toBe(true);
	});

	it('clears the must-change flag', async () => {
		await db.updateTable('member').set({ must_change_password: 1 }).execute();
		await changePassword(db, { memberId, current: password, next: 'Another-Pass-2026', address });
		const row = await db.selectFrom('member').select('must_change_password').executeTakeFirstOrThrow();
		expect(row.must_change_password).toBe(0);
	});
});

describe('login ids at sign-in', () => {
	it('match whatever their letter case', async () => {
		expect((await signIn(db, { loginId: 't001', password, address })).ok).toBe(true);
	});
});

describe('throttling under attack', () => {
	it('counts parallel guesses before checking them, so a burst cannot slip past the limit', async () => {
		const now = Date.now();
		const results = await Promise.all(
			Array.from({ length: 30 }, (_, i) => signIn(db, { loginId: 'T001', password: `wrong-${i}-guess`, address: `198.51.100.${i}` }, now))
		);
		const checked = results.filter((r) => !r.ok && r.reason === 'invalid').length;
		expect(checked).toBe(5);
		expect(results.filter((r) => !r.ok && r.reason === 'throttled')).toHaveLength(25);
	});

	it('lets a member in from their own browser while an attacker keeps failing on their login id', async () => {
		const first = await signIn(db, { loginId: 'T001', password, address });
		if (!first.ok) throw new Error('sign-in failed');
		const now = Date.now();
		for (let i = 0; i < 12; i++) await signIn(db, { loginId: 'T001', password: 'wrong-one', address: `198.51.100.${i}` }, now);
		// A browser the account has never used must wait…
		expect(await signIn(db, { loginId: 'T001', password, address: '192.0.2.50' }, now + 10)).toMatchObject({ reason: 'throttled' });
		// …the member's own phone, carrying its device cookie, does not.
		const own = await signIn(db, { loginId: 'T001', password, address: '192.0.2.51', deviceToken: first.deviceToken }, now + 10);
		expect(own.ok).toBe(true);
		// And the device cookie is worth nothing for another account.
		await makeMember(db, { unitId: await makeUnit(db), loginId: 'T002', passwordHash });
		for (let i = 0; i < 6; i++) await signIn(db, { loginId: 'T002', password: 'wrong-one', address: `198.51.100.${i}` }, now);
		expect(await signIn(db, { loginId: 'T002', password, address: '192.0.2.52', deviceToken: first.deviceToken }, now + 10)).toMatchObject({ reason: 'throttled' });
	});

	it('does not stop a signed-in member changing their password while sign-ins are being attacked', async () => {
		const now = Date.now();
		for (let i = 0; i < 12; i++) await signIn(db, { loginId: 'T001', password: 'wrong-one', address: `198.51.100.${i}` }, now);
		const changed = await changePassword(db, { memberId, current: password, next: 'Another-Pass-2026', address }, now + 10);
		expect(changed.ok).toBe(true);
	});
});
