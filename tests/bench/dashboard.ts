// npm run bench:dashboard — the committee's dashboards over a city-sized history (issue 6): a fresh SQLite file
// with the real migrations, 10,000 members, eight closed quarterly tests of 50 questions and every attempt with its
// stored answers (about 4,000,000 attempt_item rows; tests/bench/dashboard-seed.ts). The built server runs on that
// file; each dashboard endpoint is requested once cold (printed, not counted) and then 50 times one after another,
// timing each request from sending to the last byte on this machine (so the figure is the server's time plus a
// loopback round trip). Then Chromium opens the dashboard page and the test-taking page and sums the gzipped
// JavaScript each one loads (including chunks loaded after the first paint, such as Chart.js), and checks that the
// test-taking page loads no Chart.js code at all.
// Ends with `dashboard: worst_p95=<ms> dashboard_js_kb=<n> test_js_kb=<n>`.
//
// DATABASE_URL=postgres://… (an empty database) runs the server on PostgreSQL: the organization is generated in
// the SQLite file as always and copied there with db:copy's code first (exam-load.ts `serverDatabase`).
//
// Knobs (environment): BENCH_PORT (4330), BENCH_MEMBERS (10000), BENCH_QUARTERS (8), BENCH_REQUESTS (50),
// BENCH_KEEP=1 keeps the database file (its path is printed).
import { chromium } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { seedDashboardOrg, type DashboardOrg } from './dashboard-seed';
import { ensureBuilt, machineLoad, percentile, send, serverDatabase, startServer, stopServer, type Server } from './exam-load';

const port = Number(process.env.BENCH_PORT ?? 4330);
const memberCount = Number(process.env.BENCH_MEMBERS ?? 10_000);
const quarterCount = Number(process.env.BENCH_QUARTERS ?? 8);
const requests = Number(process.env.BENCH_REQUESTS ?? 50);
const root = resolve(import.meta.dirname, '../..');

type Endpoint = { path: string; who: keyof DashboardOrg['cookies'] };

/** Every dashboard endpoint: each page (server-rendered, with its data) and a download, as the committee, a secretary and a member. */
function endpoints(org: DashboardOrg): Endpoint[] {
	const latest = org.examIds[org.examIds.length - 1] as number;
	const quarter = org.quarters[org.quarters.length - 1] as string;
	const { general, branch } = org.unitIds;
	return [
		{ path: '/dashboard', who: 'committee' },
		{ path: `/dashboard?unit=${branch}`, who: 'committee' },
		{ path: '/dashboard', who: 'secretary' },
		{ path: '/dashboard/export?table=trend&format=xlsx', who: 'committee' },
		{ path: '/dashboard/mastery', who: 'committee' },
		{ path: `/dashboard/mastery?unit=${general}&quarter=${quarter}`, who: 'committee' },
		{ path: '/dashboard/tests', who: 'committee' },
		{ path: `/dashboard/tests/${latest}`, who: 'committee' },
		{ path: `/dashboard/tests/${latest}?unit=${general}`, who: 'secretary' },
		{ path: `/dashboard/tests/${latest}/items`, who: 'committee' },
		{ path: '/dashboard/members', who: 'committee' },
		{ path: '/dashboard/members?sort=latest_asc&missed=1', who: 'committee' },
		{ path: '/dashboard/members', who: 'secretary' },
		{ path: `/dashboard/members/${org.memberId}`, who: 'committee' },
		{ path: '/dashboard/leaders', who: 'committee' },
		{ path: `/dashboard/report?quarter=${quarter}`, who: 'committee' },
		{ path: '/progress', who: 'member' }
	];
}

