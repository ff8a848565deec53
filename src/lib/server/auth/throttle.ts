import type { Db } from '../db';
import { lockKeys } from '../db/dialect';

// Throttling of failed sign-ins (ASVS 2.2.1): a growing delay, never a lockout. After a few free failures each
// further attempt must wait twice as long as the one before, up to a cap.
//
// - `account`: failures for a login id from browsers it has never signed in from. The cap is a minute, so
//   guessing stays at about one try a minute.
// - `device`: failures for a login id from a browser it has signed in from before (a device cookie, OWASP's
//   answer to lockout attacks). An attacker elsewhere who keeps the account key high does not slow the
//   member's own phone down.
// - `address`: a whole school often signs in from one NAT address, so it gets more free failures.
// - `password`: wrong current passwords on the change-password page, per member.
// Rows live in the database, so several app servers share them.

export type ThrottleKind = 'account' | 'device' | 'address' | 'password';

const rules: Record<ThrottleKind, { free: number; baseMs: number; capMs: number }> = {
	account: { free: 5, baseMs: 1_000, capMs: 60_000 },
	device: { free: 5, baseMs: 1_000, capMs: 60_000 },
	address: { free: 20, baseMs: 1_000, capMs: 5 * 60_000 },
	password: { free: 5, baseMs: 1_000, capMs: 60_000 }
};

/** Failures older than this are forgotten. */
const forgetAfterMs = 24 * 60 * 60 * 1000;

export type ThrottleKey = { kind: ThrottleKind; key: string };

export function throttleKey(kind: ThrottleKind, value: string): ThrottleKey {
	const normalized = kind === 'address' ? value : value.trim().toLowerCase();
	return { kind, key: `${kind}:${normalized}` };
}

/** How long after the last failure the next attempt has to wait, for a count of failures. */
export function throttleDelayMs(kind: ThrottleKind, failures: number): number {
	const { free, baseMs, capMs } = rules[kind];
	if (failures < free) return 0;
	return Math.min(capMs, baseMs * 2 ** (failures - free));
}

/** Milliseconds to wait before another attempt is allowed for any of the keys (0 when allowed now). */
export async function throttleWait(db: Db, keys: ThrottleKey[], now = Date.now()): Promise<number> {
	if (keys.length === 0) return 0;
	const rows = await db
		.selectFrom('sign_in_throttle')
		.selectAll()
		.where(
			'key',
			'in',
			keys.map((k) => k.key)
		)
		.execute();
	let wait = 0;
	for (const row of rows) {
		const kind = keys.find((k) => k.key === row.key)?.kind ?? 'account';
		if (now - row.last_failure_at > forgetAfterMs) continue;
		// Free failures impose no wait at all. Without this, an attempt whose clock was read just before another
		// one's (two sign-ins from a school's one address, the later one recorded first) saw that failure a few
		// milliseconds "in its future" and was told to wait a second.
		const delay = throttleDelayMs(kind, row.failures);
		if (delay === 0) continue;
		wait = Math.max(wait, row.last_failure_at + delay - now);
	}
	return Math.max(0, wait);
}

export async function recordFailure(db: Db, keys: ThrottleKey[], now = Date.now()): Promise<void> {
	for (const { key } of keys) {
		await db
			.insertInto('sign_in_throttle')
			.values({ key, failures: 1, last_failure_at: now })
			.onConflict((oc) =>
				oc.column('key').doUpdateSet((eb) => ({
					// A failure after a day of quiet starts the count again.
					failures: eb
						.case()
						.when('sign_in_throttle.last_failure_at', '<', now - forgetAfterMs)
						.then(1)
						.else(eb('sign_in_throttle.failures', '+', 1))
						.end(),
					last_failure_at: now
				}))
			)
			.execute();
	}
}

/**
 * Checks the keys and, when the attempt is allowed, counts it as a failure before the password is even
 * verified, in one immediate transaction (on PostgreSQL, one holding the keys' locks: db/dialect.ts lockKeys).
 * Parallel attempts therefore each see the ones before them; a burst of guesses cannot all slip through before
 * the first is recorded. A success is taken back with `forgiveAttempt`.
 */
export async function claimAttempt(db: Db, keys: ThrottleKey[], now = Date.now()): Promise<number> {
	return db.transaction().execute(async (trx) => {
		await lockKeys(trx, 'sign_in_throttle', keys.map((k) => k.key));
		const wait = await throttleWait(trx, keys, now);
		if (wait === 0) await recordFailure(trx, keys, now);
		return wait;
	});
}

/** A successful attempt: the account's (or device's) count is cleared, the address's claimed failure undone. */
export async function forgiveAttempt(db: Db, clear: ThrottleKey[], undo: ThrottleKey[]): Promise<void> {
	await db.transaction().execute(async (trx) => {
		if (clear.length > 0) {
			await trx
				.deleteFrom('sign_in_throttle')
				.where(
					'key',
					'in',
					clear.map((k) => k.key)
				)
				.execute();
		}
		for (const { key } of undo) {
			await trx
				.updateTable('sign_in_throttle')
				.set((eb) => ({ failures: eb('failures', '-', 1) }))
				.where('key', '=', key)
				.where('failures', '>', 0)
				.execute();
		}
	});
}

export async function forgetOldFailures(db: Db, now = Date.now()): Promise<void> {
	await db.deleteFrom('sign_in_throttle').where('last_failure_at', '<', now - forgetAfterMs).execute();
}
