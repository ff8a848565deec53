import { defineConfig, devices } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// End-to-end tests drive the built server (the same `node build` as production) in Debian's Chromium.
// Playwright cannot download its own browsers here, so the system Chromium is used.
// E2E_PORT lets two checkouts run their suites side by side.
const port = Number(process.env.E2E_PORT ?? 4173);
export const demoPassword = 'e2e-Demo-Password-2026';
const dataDir = join(tmpdir(), `kaoping-e2e-${port}`);
/** The database the e2e server runs on, for the server (DATABASE_URL) and for tests/e2e/db.ts. */
export const e2eDatabaseUrl = join(dataDir, 'kaoping.db');

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.e2e.ts',
	fullyParallel: false,
	workers: 2,
	retries: 0,
	reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
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
	projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
	webServer: {
		// A fresh database every run: the demo organization is seeded at start.
		command: `rm -rf "${dataDir}" && npm run build && npm run serve`,
		url: `http://localhost:${port}/api/health`,
		timeout: 180_000,
		reuseExistingServer: false,
		stdout: 'pipe',
		env: {
			PORT: String(port),
			ORIGIN: `http://localhost:${port}`,
			DATABASE_URL: e2eDatabaseUrl,
			KAOPING_DEMO_PASSWORD: demoPassword,
			KAOPING_DEMO: 'on'
		}
	}
});
