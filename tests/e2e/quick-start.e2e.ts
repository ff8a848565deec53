import { expect, test, type Browser } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { e2eBuildLog, e2eOnPostgres, e2ePort } from '../../playwright.config';

// The README's quick start, as a newcomer types it: `npm start` builds (the suite's server built already; its
// output is kept in e2eBuildLog) and then runs `npm run serve` with nothing set. This file starts that server with
// no environment but PATH, HOME, the port and the database file (no ORIGIN, no demo password), reads the password
// it prints, and signs in through the page at every address it prints, with JavaScript and without. Once,
// SvelteKit refused every form post of such a server as cross-site and no test saw it, because the suite's own
// server is given its address.
//
// The quick start is SQLite's: on the PostgreSQL run this file is skipped (the SQLite run has it).
test.skip(e2eOnPostgres, 'The quick start runs on the default SQLite file; the SQLite e2e run covers it.');
test.describe.configure({ mode: 'serial' });

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const port = e2ePort + 3;
const dataDir = mkdtempSync(join(tmpdir(), 'kaoping-quick-start-'));

type Server = { child: ChildProcess; output: () => string };

/** `npm run serve` with only what a newcomer's shell has, plus `extra`; resolves once it printed it is ready. */
async function serve(extra: Record<string, string> = {}): Promise<Server> {
	const child = spawn('npm', ['run', 'serve'], {
		cwd: repoRoot,
		env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', PORT: String(port), DATABASE_URL: join(dataDir, 'kaoping.db'), ...extra },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true
	});
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const deadline = Date.now() + 120_000;
	while (!/Demo sign-ins.*\n.*member \d+/.test(output)) {
		if (child.exitCode !== null) throw new Error(`npm run serve exited with ${child.exitCode}:\n${output}`);
		if (Date.now() > deadline) throw new Error(`npm run serve was not ready within 120 s:\n${output}`);
		await new Promise((r) => setTimeout(r, 200));
	}
	return { child, output: () => output };
}

async function stop(server: Server | undefined) {
	if (!server || server.child.exitCode !== null || server.child.pid === undefined) return;
	const exited = new Promise((r) => server.child.once('exit', r));
	// npm and the node process it started: the whole group.
	process.kill(-server.child.pid, 'SIGTERM');
	const timer = setTimeout(() => server.child.pid && process.kill(-server.child.pid, 'SIGKILL'), 10_000);
	await exited;
	clearTimeout(timer);
}

/** The addresses the server's last lines tell a newcomer to open. */
function printedAddresses(output: string): string[] {
	const ready = output.slice(output.lastIndexOf('kaoping is ready'));
	return [...ready.matchAll(/^\s+(http:\/\/\S+)/gm)].map((m) => m[1] ?? '');
}

async function signInAt(browser: Browser, origin: string, password: string, javaScriptEnabled: boolean) {
	const context = await browser.newContext({ javaScriptEnabled, baseURL: origin });
	const page = await context.newPage();
	await page.goto('/login');
	// With JavaScript, the form is the enhanced one once the page's scripts have run.
	if (javaScriptEnabled) await page.waitForLoadState('networkidle');
	await page.getByLabel('工号或手机号').fill('1104');
	await page.getByLabel('密码', { exact: true }).fill(password);
	await page.getByRole('button', { name: '登录' }).click();
	return { context, page };
}

let server: Server | undefined;
let password = '';

test.beforeAll(async () => {
	test.setTimeout(150_000);
	server = await serve();
	password = /password for every demo account: (\S+)/.exec(server.output())?.[1] ?? '';
});

test.afterAll(async () => {
	await stop(server);
	rmSync(dataDir, { recursive: true, force: true });
});

test('npm start tells a newcomer only what is true, and ends with the address to open and the demo sign-ins', async () => {
	const build = readFileSync(e2eBuildLog, 'utf8');
	expect(build).toContain('✔ done');
	expect(build).not.toContain('npm run preview');
	expect(build).not.toContain('Cannot find base config file');
	expect(build).not.toContain('Generated an empty chunk');

	const output = server?.output() ?? '';
	expect(password).toMatch(/^\S{8,}$/);
	const last = output.trimEnd().split('\n').slice(-5).join('\n');
	expect(last).toContain(`http://localhost:${port}`);
	expect(last).toMatch(/committee admin · secretary 1101 · member 1104/);
	expect(output).not.toContain('npm run preview');
});

for (const javaScriptEnabled of [true, false]) {
	test(`a member signs in at every printed address, ${javaScriptEnabled ? 'with' : 'without'} JavaScript`, async ({ browser }) => {
		const addresses = printedAddresses(server?.output() ?? '');
		// localhost and 127.0.0.1 always; the machine's own network address when it has one (a school's LAN).
		const origins = [...new Set([`http://localhost:${port}`, `http://127.0.0.1:${port}`, ...addresses])];
		expect(addresses).toContain(`http://localhost:${port}`);
		for (const origin of origins) {
			const { context, page } = await signInAt(browser, origin, password, javaScriptEnabled);
			await expect(page, origin).toHaveURL(`${origin}/`);
			await expect(page.locator('form[action="/logout"]'), origin).toHaveCount(1);
			// Another form post, the language switch, goes through too.
			await page.getByRole('button', { name: 'English' }).click();
			await expect(page.locator('html'), origin).toHaveAttribute('lang', 'en');
			await context.close();
		}
	});
}

test('a post from another site is still refused, whatever headers it sends', async () => {
	const attempts: Record<string, string>[] = [
		{ origin: 'http://evil.example' },
		// The connection is plain http: claiming https, or the header serve.js writes, changes nothing.
		{ origin: `https://localhost:${port}`, 'x-forwarded-proto': 'https', 'x-kaoping-connection-protocol': 'https' }
	];
	for (const headers of attempts) {
		const response = await fetch(`http://localhost:${port}/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
			body: new URLSearchParams({ loginId: '1104', password })
		});
		expect(response.status, JSON.stringify(headers)).toBe(403);
	}
});

test('with ORIGIN set, ORIGIN wins, and a refused form says why on the page', async ({ browser }) => {
	test.setTimeout(150_000);
	await stop(server);
	// The second start of the same database: no demo is created again, and the password is not printed again.
	server = await serve({ ORIGIN: `http://127.0.0.1:${port}` });
	expect(server.output()).not.toContain('password for every demo account');
	expect(server.output()).toContain(`http://127.0.0.1:${port}`);

	const at127 = await signInAt(browser, `http://127.0.0.1:${port}`, password, true);
	await expect(at127.page).toHaveURL(`http://127.0.0.1:${port}/`);
	await at127.context.close();

	// localhost is not the address ORIGIN names: SvelteKit refuses the post, and the page says so (before, the
	// button did nothing).
	const withScript = await signInAt(browser, `http://localhost:${port}`, password, true);
	await expect(withScript.page.getByRole('alert')).toContainText('ORIGIN');
	// What was typed stays, to try again at the right address.
	await expect(withScript.page.getByLabel('工号或手机号')).toHaveValue('1104');
	await withScript.context.close();
	const withoutScript = await signInAt(browser, `http://localhost:${port}`, password, false);
	await expect(withoutScript.page.locator('body')).toContainText('Cross-site POST form submissions are forbidden');
	await withoutScript.context.close();
});
