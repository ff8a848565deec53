import { defineConfig, devices } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// End-to-end tests drive the built server (the same `node build` as production) in Debian's Chromium.
// Playwright cannot download its own browsers here, so the system Chromium is used.
// E2E_PORT lets two checkouts run their suites side by side.
const port = Number(process.env.E2E_PORT ?? 4173);
/** The suite's server's port; the two-server test starts its own on the next two. */
export const e2ePort = port;
export const demoPassword = 'e2e-Demo-Password-2026';
const dataDir = join(tmpdir(), `kaoping-e2e-${port}`);

// E2E_DATABASE=postgres (npm run test:e2e:pg) runs the same suite on PostgreSQL: a database of the run's own,
// kaoping_e2e_<port> on the machine's PostgreSQL (or the whole URL from E2E_DATABASE_URL, named kaoping_e2e_…),
// dropped and created again before the server starts (tests/e2e/fresh-database.ts). Otherwise a fresh SQLite
// file, as before.
const postgresUrl = process.env.E2E_DATABASE_URL?.trim() || (process.env.E2E_DATABASE === 'postgres' ? `postgres://postgres@127.0.0.1:5432/kaoping_e2e_${port}` : undefined);
export const e2eOnPostgres = postgresUrl !== undefined;
/** The database the e2e server runs on, for the server (DATABASE_URL) and for tests/e2e/db.ts. */
export const e2eDatabaseUrl = postgresUrl ?? join(dataDir, 'kaoping.db');
/**
 * On PostgreSQL the server's output is also kept in this file: the two-server test counts the expired attempts
 * that every server's sweep submitted, this one's included (it sweeps the same database).
 */
export const e2eServerLog = join(dataDir, 'server.log');
/** What `npm run build` printed: the quick-start test checks that a newcomer reads nothing misleading in it. */
export const e2eBuildLog = join(dataDir, 'build.log');
// The build's output goes to its file and then to the suite's output; a failed build stops the run (no pipe, so
// its exit status is kept).
const build = `npm run build > "${e2eBuildLog}" 2>&1 && cat "${e2eBuildLog}" || { cat "${e2eBuildLog}"; exit 1; }`;
const serve = e2eOnPostgres
	? `npx tsx tests/e2e/fresh-database.ts "${e2eDatabaseUrl}" && ${build} && npm run serve 2>&1 | tee "${e2eServerLog}"`
	: `${build} && npm run serve`;
// The two-server test counts what the sweeps submit, so it runs once every other file has finished (no other
// attempt may expire meanwhile); it only runs on PostgreSQL, and is listed (skipped, with the reason) otherwise.
const twoServers = 'two-servers.e2e.ts';

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.e2e.ts',
	fullyParallel: false,
	workers: 2,
	retries: 0,
	reporter: [['list'], ['json', { outputFile: e2eOnPostgres ? 'test-results/e2e-pg.json' : 'test-results/e2e.json' }]],
	// Only this folder is emptied at the start, so the unit tests' report beside it survives.
	outputDir: 'test-results/e2e',
	timeout: 60_000,
	expect: { timeout: 10_000 },
	use: {
		baseURL: `http://localhost:${port}`,
		locale: 'zh-CN',
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
		}
	},
	projects: e2eOnPostgres
		? [
				{ name: 'chromium', testIgnore: twoServers, use: { ...devices['Desktop Chrome'], channel: undefined } },
				{ name: 'two-servers', testMatch: twoServers, dependencies: ['chromium'], use: { ...devices['Desktop Chrome'], channel: undefined } }
			]
		: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
	webServer: {
		// A fresh database every run: the demo organization is seeded at start.
		command: `rm -rf "${dataDir}" && mkdir -p "${dataDir}" && ${serve}`,
		url: `http://localhost:${port}/api/health`,
		timeout: 300_000,
		reuseExistingServer: false,
		stdout: 'pipe',
		// No ORIGIN: the server works out its address from each request, as it does for a newcomer's `npm start`.
		env: {
			PORT: String(port),
			DATABASE_URL: e2eDatabaseUrl,
			KAOPING_DEMO_PASSWORD: demoPassword,
			KAOPING_DEMO: 'on'
		}
	}
});
