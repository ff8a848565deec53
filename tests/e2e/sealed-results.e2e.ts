import { expect, test, type Browser, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { e2eRows } from './db';
import { demo, pageAs, rateAll, setUpCampaign } from './helpers';

// Issue 16: nobody can take an open evaluation apart ballot by ballot. The committee sets up a campaign through
// its pages (threshold 3, two leaders, the 第一中学教师第二支部 members rate signed in) and opens the real run. Then
// four members rate one at a time, each with a comment of their own; after each ballot the committee requests
// every results page, print view, export, leader page, dashboard page and their JSON, and the branch's
// secretary requests the same. Nothing but turnout may change, and no rating, rate, score or comment may appear,
// also at and above the threshold. The committee then closes early, and the figures published a few seconds
// later are exactly those of the ballots cast.

const wide = { width: 1280, height: 900 };
const raters = ['1203', '1204', '1205', '1209'];
const targetLogins = ['1202', '1402']; // leaders no other file makes a target
const secretary = '1201'; // 第一中学教师第二支部

/** The text of `main` without what is turnout ([data-turnout]) or the time of reading ([data-as-of]). */
async function contentText(page: Page, path: string): Promise<string> {
	const response = await page.goto(path);
	expect(response?.status(), path).toBe(200);
	return page.locator('main').evaluate((main) => {
		const copy = main.cloneNode(true) as HTMLElement;
		for (const el of copy.querySelectorAll('[data-turnout], [data-as-of]')) el.remove();
		return copy.innerText;
	});
}

/** Every cell of every sheet; digits in text masked only where the text is turnout or the export time. */
async function workbookCells(page: Page, path: string): Promise<string[]> {
	const response = await page.request.get(path);
	expect(response.status(), path).toBe(200);
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load((await response.body()) as unknown as ExcelJS.Buffer);
	const cells: string[] = [];
	workbook.eachSheet((sheet) =>
		sheet.eachRow((row, r) =>
			row.eachCell((cell, c) => {
				const value = String(cell.value ?? '');
				// Turnout: line 2 of the summary (ballots in, export time), the 有效票数 column, the group sheet's counts.
				const turnout = (sheet.name === '测评结果汇总表' && (r === 2 || c === 4)) || (sheet.name === '分组统计' && (c >= 3 || /^评议组：/.test(value)));
				cells.push(`${sheet.name}!${r}:${c}=${turnout ? value.replace(/\d+/g, '#') : value}`);
			})
		)
	);
	return cells;
}

type Campaign = { id: number; title: string; groupIds: number[]; targets: { memberId: number; name: string }[] };

/** What the committee can see of the campaign, turnout aside; and the JSON behind the pages. */
async function committeeView(page: Page, c: Campaign): Promise<unknown[]> {
	const views: unknown[] = [];
	const pages = [`/campaigns/${c.id}/results`, ...c.groupIds.map((g) => `/campaigns/${c.id}/results?group=${g}`), `/campaigns/${c.id}/results/print`];
	for (const path of pages) views.push(path, await contentText(page, path));
	views.push('xlsx', await workbookCells(page, `/campaigns/${c.id}/results/results.xlsx`));
	for (const t of c.targets) {
		await page.goto(`/campaigns/leaders/${t.memberId}`);
		views.push(`leader ${t.name}`, await page.locator('.history > li').filter({ hasText: c.title }).innerText());
		await page.goto('/dashboard/leaders');
		const row = page.getByRole('table', { name: `${t.name}历年测评结果`, includeHidden: true }).locator('tbody tr').filter({ hasText: c.title });
		views.push(`dashboard ${t.name}`, await row.evaluate((r) => [...(r as HTMLTableRowElement).cells].map((cell) => (cell.textContent ?? '').trim())));
		const csv = await (await page.request.get(`/dashboard/leaders/export?table=leader-${t.memberId}&format=csv`)).text();
		views.push(`csv ${t.name}`, csv.split(/\r?\n/).filter((line) => line.includes(c.title)));
	}
	// The pages' own data, as SvelteKit sends it on client-side navigation: the campaign's pages hold no rating,
	// rate, score or comment; the leaders' pages hold last year's closed campaign too, and no more of it.
	for (const path of [`/campaigns/${c.id}/results`, `/campaigns/${c.id}/results/print`]) {
		const json = await (await page.request.get(`${path}/__data.json`)).text();
		expect(json, path).not.toMatch(/topRate|"levels"|意见E2E/);
	}
	for (const path of [...c.targets.map((t) => `/campaigns/leaders/${t.memberId}`), '/dashboard/leaders']) {
		const json = await (await page.request.get(`${path}/__data.json`)).text();
		expect(json, path).not.toMatch(/意见E2E/);
		views.push(`${path} figures`, json.match(/topRate|topTwoRate|"score":\d/g)?.length ?? 0);
	}
	return views;
}

/** The secretary of the raters' branch: refused every results page and export, and sees sign-ins by the day. */
async function secretaryView(page: Page, c: Campaign, raterIds: number[]): Promise<unknown[]> {
	const statuses: unknown[] = [];
	const paths = [
		`/campaigns/${c.id}/results`,
		`/campaigns/${c.id}/results/print`,
		`/campaigns/${c.id}/results/results.xlsx`,
		`/campaigns/${c.id}/results/__data.json`,
		...c.targets.map((t) => `/campaigns/leaders/${t.memberId}`),
		'/dashboard/leaders',
		...c.targets.map((t) => `/dashboard/leaders/export?table=leader-${t.memberId}&format=csv`)
	];
	for (const path of paths) {
		const response = await page.request.get(path, { maxRedirects: 0 });
		// SvelteKit answers a page's data request with 200 and the load's error (its status) inside.
		const status = path.endsWith('__data.json') ? Number(/"status":(\d+)/.exec(await response.text())?.[1]) : response.status();
		statuses.push(path, status);
	}
	for (const id of raterIds) {
		await page.goto(`/members/${id}`);
		const line = page.locator('main p.hint').filter({ hasText: '最近登录' });
		await expect(line).toHaveText(/^最近登录[:：]\s*(今天|从未登录|\d{4}年\d{1,2}月\d{1,2}日)$/);
	}
	return statuses;
}

async function setUp(admin: Page): Promise<Campaign> {
	const started = Date.now();
	const title = `E2E 进行中不显示结果 ${started}`;
	const id = await setUpCampaign(admin, { title, opensAt: started - 3600_000, closesAt: started + 3 * 3600_000, targets: targetLogins, branch: '第一中学教师第二支部' });

	const run = admin.locator('#run');
	await run.getByRole('checkbox', { name: /我确认开始正式测评/ }).check();
	await run.getByRole('button', { name: '开始正式测评' }).click();
	await expect(run.getByRole('status')).toContainText('正式测评已开始');

	const groupIds = (await e2eRows<{ id: number }>('select id from evaluation_group where evaluation_id = ? order by position', id)).map((g) => g.id);
	const targetRows = await e2eRows<{ member_id: number; name: string }>(
		'select t.member_id, m.name from evaluation_target t join member m on m.id = t.member_id where t.evaluation_id = ? order by t.position',
		id
	);
	return { id, title, groupIds, targets: targetRows.map((t) => ({ memberId: t.member_id, name: t.name })) };
}

/** One member rates every target at `level`, with a comment on the first; the comment is returned. */
async function rate(browser: Browser, login: string, id: number, level: number): Promise<string> {
	const page = await pageAs(browser, login, { viewport: wide });
	await page.goto(`/evaluations/${id}/rate`);
	const comment = `意见E2E${login}`;
	await expect(page.locator('form.ballot')).toBeVisible();
	await page.waitForLoadState('networkidle');
	await page.locator('form.ballot textarea').first().fill(comment);
	await rateAll(page, level);
	await page.context().close();
	return comment;
}

test('while a campaign is open nothing but turnout changes after each ballot, for the committee and a secretary; after an early close the figures are the ballots’', async ({
	browser
}) => {
	test.setTimeout(300_000);
	const admin = await pageAs(browser, demo.committee, { viewport: wide });
	const campaign = await setUp(admin);
	const sec = await pageAs(browser, secretary, { viewport: wide });
	const raterIds = (await e2eRows<{ id: number }>(`select id from member where login_id in (${raters.map(() => '?').join(', ')}) order by login_id`, ...raters)).map((r) => r.id);

	const levels = [0, 1, 0, 2];
	const comments: string[] = [];
	let committeeBefore = await committeeView(admin, campaign);
	let secretaryBefore = await secretaryView(sec, campaign, raterIds);
	expect(secretaryBefore.filter((s) => typeof s === 'number').every((s) => s === 403)).toBe(true);
	for (const [i, login] of raters.entries()) {
		comments.push(await rate(browser, login, campaign.id, levels[i] as number));
		await admin.goto(`/campaigns/${campaign.id}/results`);
		await expect(admin.getByTestId('ballots-in')).toHaveText(String(i + 1));
		const committeeAfter = await committeeView(admin, campaign);
		expect(committeeAfter, `committee after ballot ${i + 1}`).toEqual(committeeBefore);
		const secretaryAfter = await secretaryView(sec, campaign, raterIds);
		expect(secretaryAfter, `secretary after ballot ${i + 1}`).toEqual(secretaryBefore);
		committeeBefore = committeeAfter;
		secretaryBefore = secretaryAfter;
	}
	// The raters signed in today: their secretary reads 今天, never a time.
	for (const id of raterIds) {
		await sec.goto(`/members/${id}`);
		await expect(sec.locator('main p.hint').filter({ hasText: '最近登录' })).toHaveText(/^最近登录[:：]\s*今天$/);
	}

	// Close early; the results appear a few seconds later and equal what was cast: 4 ballots, levels 0, 1, 0, 2
	// on every criterion of both targets, and the four comments on the first target.
	await admin.goto(`/campaigns/${campaign.id}`);
	await admin.locator('#close').getByRole('checkbox', { name: /结束后不能重新开放/ }).check();
	await admin.locator('#close').getByRole('button', { name: '结束测评' }).click();
	await expect(admin.locator('#run').getByRole('status')).toContainText('测评已结束，共收回 4 张票');
	await admin.goto(`/campaigns/${campaign.id}/results`);
	await expect(async () => {
		await admin.reload();
		await expect(admin.locator('section.target')).toHaveCount(2, { timeout: 1000 });
	}).toPass({ timeout: 30_000 });
	const expected = [0, 1, 2, 3].map((level) => levels.filter((l) => l === level).length);
	for (const t of campaign.targets) {
		const section = admin.locator('section.target').filter({ has: admin.getByRole('heading', { name: new RegExp(t.name) }) });
		for (const row of await section.locator('table.levels tbody tr').all()) {
			expect((await row.locator('.count').allTextContents()).map(Number), t.name).toEqual(expected);
		}
	}
	const first = admin.locator('section.target').first();
	for (const comment of comments) await expect(first.getByText(comment, { exact: true })).toBeVisible();
	await admin.context().close();
	await sec.context().close();
});
