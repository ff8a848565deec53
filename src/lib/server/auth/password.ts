import { hash, verify } from '@node-rs/argon2';
import { commonPasswordList } from './common-passwords';

// argon2id with OWASP's first recommended setting (Password Storage Cheat Sheet): 19 MiB, 2 passes, 1 lane.
// @node-rs/argon2 defaults to argon2id.
const argon2Options = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export function hashPassword(password: string): Promise<string> {
	return hash(password, argon2Options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		// A malformed stored hash is a failed sign-in, never a crash.
		return false;
	}
}

// A valid hash of a random password: verified against when the login id does not exist, so a wrong login id
// costs the same time as a wrong password and the two cannot be told apart by timing.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
	dummyHash ??= hashPassword(crypto.randomUUID());
	return dummyHash;
}

export type PasswordProblem = 'too_short' | 'too_long' | 'same_as_login' | 'too_common';

export const passwordMinLength = 8;
// argon2 takes any length, but a megabyte "password" is a cheap way to burn server time.
export const passwordMaxLength = 128;

let common: Set<string> | undefined;
function isCommon(password: string): boolean {
	common ??= new Set(commonPasswordList.split('\n').filter(Boolean));
	const lower = password.toLowerCase();
	// One character repeated (aaaaaaaa) is as weak as anything on the list.
	return common.has(lower) || /^(.)\1*$/u.test(lower);
}

/** The first rule the password breaks, or null. Rules from ASVS 2.1: length, no login id, no common password. */
export function checkPassword(password: string, loginId: string): PasswordProblem | null {
	const length = [...password].length;
	if (length < passwordMinLength) return 'too_short';
	if (length > passwordMaxLength) return 'too_long';
	if (password.trim().toLowerCase() === loginId.trim().toLowerCase()) return 'same_as_login';
	if (isCommon(password)) return 'too_common';
	return null;
}

/**
 * A password for a new or reset account, shown once to the person who created it and changed at first
 * sign-in. 12 characters from an alphabet without look-alikes (0/O, 1/l/I), about 70 bits.
 */
export function generateTemporaryPassword(): string {
	const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
	const bytes = crypto.getRandomValues(new Uint8Array(12));
	// 256 % 56 != 0 leaves a slight bias; at 12 characters it costs well under a bit of strength.
	return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
