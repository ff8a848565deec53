import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vitest/config';
import type { Plugin } from 'vite';
import { testServerUrl } from './src/lib/server/testing/test-server';

/**
 * `npm start` builds before it serves, and a newcomer reads the build's output as advice. Two lines of it are
 * wrong for this product and are dropped: SvelteKit's "Run npm run preview to preview your production build"
 * (the built server is `npm run serve`, which adds what the product needs: src/cli/serve.js) and Rollup's
 * "Generated an empty chunk" from adapter-node's bundling of SvelteKit's own internal module, which nothing here
 * can act on. Everything else, warnings included, is printed as it comes.
 */
function withoutMisleadingBuildOutput(): Plugin {
	const misleading = ['to preview your production build locally', 'Generated an empty chunk: "chunks/internal'];
	const quiet =
		(print: (...args: unknown[]) => void) =>
		(...args: unknown[]) => {
			if (typeof args[0] === 'string' && misleading.some((line) => (args[0] as string).includes(line))) return;
			print(...args);
		};
	let quieted = false;
	return {
		name: 'kaoping:without-misleading-build-output',
		apply: 'build',
		configResolved() {
			// SvelteKit runs a second build (the client) with the same plugins; the console is quieted once.
			if (quieted) return;
			quieted = true;
			console.log = quiet(console.log.bind(console));
			console.warn = quiet(console.warn.bind(console));
		}
	};
}

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
		sveltekit(),
		withoutMisleadingBuildOutput()
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
