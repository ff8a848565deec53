import { describe, expect, it } from 'vitest';
import { checkPassword, generateTemporaryPassword, hashPassword, verifyPassword } from './password';

describe('password hashing', () => {
	it('uses argon2id with m=19456 KiB, t=2, p=1 and a random salt', async () => {
		const a = await hashPassword('correct horse battery');
		const b = await hashPassword('correct horse battery');
		expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(a).not.toBe(b);
	});

	it('verifies the right password and rejects others', async () => {
		const hash = await hashPassword('学习强国2026!');
		expect(await verifyPassword(hash, '学习强国2026!')).toBe(true);
		expect(await verifyPassword(hash, '学习强国2026')).toBe(false);
		expect(await verifyPassword(hash, '')).toBe(false);
	});

	it('treats a malformed stored hash as a failed check, not a crash', async () => {
		expect(await verifyPassword('not-a-hash', 'whatever1')).toBe(false);
	});
});

describe('password rules', () => {
	it('wants at least 8 characters, counting Chinese characters as one each', () => {
		expect(checkPassword('Ab3$xyz', 'T001')).toBe('too_short');
		expect(checkPassword('学习型党组织建设', 'T001')).toBeNull();
		expect(checkPassword('学习型党组织', 'T001')).toBe('too_short');
	});

	it('refuses the login id, whatever the case or surrounding spaces', () => {
		expect(checkPassword('13800138000', '13800138000')).toBe('same_as_login');
		expect(checkPassword('TEACHER2026', 'teacher2026')).toBe('same_as_login');
	});

	it('refuses common passwords, including ones common in China, and repeated characters', () => {
		for (const p of ['password', '12345678', 'Password1', 'qwertyuiop', 'woaini1314', '1qaz2wsx', '88888888', 'aaaaaaaaaa']) {
			expect(checkPassword(p, 'T001'), p).toBe('too_common');
		}
	});

	it('accepts a reasonable password and refuses absurdly long ones', () => {
		expect(checkPassword('Xuexi-Kaoping-2026', 'T001')).toBeNull();
		expect(checkPassword('x'.repeat(129) + 'y', 'T001')).toBe('too_long');
	});
});

describe('temporary passwords', () => {
	it('are 12 characters without look-alikes, differ each time and pass the rules', () => {
		const seen = new Set<string>();
		for (let i = 0; i < 200; i++) {
			const p = generateTemporaryPassword();
			expect(p).toMatch(/^[a-kmnp-zA-HJ-NP-Z2-9]{12}$/);
			expect(checkPassword(p, 'T001')).toBeNull();
			seen.add(p);
		}
		expect(seen.size).toBe(200);
	});
});
