import { expect, test } from '@playwright/test';
import { e2eRow } from './db';
import { demo, pageAs } from './helpers';

// 学习情况通报 (issue 6): the committee's printable quarterly report renders, in words and tables whose numbers are
// the stored results', and prints to A4; a secretary gets their own unit's report and no other. Only reads.

test('the committee reads and prints the report of the latest closed quarter', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee, { viewport: { width: 1280, height: 900 } });
	await page.goto('/dashboard/report');
	// The latest closed quarterly test, and its takers computed here from the attempts (one per member).
	const exam = await e2eRow<{ id: number; quarter: string }>(
		"select id, quarter from exam where kind = 'quarterly' and status = 'published' and closes_at <= ? order by quarter desc limit 1",
		Date.now()
	);
	const { n: takers } = await e2eRow<{ n: number }>('select count(distinct member_id) as n from attempt where exam_id = ? and submitted_at is not null', exam.id);
	const [year, q] = [exam.quarter.slice(0, 4), Number(exam.quarter.slice(5))];
	const quarter = `${year}年第${'一二三四'[q - 1]}季度`;
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`全部单位${quarter}党员理论学习情况通报`);
	for (const section of ['一、总体情况', '二、各单位情况', '三、内容掌握情况', '四、成绩分布', '五、近两年变化']) {
		await expect(page.getByRole('heading', { level: 2, name: section })).toBeVisible();
	}
	await expect(page.locator('article.report section').first()).toContainText(`实际参加 ${takers} 人`);
	// The areas table is weakest first.
	const shares = (await page.locator('table.data').filter({ hasText: '得分率' }).first().locator('tbody tr td').allTextContents()).map(Number);
	expect(shares.length).toBeGreaterThan(1);
	expect([...shares].sort((a, b) => a - b)).toEqual(shares);
	// No member is named in a 通报: the demo's members are not on the page.
	await expect(page.locator('article.report')).not.toContainText('1104');

	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('button', { name: '打印通报' })).toBeHidden();
	const pdf = await page.pdf({ format: 'A4', printBackground: true });
	expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
	const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
	expect(pages).toBeGreaterThanOrEqual(2);
	await page.context().close();
});

test("a secretary gets their own unit's report, in English too, and no other unit's", async ({ browser }) => {
	const page = await pageAs(browser, demo.secretary, { viewport: { width: 390, height: 844 } });
	await page.goto('/dashboard/report');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('第一中学教师第一支部');
	expect((await page.request.get('/dashboard/report?unit=5')).status()).toBe(403);
	const csv = await page.request.get('/dashboard/report/export?table=trend&format=csv');
	expect(csv.status()).toBe(200);
	expect(await csv.text()).toContain('第一中学教师第一支部');
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { level: 2, name: '1. Overview' })).toBeVisible();
	await page.context().close();
});

/** In print media: every table of the page whose right edge passes the printed column, by how far (none: []). */
async function tablesPastPage(page: import('@playwright/test').Page, container: string) {
	return page.evaluate((selector) => {
		const box = document.querySelector(selector)?.getBoundingClientRect();
		if (!box) return ['no ' + selector];
		return [...document.querySelectorAll<HTMLTableElement>(`${selector} table`)]
			.filter((t) => t.getBoundingClientRect().right > box.right + 1 || t.scrollWidth > t.getBoundingClientRect().width + 1)
			.map((t) => `${t.caption?.textContent ?? t.className}: ${Math.round(t.getBoundingClientRect().right - box.right)}px`);
	}, container);
}

test('every table of the report fits an A4 page in print, in Chinese and in English', async ({ browser }) => {
	// A secretary's report names their branch in the unit column, the widest of the demo's tables. An A4 page with
	// the report's 15 mm margins leaves 180 mm, 680 CSS pixels, for the content.
	const page = await pageAs(browser, demo.secretary, { viewport: { width: 680, height: 1000 } });
	for (const locale of ['zh-CN', 'en']) {
		await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: page.url() }]);
		await page.goto('/dashboard/report');
		await page.emulateMedia({ media: 'print' });
		await expect(page.locator('article.report table.data').first()).toBeVisible();
		expect(await tablesPastPage(page, 'article.report'), locale).toEqual([]);
		// The last column of the quarters' table (及格率 / Pass rate) is on the page.
		const lastHeading = page.locator('article.report table.data').last().locator('thead th').last();
		await expect(lastHeading).toHaveText(locale === 'en' ? 'Pass rate (%)' : '及格率（%）');
		const box = await page.locator('article.report').boundingBox();
		const cell = await lastHeading.boundingBox();
		expect((cell?.x ?? 0) + (cell?.width ?? 0)).toBeLessThanOrEqual((box?.x ?? 0) + (box?.width ?? 0) + 1);
		await page.pdf({ format: 'A4', printBackground: true, path: `test-results/screens/dashboard-report-${locale}.pdf` });
		await page.emulateMedia({ media: 'screen' });
	}
	await page.context().close();
});

test('the folded data table under a chart is a visible control with a marker and a focus ring', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee, { viewport: { width: 360, height: 780 } });
	await page.goto('/dashboard/report');
	const summary = page.locator('details.table-details > summary').first();
	await expect(summary).toHaveText('查看数据表');
	const marker = () => summary.evaluate((s) => getComputedStyle(s, '::before').content);
	expect(await marker()).toContain('▸');
	await summary.focus();
	await page.keyboard.press('Enter');
	await expect(summary.locator('xpath=..')).toHaveAttribute('open', '');
	expect(await marker()).toContain('▾');
	// The focus ring (keyboard focus) is drawn.
	expect(await summary.evaluate((s) => getComputedStyle(s).outlineStyle)).toBe('solid');
	await page.context().close();
});
