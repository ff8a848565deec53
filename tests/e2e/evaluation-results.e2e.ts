import { expect, test, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { mkdirSync, readFileSync } from 'node:fs';
import { e2eRow } from './db';
import { demo, pageAs } from './helpers';

// The results of the demo's evaluations (src/lib/server/demo/evaluations.ts): last year's closed and released
// "2025年度领导干部述学评学" (30 ballots: 18 from 党员 members, 12 from 教职工群众 codes; threshold 5) and this
// year's open one (6 ballots, all from 党员; turnout only while it is open). Read only: no ballot is cast here.

const phone = { width: 390, height: 844 };
const wide = { width: 1280, height: 900 };

type Ids = { last: number; current: number; leader: number; leaderName: string };

/** Ids from the server's database, read-only (the figures themselves are checked against the pages). */
async function demoIds(): Promise<Ids> {
	const campaign = async (title: string) => (await e2eRow<{ id: number }>('select id from evaluation where title = ?', title)).id;
	const leader = await e2eRow<{ id: number; name: string }>('select id, name from member where login_id = ?', demo.leader);
	return { last: await campaign('2025年度领导干部述学评学'), current: await campaign('2026年度领导干部述学评学'), leader: leader.id, leaderName: leader.name };
}

const number = (text: string | null) => Number((text ?? '').replace(/[^\d.]/g, ''));

/** The overall row (总体评价) of a target's table: the levels' counts and shares. */
async function overallRow(page: Page, name: string) {
	const section = page.locator('section.target').filter({ has: page.getByRole('heading', { name: new RegExp(name) }) });
	const row = section.locator('tr.overall');
	const counts = (await row.locator('.count').allTextContents()).map(number);
	const shares = (await row.locator('.share').allTextContents()).map(number);
	return { section, counts, shares };
}

test('the committee sees the closed campaign’s figures, filters by group, exports and prints them', async ({ browser }) => {
	const ids = await demoIds();
	const page = await pageAs(browser, demo.committee, { viewport: wide });
	await page.goto(`/campaigns/${ids.last}/results`);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('测评结果');
	await expect(page.getByText('2025年度领导干部述学评学')).toBeVisible();
	await expect(page.getByText('测评已于')).toBeVisible();
	await expect(page.getByTestId('ballots-in')).toHaveText('30');

	// Each of the five targets has every ballot; the overall rating's levels add up to 30 and to 100%.
	await expect(page.locator('section.target')).toHaveCount(5);
	const { section, counts, shares } = await overallRow(page, ids.leaderName);
	await expect(section.getByText('30 票')).toBeVisible();
	expect(counts).toHaveLength(4);
	expect(counts.reduce((a, b) => a + b, 0)).toBe(30);
	expect(Math.abs(shares.reduce((a, b) => a + b, 0) - 100)).toBeLessThanOrEqual(0.3);
	for (const [i, c] of counts.entries()) expect(shares[i]).toBeCloseTo((c / 30) * 100, 1);
	// 优秀率 and 优秀+称职率 from the same counts.
	const rates = (await section.locator('tr.overall td.rate').allTextContents()).map(number);
	expect(rates[0]).toBeCloseTo(((counts[0] ?? 0) / 30) * 100, 1);
	expect(rates[1]).toBeCloseTo((((counts[0] ?? 0) + (counts[1] ?? 0)) / 30) * 100, 1);
	await expect(section.getByText('加权得分').first()).toBeVisible();

	// Both groups reach the threshold and so does the rest of each: both may be filtered on.
	const select = page.getByLabel('按评议组查看');
	await expect(select.locator('option')).toHaveText(['全部评议组', '党员', '教职工群众']);
	await expect(page.getByTestId('hidden-groups')).toHaveCount(0);
	mkdirSync('test-results/screens', { recursive: true });
	await page.screenshot({ path: 'test-results/screens/evaluation-results-1280.png', fullPage: true });

	// The XLSX: the title row and the first target's 优秀 count, as on the page.
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出汇总表（XLSX）' }).click()]);
	expect(download.suggestedFilename()).toMatch(/测评结果汇总表\.xlsx$/);
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(readFileSync(await download.path()) as unknown as ExcelJS.Buffer);
	const sheet = workbook.getWorksheet('测评结果汇总表');
	expect(sheet?.getCell('A1').value).toBe('2025年度领导干部述学评学测评结果汇总表');
	expect(sheet?.getCell('E3').value).toBe('总体评价');
	expect(sheet?.getCell('B5').value).toBe(ids.leaderName);
	expect(sheet?.getCell('D5').value).toBe(30);
	expect([5, 6, 7, 8].map((c) => sheet?.getRow(5).getCell(c).value)).toEqual(counts);
	expect(workbook.getWorksheet('分组统计')?.getCell('A3').value).toBe('党员');

	await select.selectOption({ label: '党员' });
	await page.getByRole('button', { name: '查看' }).click();
	await expect(page).toHaveURL(/group=\d+/);
	await expect(page.getByText('当前只显示评议组“党员”的票')).toBeVisible();
	const members = await overallRow(page, ids.leaderName);
	await expect(members.section.getByText('18 票')).toBeVisible();
	expect(members.counts.reduce((a, b) => a + b, 0)).toBe(18);

	// The leader's results across campaigns, from the link beside their name.
	await page.goto(`/campaigns/${ids.last}/results`);
	await section.getByRole('link', { name: '历年结果' }).click();
	await expect(page).toHaveURL(`/campaigns/leaders/${ids.leader}`);
	// Both demo campaigns (other tests may add campaigns with this leader as a target).
	const history = page.locator('.history > li');
	await expect(history.filter({ hasText: '2026年度领导干部述学评学' })).toHaveCount(1);
	await expect(history.filter({ hasText: '2025年度领导干部述学评学' })).toHaveCount(1);
	await expect(history.filter({ hasText: '2025年度领导干部述学评学' })).toContainText('优秀率');

	// The printable page: the same tables, the site's header hidden when printed.
	await page.goto(`/campaigns/${ids.last}/results/print`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('2025年度领导干部述学评学测评结果汇总表');
	await expect(page.locator('article.sheet > section.target')).toHaveCount(5);
	await expect(page.getByRole('heading', { name: '评议组：党员' })).toBeVisible();
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('button', { name: '打印' })).toBeHidden();
	await expect(page.locator('header.top')).toBeHidden();
	await page.context().close();
});

/** Column headings of the results tables whose text runs past their own cell (into the next heading). */
async function crowdedHeadings(page: Page) {
	return page.locator('table.levels thead th').evaluateAll((cells) =>
		cells.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => `${c.textContent?.trim()}: ${c.scrollWidth - c.clientWidth}px`)
	);
}

