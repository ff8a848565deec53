import type { Db } from '../db';

// Throttling of failed sign-ins (ASVS 2.2.1): a growing delay per account and per address, never a lockout.
// After a few free failures each further attempt must wait twice as long as the one before, up to a cap.
// The caps are short on purpose: an attacker who keeps failing on a member's login id can make that member
// wait at most a minute, not shut them out, while guessing stays at about one try a minute. Addresses get more
// free failures because a whole school often signs in from one NAT address.
// Rows live in the database, so several app servers share them.

export type ThrottleKind = 'account' | 'address';

const rules: Record<ThrottleKind, { free: number; baseMs: number; capMs: number }> = {
	account: { free: 5, baseMs: 1_000, capMs: 60_000 },
	address: { free: 20, baseMs: 1_000, capMs: 5 * 60_000 }
};

/** Failures older than this are forgotten. */
const forgetAfterMs = 24 * 60 * 60 * 1000;

export function throttleKey(kind: ThrottleKind, value: string): string {
	return `${kind}:${kind === 'account' ? value.trim().toLowerCase() : value}`;
}

/** How long after the last failure the next attempt has to wait, for a count of failures. */
export function throttleDelayMs(kind: ThrottleKind, failures: number): number {
	const { free, baseMs, capMs } = rules[kind];
	if (failures < free) return 0;
	return Math.min(capMs, baseMs * 2 ** (failures - free));
}

/** Milliseconds to wait before another attempt is allowed for any of the keys (0 when allowed now). */
export async function throttleWait(db: Db, keys: { kind: ThrottleKind; key: string }[], now = Date.now()) {
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
		wait = Math.max(wait, row.last_failure_at + throttleDelayMs(kind, row.failures) - now);
	}
	return Math.max(0, wait);
}

export async function recordFailure(db: Db, keys: string[], now = Date.now()): Promise<void> {
	for (const key of keys) {
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

/** A successful sign-in clears the account's count; the address keeps its count. */
export async function clearFailures(db: Db, key: string): Promise<void> {
	await db.deleteFrom('sign_in_throttle').where('key', '=', key).execute();
}

export async function forgetOldFailures(db: Db, now = Date.now()): Promise<void> {
	await db.deleteFrom('sign_in_throttle').where('last_failure_at', '<', now - forgetAfterMs).execute();
}