/** Gzipped bytes of the JavaScript a page loads in Chromium (files read from the build), and whether any is Chart.js. */
async function pageJs(baseUrl: string, path: string, cookie: string): Promise<{ kb: number; files: number; chart: boolean }> {
	const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
	try {
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		const [name, value] = cookie.split('=') as [string, string];
		await context.addCookies([{ name, value, url: baseUrl }]);
		const page = await context.newPage();
		const scripts = new Set<string>();
		page.on('response', (r) => {
			if (r.request().resourceType() === 'script' || r.url().endsWith('.js')) scripts.add(new URL(r.url()).pathname);
		});
		const response = await page.goto(baseUrl + path, { waitUntil: 'networkidle' });
		if (response?.status() !== 200) throw new Error(`${path}: ${response?.status()}`);
		let bytes = 0;
		let chart = false;
		for (const script of scripts) {
			const source = readFileSync(join(root, 'build/client', script));
			bytes += gzipSync(source, { level: 9 }).length;
			// A message only Chart.js's core carries.
			if (source.includes('Canvas is already in use')) chart = true;
		}
		return { kb: Math.round(bytes / 1024), files: scripts.size, chart };
	} finally {
		await browser.close();
	}
}

const dir = mkdtempSync(join(tmpdir(), 'kaoping-bench-dashboard-'));
const file = join(dir, 'dashboard.db');
let server: Server | undefined;
let failed = false;
try {
	ensureBuilt();
	console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}; requests come from the same machine`);
	console.log(`before: ${machineLoad()}`);
	const seeding = performance.now();
	const org = await seedDashboardOrg(file, { members: memberCount, quarters: quarterCount });
	console.log(
		`set-up: ${org.counts.members} members, ${org.quarters.length} quarters (${org.quarters[0]}–${org.quarters[org.quarters.length - 1]}), ` +
			`${org.counts.attempts} attempts, ${org.counts.answers} stored answers, ${org.counts.areaRows} area scores, in ${((performance.now() - seeding) / 1000).toFixed(0)} s`
	);
	const database = await serverDatabase(file);
	server = await startServer(database.url, port);
	console.log(`server: on ${database.postgres ? 'PostgreSQL' : 'the SQLite file'}`);
	const agent = new Agent({ keepAlive: true, maxSockets: 1 });
	let worst = 0;
	for (const e of endpoints(org)) {
		const headers = { cookie: org.cookies[e.who] };
		const coldStart = performance.now();
		const cold = await send(agent, port, 'GET', e.path, headers, undefined, 120_000);
		const coldMs = performance.now() - coldStart;
		if (cold.status !== 200) throw new Error(`${e.path} as ${e.who}: ${cold.status} ${cold.body.slice(0, 200)}`);
		const times: number[] = [];
		for (let i = 0; i < requests; i++) {
			const t = performance.now();
			const r = await send(agent, port, 'GET', e.path, headers, undefined, 120_000);
			times.push(performance.now() - t);
			if (r.status !== 200) throw new Error(`${e.path} as ${e.who}: ${r.status}`);
		}
		times.sort((a, b) => a - b);
		const p95 = percentile(times, 95);
		worst = Math.max(worst, p95);
		console.log(`endpoint: ${e.path} as ${e.who}: cold=${coldMs.toFixed(0)} p50=${percentile(times, 50).toFixed(1)} p95=${p95.toFixed(1)} ms (${(cold.body.length / 1024).toFixed(0)} KB)`);
	}
	agent.destroy();
	const base = `http://127.0.0.1:${port}`;
	const dashboardJs = await pageJs(base, '/dashboard', org.cookies.committee);
	const testJs = await pageJs(base, `/attempts/${org.openAttemptId}`, org.cookies.member);
	console.log(`javascript: /dashboard ${dashboardJs.kb} KB gzipped in ${dashboardJs.files} files (Chart.js ${dashboardJs.chart ? 'loaded' : 'not loaded'})`);
	console.log(`javascript: /attempts/${org.openAttemptId} (taking a test) ${testJs.kb} KB gzipped in ${testJs.files} files (Chart.js ${testJs.chart ? 'LOADED' : 'not loaded'})`);
	if (testJs.chart) {
		console.error('the test-taking page loads Chart.js');
		failed = true;
	}
	console.log(`after: ${machineLoad()}`);
	console.log(`dashboard: worst_p95=${worst.toFixed(1)} dashboard_js_kb=${dashboardJs.kb} test_js_kb=${testJs.kb}`);
} catch (e) {
	console.error(e);
	if (server) console.error(server.log());
	failed = true;
} finally {
	if (server) await stopServer(server);
	if (process.env.BENCH_KEEP) console.log(`database kept: ${file}`);
	else rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
