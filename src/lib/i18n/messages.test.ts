import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Both languages are complete: the same messages with the same placeholders. A missing English message would
// show the Chinese one to an English reader; a missing placeholder would drop a number from a sentence.
// Messages are split into files by domain (project.inlang/settings.json lists them); a key lives in one file only.
const settings = JSON.parse(readFileSync('src/lib/i18n/project.inlang/settings.json', 'utf8')) as {
	'plugin.inlang.messageFormat': { pathPattern: string[] };
};
const patterns = settings['plugin.inlang.messageFormat'].pathPattern;
const loadFile = (pattern: string, locale: string) =>
	JSON.parse(readFileSync(`src/lib/i18n/project.inlang/../${pattern.replace('{locale}', locale)}`, 'utf8')) as Record<string, string>;
const load = (locale: string) => Object.assign({}, ...patterns.map((p) => loadFile(p, locale))) as Record<string, string>;
const zh = load('zh-CN');
const en = load('en');
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('messages', () => {
	it('exist in both languages', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
	});

	it('are defined once across the files', () => {
		const seen = new Map<string, string>();
		for (const pattern of patterns) {
			for (const key of Object.keys(loadFile(pattern, 'zh-CN'))) {
				if (key === '$schema') continue;
				expect(seen.get(key), `${key} in ${pattern}`).toBeUndefined();
				seen.set(key, pattern);
			}
		}
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