test('the printed results keep each column heading to its column, fit A4 and print no fold marker', async ({ browser }) => {
	const ids = await demoIds();
	// An A4 page with the print page's 12 mm side margins leaves 186 mm, 703 CSS pixels.
	const page = await pageAs(browser, demo.committee, { viewport: { width: 703, height: 1000 } });
	for (const locale of ['zh-CN', 'en']) {
		await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: page.url() }]);
		await page.goto(`/campaigns/${ids.last}/results/print`);
		await page.emulateMedia({ media: 'print' });
		await expect(page.locator('table.levels').first()).toBeVisible();
		expect(await crowdedHeadings(page), locale).toEqual([]);
		const sheet = await page.locator('article.sheet').boundingBox();
		const widest = await page.locator('table.levels').evaluateAll((tables) => Math.max(...tables.map((t) => t.getBoundingClientRect().right)));
		expect(widest, locale).toBeLessThanOrEqual((sheet?.x ?? 0) + (sheet?.width ?? 0) + 1);
		// The items' fold is open on paper and shows no triangle (▼) before its title.
		const summary = page.locator('details.items > summary').first();
		await expect(summary).toBeVisible();
		expect(await summary.evaluate((s) => getComputedStyle(s).listStyleType)).toBe('none');
		await page.pdf({ format: 'A4', printBackground: true, path: `test-results/screens/evaluation-results-print-${locale}.pdf` });
		await page.emulateMedia({ media: 'screen' });
	}
	await page.context().close();
});

test('the open campaign shows turnout and who has rated, and no result at all', async ({ browser }) => {
	const ids = await demoIds();
	const page = await pageAs(browser, demo.committee, { viewport: phone });
	await page.goto(`/campaigns/${ids.current}/results`);
	await expect(page.getByText('进行中', { exact: true })).toBeVisible();
	await expect(page.getByText(/测评进行中.*结束后显示结果/)).toBeVisible();
	// At least the demo's 6 ballots (other files rate this campaign too), and no figure, filter or export.
	expect(Number(await page.getByTestId('ballots-in').textContent())).toBeGreaterThanOrEqual(6);
	await expect(page.locator('section.target')).toHaveCount(0);
	await expect(page.getByLabel('按评议组查看')).toHaveCount(0);
	await expect(page.getByRole('link', { name: '导出汇总表（XLSX）' })).toHaveCount(0);
	await expect(page.getByRole('heading', { name: '谁已评、谁未评' })).toBeVisible();
	await expect(page.getByRole('link', { name: '提前结束测评' })).toHaveAttribute('href', `/campaigns/${ids.current}#close`);
	// Nothing to release before the campaign closes.
	await expect(page.getByRole('button', { name: '公布结果' })).toHaveCount(0);
	await expect(page.getByText('测评结束后可以向被测评人公布结果')).toBeVisible();
	mkdirSync('test-results/screens', { recursive: true });
	await page.screenshot({ path: 'test-results/screens/evaluation-results-390.png', fullPage: true });
	await page.context().close();
});

test('a leader sees their own released results and nothing else; a member cannot open the committee’s pages', async ({ browser }) => {
	const ids = await demoIds();
	const leader = await pageAs(browser, demo.leader, { viewport: phone });
	await leader.goto(`/evaluations/results/${ids.last}`);
	await expect(leader.getByRole('heading', { level: 1 })).toHaveText('我的测评结果');
	await expect(leader.locator('section.target')).toHaveCount(1);
	await expect(leader.locator('section.target h2')).toContainText(ids.leaderName);
	const own = await overallRow(leader, ids.leaderName);
	expect(own.counts.reduce((a, b) => a + b, 0)).toBe(30);
	await leader.screenshot({ path: 'test-results/screens/evaluation-own-results-390.png', fullPage: true });
	// This year's results are not released: the same answer as for a campaign that does not exist.
	expect((await leader.goto(`/evaluations/results/${ids.current}`))?.status()).toBe(404);
	expect((await leader.goto('/evaluations/results/999999'))?.status()).toBe(404);
	expect((await leader.goto(`/campaigns/${ids.last}/results`))?.status()).toBe(403);
	await leader.context().close();

	const member = await pageAs(browser, demo.member);
	// Not a target: 404, as if the campaign did not exist.
	expect((await member.goto(`/evaluations/results/${ids.last}`))?.status()).toBe(404);
	for (const path of [`/campaigns/${ids.last}/results`, `/campaigns/${ids.last}/results/print`, `/campaigns/leaders/${ids.leader}`]) {
		expect((await member.goto(path))?.status(), path).toBe(403);
	}
	expect((await member.request.get(`/campaigns/${ids.last}/results/results.xlsx`)).status()).toBe(403);
	await member.context().close();
});
