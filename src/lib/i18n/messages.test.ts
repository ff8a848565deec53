import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Both languages are complete: the same messages with the same placeholders. A missing English message would
// show the Chinese one to an English reader; a missing placeholder would drop a number from a sentence.
const load = (locale: string) =>
	JSON.parse(readFileSync(`src/lib/i18n/messages/${locale}.json`, 'utf8')) as Record<string, string>;
const zh = load('zh-CN');
const en = load('en');
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('messages', () => {
	it('exist in both languages', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
	});

	it('use the same placeholders in both languages, and none is empty', () => {
		for (const key of Object.keys(zh)) {
			if (key === '$schema') continue;
			expect(placeholders(en[key] ?? ''), key).toEqual(placeholders(zh[key] ?? ''));
			expect((zh[key] ?? '').trim(), key).not.toBe('');
			expect((en[key] ?? '').trim(), key).not.toBe('');
		}
	});
});
