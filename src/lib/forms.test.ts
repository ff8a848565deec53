import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'paraglide' ? [] : sources(path);
		return /\.(svelte|ts|js)$/.test(entry.name) ? [path] : [];
	});
}

describe('forms', () => {
	it('every form is enhanced through $lib/forms, so a refused post is never a silent button', () => {
		const direct = sources('src').filter((path) => path !== join('src', 'lib', 'forms.ts') && /from '\$app\/forms'/.test(readFileSync(path, 'utf8')));
		expect(direct).toEqual([]);
	});
});
