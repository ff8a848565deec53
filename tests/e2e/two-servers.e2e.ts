import { expect, test, type Browser, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { e2eDatabaseUrl, e2eOnPostgres, e2ePort, e2eServerLog } from '../../playwright.config';
import { e2eRow, e2eRows, e2eRun } from './db';
import { rateAll, signIn } from './helpers';

// Issue 7: several app servers over one PostgreSQL, with no state that matters in one process. Besides the suite's
// server (E2E_PORT), this file starts two more on E2E_PORT+1 and E2E_PORT+2 over the same database (the demo is
// already seeded) and stops them after. In the browser: a member starts this quarter's test on A and finishes it
// on B with the same session cookie (sessions live in the database); a ballot is cast through each; and when
// several attempts run out, the sweep that every server runs every 10 s submits each of them exactly once.
//
// 1302 takes the quarterly test and 1209 and 1304 rate: members no other file uses. The sweep's eight members
// (14xx, 1209, 1304) take the demo's practice test, which allows ten attempts each and counts on no dashboard.
// The project `two-servers` (playwright.config.ts) runs this file after all the others, so that no other file's
// attempt runs out while the sweeps' submissions are counted; the test checks that none is due to.

test.skip(!e2eOnPostgres, 'Several app servers share one database only on PostgreSQL: run with E2E_DATABASE=postgres (npm run test:e2e:pg).');
test.describe.configure({ mode: 'serial' });

const wide = { width: 1280, height: 900 };
const phone = { width: 390, height: 844 };
const currentTest = /季度党员理论学习测试/;
const liveTitle = '2026年度领导干部述学评学';
const serveJs = fileURLToPath(new URL('../../src/cli/serve.js', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

type AppServer = { name: string; url: string; child: ChildProcess; output: () => string };

/** `node src/cli/serve.js` (the built server, as `npm run serve` runs it) on a port of its own, over the run's database. */
async function startServer(name: string, port: number): Promise<AppServer> {
	const child = spawn(process.execPath, [serveJs], {
		cwd: repoRoot,
		env: { ...process.env, PORT: String(port), ORIGIN: `http://localhost:${port}`, DATABASE_URL: e2eDatabaseUrl, KAOPING_DEMO: 'off' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const url = `http://localhost:${port}`;
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`server ${name} exited with ${child.exitCode}:\n${output}`);
		const healthy = await fetch(`${url}/api/health`).then(
			(r) => r.ok,
			() => false
		);
		if (healthy) return { name, url, child, output: () => output };
		await new Promise((r) => setTimeout(r, 250));
	}
	child.kill('SIGKILL');
	throw new Error(`server ${name} did not answer on ${url} within 60 s:\n${output}`);
}

async function stopServer(server: AppServer | undefined) {
	if (!server || server.child.exitCode !== null) return;
	const exited = new Promise((r) => server.child.once('exit', r));
	server.child.kill('SIGTERM');
	const timer = setTimeout(() => server.child.kill('SIGKILL'), 5_000);
	await exited;
	clearTimeout(timer);
}

/** The attempts a server's sweeps submitted, from the line startup.ts logs (a count, never who). */
function sweptIn(log: string): number {
	return [...log.matchAll(/kaoping: the sweep submitted (\d+) expired attempt/g)].reduce((n, m) => n + Number(m[1]), 0);
}

const mainLog = () => readFileSync(e2eServerLog, 'utf8');

let a: AppServer | undefined;
let b: AppServer | undefined;

test.beforeAll(async () => {
	test.setTimeout(150_000);
	[a, b] = await Promise.all([startServer('A', e2ePort + 1), startServer('B', e2ePort + 2)]);
});

test.afterAll(async () => {
	await Promise.all([stopServer(a), stopServer(b)]);
});

/** A browser context whose relative URLs go to one server, signed in there. */
async function signedInOn(browser: Browser, server: AppServer, loginId: string, viewport = phone): Promise<Page> {
	const context = await browser.newContext({ baseURL: server.url, viewport });
	const page = await context.newPage();
	await signIn(page, loginId);
	await expect(page).toHaveURL(new RegExp(`^${server.url}/(\\?.*)?$`));
	return page;
}

const saveStatus = (page: Page) => page.getByRole('region', { name: '答题状态' }).locator('.status');

type Item = { position: number; type: string; points_cents: number; answer: string };

/** The paper's questions with their keys, from the database (as exam-results.e2e.ts reads a printed paper's). */
function keysOf(attemptId: number) {
	return e2eRows<Item>(
		`select attempt_item.position, v.type, attempt_item.points_cents, v.answer
		   from attempt_item join question_version v on v.id = attempt_item.key_version_id
		  where attempt_item.attempt_id = ? order by attempt_item.position`,
		attemptId
	);
}

/** Answers one question on the page: with the key, or (right = false, single choice only) with another option. */
async function answer(page: Page, item: Item, right = true) {
	const card = page.locator(`#question-${item.position}`);
	const key = JSON.parse(item.answer) as { correct?: number | number[] | boolean; blanks?: string[][] };
	if (item.type === 'single') {
		const radios = card.locator('input[type=radio]');
		const values = await radios.evaluateAll((inputs) => inputs.map((i) => Number((i as HTMLInputElement).value)));
		const choice = right ? (key.correct as number) : (values.find((v) => v !== key.correct) as number);
		await card.locator(`input[type=radio][value="${choice}"]`).check();
	} else if (item.type === 'multiple') {
		for (const c of key.correct as number[]) await card.locator(`input[type=checkbox][value="${c}"]`).check();
	} else if (item.type === 'true_false') {
		await card.locator(`input[type=radio][value="${String(key.correct)}"]`).check();
	} else {
		for (const [i, alternatives] of (key.blanks ?? []).entries()) await card.locator(`#q${item.position}-blank-${i}`).fill(alternatives[0] as string);
	}
}

async function savedCount(attemptId: number): Promise<number> {
	return (await e2eRow<{ n: number }>('select count(*) as n from attempt_item where attempt_id = ? and answer is not null', attemptId)).n;
}

test('a member starts the test on one server, continues on the other with the same session, and the result is on both', async ({ browser }) => {
	test.setTimeout(120_000);
	const [serverA, serverB] = [a as AppServer, b as AppServer];
	const page = await signedInOn(browser, serverA, '1302');
	await page.locator('li', { hasText: currentTest }).first().getByRole('link', { name: '进入测试' }).click();
	await page.getByRole('button', { name: '开始答题' }).click();
	await page.waitForURL(new RegExp(`^${serverA.url}/attempts/\\d+$`));
	await expect(saveStatus(page)).toHaveText('已全部保存');
	const attemptId = Number(page.url().split('/').pop());
	const items = await keysOf(attemptId);
	expect(items).toHaveLength(20);

	// The first half on server A; question 1 wrong on purpose, so the score is not simply the maximum.
	for (const item of items.slice(0, 10)) await answer(page, item, item.position !== 1);
	await expect(saveStatus(page)).toHaveText('已全部保存', { timeout: 15_000 });
	expect(await savedCount(attemptId)).toBe(10);

	// Server B: the same cookie (localhost, another port) is a signed-in session there, and the page shows what A saved.
	await page.goto(`${serverB.url}/attempts/${attemptId}`);
	await expect(page).toHaveURL(`${serverB.url}/attempts/${attemptId}`);
	await expect(saveStatus(page)).toHaveText('已全部保存');
	const first = items[0] as Item;
	const wrong = await page.locator('#question-1 input[type=radio]:checked').getAttribute('value');
	expect(Number(wrong)).not.toBe(JSON.parse(first.answer).correct);
	for (const item of items.slice(10)) await answer(page, item);
	await expect(saveStatus(page)).toHaveText('已全部保存', { timeout: 15_000 });
	expect(await savedCount(attemptId)).toBe(20);

	await page.getByRole('region', { name: '答题状态' }).getByRole('button', { name: '交卷' }).click();
	await page.getByRole('dialog', { name: '确认交卷' }).getByRole('button', { name: '确认交卷' }).click();
	await page.waitForURL(`${serverB.url}/attempts/${attemptId}/result`);
	const maxCents = items.reduce((n, i) => n + i.points_cents, 0);
	const scoreText = `${(maxCents - first.points_cents) / 100} 分 / 满分 ${maxCents / 100} 分`;
	await expect(page.locator('.big')).toHaveText(scoreText);

	// The same result through server A, and as stored: submitted once, by the member.
	await page.goto(`${serverA.url}/attempts/${attemptId}/result`);
	await expect(page.locator('.big')).toHaveText(scoreText);
	const stored = await e2eRow<{ submitted_how: string; score_cents: number }>('select submitted_how, score_cents from attempt where id = ?', attemptId);
	expect(stored).toEqual({ submitted_how: 'member', score_cents: maxCents - first.points_cents });
	await page.context().close();
});

/** Rates every target of the campaign at one level and submits; the receipt. */
async function rate(page: Page, evaluationId: number, level: number): Promise<string> {
	await page.goto(`/evaluations/${evaluationId}/rate`);
	return rateAll(page, level);
}

test('a ballot cast through each server counts once, and each server knows who has rated', async ({ browser }) => {
	const [serverA, serverB] = [a as AppServer, b as AppServer];
	const { id } = await e2eRow<{ id: number }>('select id from evaluation where title = ?', liveTitle);
	const ballots = async () => (await e2eRow<{ n: number }>('select count(*) as n from evaluation_ballot where evaluation_id = ?', id)).n;
	const before = await ballots();

	const onA = await signedInOn(browser, serverA, '1209', wide);
	await rate(onA, id, 0);
	expect(await ballots()).toBe(before + 1);
	const onB = await signedInOn(browser, serverB, '1304', wide);
	await rate(onB, id, 1);
	expect(await ballots()).toBe(before + 2);

	// Each member, on the other server, is told they have rated: participation is in the shared database.
	await onA.goto(`${serverB.url}/evaluations/${id}/rate`);
	await expect(onA.getByTestId('already-rated')).toBeVisible();
	await onB.goto(`${serverA.url}/evaluations/${id}/rate`);
	await expect(onB.getByTestId('already-rated')).toBeVisible();
	await expect(onB.locator('form.ballot')).toHaveCount(0);
	expect(await ballots()).toBe(before + 2);
	await onA.context().close();
	await onB.context().close();
});

test('attempts that run out are submitted by the servers’ sweeps exactly once each, with their saved answers scored', async ({ browser }) => {
	test.setTimeout(180_000);
	const servers = [a as AppServer, b as AppServer];
	const { id: practiceId } = await e2eRow<{ id: number }>("select id from exam where kind = 'practice' and status = 'published' and title = ?", '理论学习练习');
	const members = ['1402', '1404', '1209', '1304', '1403', '1405', '1406', '1407'];

	// Each member starts a practice attempt, half through A and half through B, and answers question 1 rightly.
	const attempts: { id: number; firstPoints: number }[] = [];
	for (const [i, loginId] of members.entries()) {
		const server = servers[i % 2] as AppServer;
		const page = await signedInOn(browser, server, loginId);
		await page.goto(`/tests/${practiceId}`);
		await page.getByRole('button', { name: '开始答题' }).click();
		await page.waitForURL(new RegExp(`^${server.url}/attempts/\\d+$`));
		await expect(saveStatus(page)).toHaveText('已全部保存');
		const attemptId = Number(page.url().split('/').pop());
		const first = (await keysOf(attemptId))[0] as Item;
		expect(first.type).toBe('single');
		await answer(page, first);
		await expect(saveStatus(page)).toHaveText('已全部保存', { timeout: 15_000 });
		expect(await savedCount(attemptId)).toBe(1);
		// The page is closed: nothing but the sweeps may submit these attempts (a page or a save touching an expired
		// attempt submits it too, without the sweep's log line).
		await page.context().close();
		attempts.push({ id: attemptId, firstPoints: first.points_cents });
	}
	const ids = attempts.map((x) => x.id);
	const inIds = ids.map(() => '?').join(', ');

	// Nothing else may run out while the sweeps are counted, or their counts would include it.
	const soon = Date.now() + 120_000;
	const others = await e2eRow<{ n: number }>(
		`select count(*) as n from attempt where submitted_at is null and mode = 'online' and deadline_at <= ? and id not in (${inIds})`,
		soon,
		...ids
	);
	expect(others.n, 'no other open attempt runs out during this test').toBe(0);

	// A and B are stopped while the deadlines move, and started again together: each server's first sweep runs at its
	// start-up, so theirs run at nearly the same moment and race for the same attempts (at their 10 s intervals
	// they could be seconds apart). The suite's server sweeps too, whenever its interval falls.
	await Promise.all([stopServer(a), stopServer(b)]);
	const mark = mainLog().length;

	// Time runs out: the sweep (submitExpired in src/lib/server/exams/attempts.ts) picks open online attempts by
	// deadline_at <= now, so moving deadline_at into the past is all that running out is to it.
	const deadline = Date.now() - 60_000;
	expect(await e2eRun(`update attempt set deadline_at = ? where id in (${inIds}) and submitted_at is null`, deadline, ...ids)).toBe(ids.length);
	[a, b] = await Promise.all([startServer('A', e2ePort + 1), startServer('B', e2ePort + 2)]);

	// Every server sweeps at start-up and every 10 s (src/lib/server/startup.ts): within one interval all are submitted.
	const submitted = async () => (await e2eRow<{ n: number }>(`select count(*) as n from attempt where id in (${inIds}) and submitted_at is not null`, ...ids)).n;
	await expect.poll(submitted, { timeout: 30_000, intervals: [500] }).toBe(ids.length);
	// One more full interval, so that every sweep that could still race for these attempts has run and logged.
	// (The restarted servers' output is theirs alone from their start, so all of it counts.)
	await new Promise((r) => setTimeout(r, 12_000));

	// Each attempt was submitted by exactly one sweep: the counts of all three servers add up to the attempts.
	const counts = { main: sweptIn(mainLog().slice(mark)), a: sweptIn((a as AppServer).output()), b: sweptIn((b as AppServer).output()) };
	test.info().annotations.push({ type: 'sweeps', description: `submitted by the suite's server ${counts.main}, by A ${counts.a}, by B ${counts.b}` });
	expect(counts.main + counts.a + counts.b).toBe(ids.length);

	// As the deadline's submission, at the deadline (not when the sweep came by), with the saved answer scored.
	const rows = await e2eRows<{ id: number; submitted_how: string; submitted_at: number; score_cents: number; earned: number; first_earned: number }>(
		`select a.id, a.submitted_how, a.submitted_at, a.score_cents,
		        (select sum(i.earned_cents) from attempt_item i where i.attempt_id = a.id) as earned,
		        (select i.earned_cents from attempt_item i where i.attempt_id = a.id and i.position = 1) as first_earned
		   from attempt a where a.id in (${inIds}) order by a.id`,
		...ids
	);
	expect(rows).toEqual(
		[...attempts]
			.sort((x, y) => x.id - y.id)
			.map((x) => ({ id: x.id, submitted_how: 'deadline', submitted_at: deadline, score_cents: x.firstPoints, earned: x.firstPoints, first_earned: x.firstPoints }))
	);
});
