import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [
		// Unit tests use the messages `npm run i18n` compiled; the plugin's project loader would keep Vitest's
		// process from exiting.
		!process.env.VITEST &&
			paraglideVitePlugin({
				project: './src/lib/i18n/project.inlang',
				outdir: './src/lib/paraglide',
				// Simplified Chinese unless the person chose English (remembered in a cookie).
				strategy: ['cookie', 'baseLocale']
			}),
		sveltekit()
	],
	server: { port: 5173 },
	test: {
		include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts'],
		environment: 'node',
		// argon2id at the parameters takes tens of milliseconds per hash on two cores.
		testTimeout: 30_000,
		pool: 'forks',
		// The JSON report lets .ci/run print one closing "N passed, N failed" line for all suites.
		reporters: ['default', ['json', { outputFile: 'test-results/unit.json' }]]
	}
});
