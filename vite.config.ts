import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vitest/config';
import { testServerUrl } from './src/lib/server/testing/test-server';

// npm run test:unit:pg: the unit tests on PostgreSQL (src/lib/server/testing/postgres.ts).
const onPostgres = testServerUrl() !== undefined;

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
		...(onPostgres && {
			// The migrated template every fresh database is copied from, and the drops after each test.
			globalSetup: ['src/lib/server/testing/pg-global-setup.ts'],
			setupFiles: ['src/lib/server/testing/pg-cleanup.ts']
		}),
		// The JSON report lets .ci/run print one closing "N passed, N failed" line for all suites.
		reporters: ['default', ['json', { outputFile: onPostgres ? 'test-results/unit-pg.json' : 'test-results/unit.json' }]]
	}
});
