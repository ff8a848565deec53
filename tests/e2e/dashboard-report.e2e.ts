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
