import { expect, test, type Browser, type Page } from '@playwright/test';
import { demo, pageAs, rateAll, setUpCampaign } from './helpers';

// Issue 5 from end to end, through the pages only: the committee sets up a campaign (threshold 3) with three
// signed-in raters (the 第一中学教师第二支部 members 1206–1208) and three one-time codes; a test-run ballot is gone
// once the real run opens; the set-up locks at the first real ballot; a member cannot rate twice; a code works
// once; while the run is open the committee sees turnout and no result (issue 16); the committee closes it
// early; every receipt is in the list published at the close, and the results appear a few seconds later.

const wide = { width: 1280, height: 900 };
async function rateAsMember(browser: Browser, loginId: string, id: number, level: number): Promise<string> {
	const page = await pageAs(browser, loginId, { viewport: wide });
	await page.goto(`/evaluations/${id}/rate`);
	const receipt = await rateAll(page, level);
	await page.context().close();
	return receipt;
}

async function rateByCode(browser: Browser, code: string, level: number): Promise<string> {
	const context = await browser.newContext({ viewport: wide });
	const page = await context.newPage();
	await page.goto('/ballot');
	await page.getByLabel('测评码').fill(code);
	await page.getByRole('button', { name: '打开测评表' }).click();
	const receipt = await rateAll(page, level);
	await context.close();
	return receipt;
}

test('a campaign from set-up to published receipts', async ({ browser }) => {
	test.setTimeout(300_000);
	const started = Date.now();
	const admin = await pageAs(browser, demo.committee, { viewport: wide });
	const title = `E2E 全流程测评 ${started}`;

	// Set-up: the window opened an hour ago and closes in an hour; the committee closes it early at the end.
	const closesAt = Math.ceil((started + 3600_000) / 60_000) * 60_000;
	// 党员 (row 3) rate by signing in, limited to 第一中学教师第二支部; 教职工群众 (row 4) rate by code.
	const id = await setUpCampaign(admin, { title, opensAt: started - 3600_000, closesAt, targets: ['1302'], branch: '第一中学教师第二支部' });

	const codesSection = admin.locator('#codes');
	await codesSection.getByLabel('测评人类别').selectOption({ label: '教职工群众' });
	await codesSection.getByLabel('生成数量').fill('3');
	await codesSection.getByRole('button', { name: '生成并显示测评码' }).click();
	await expect(admin.locator('.slip')).toHaveCount(3);
	const codes = (await admin.locator('.slip .code').allTextContents()).map((c) => c.trim());
	expect(new Set(codes).size).toBe(3);

	// The test run: 1206 rates; opening the real run wipes that ballot, so 1206 may rate again.
	await admin.goto(`/campaigns/${id}`);
	const run = admin.locator('#run');
	await run.getByRole('button', { name: '开始试测' }).click();
	await expect(run.getByRole('status')).toContainText('试测已开始');
	await rateAsMember(browser, '1206', id, 2);
	await run.getByRole('checkbox', { name: /删除试测的全部选票/ }).check();
	await run.getByRole('button', { name: '开始正式测评' }).click();
	await expect(run.getByRole('status')).toContainText('正式测评已开始');
	await admin.goto(`/campaigns/${id}/results`);
	await expect(admin.getByText(/测评进行中.*结束后显示结果/)).toBeVisible();
	await expect(admin.getByTestId('ballots-in')).toHaveText('0');

	// The real run. Before its first ballot the groups can still be saved; after it, not.
	await admin.goto(`/campaigns/${id}`);
	await expect(admin.getByRole('button', { name: '保存测评人类别' })).toBeVisible();
	const receipts: string[] = [];
	receipts.push(await rateAsMember(browser, '1206', id, 0));
	await admin.reload();
	await expect(admin.getByRole('button', { name: '保存测评人类别' })).toHaveCount(0);
	await expect(admin.locator('#run').getByText('正式测评已收到选票')).toBeVisible();

	// 1206 cannot rate again: the page says so, and a direct post is refused.
	const again = await pageAs(browser, '1206', { viewport: wide });
	await again.goto(`/evaluations/${id}/rate`);
	await expect(again.getByTestId('already-rated')).toBeVisible();
	await again.context().close();

	// A code, then the same code again.
	receipts.push(await rateByCode(browser, (codes[0] as string).toLowerCase(), 1));
	const reuse = await browser.newContext({ viewport: wide });
	const reusePage = await reuse.newPage();
	await reusePage.goto('/ballot');
	await reusePage.getByLabel('测评码').fill(codes[0] as string);
	await reusePage.getByRole('button', { name: '打开测评表' }).click();
	await expect(reusePage.getByText('此测评码已使用')).toBeVisible();
	await reuse.close();

	// While the run is open: turnout only, at two ballots as at three (the threshold). Who has rated is named.
	await admin.goto(`/campaigns/${id}/results`);
	await expect(admin.getByTestId('ballots-in')).toHaveText('2');
	receipts.push(await rateAsMember(browser, '1207', id, 0));
	await admin.reload();
	await expect(admin.getByTestId('ballots-in')).toHaveText('3');
	await expect(admin.locator('section.target')).toHaveCount(0);
	await expect(admin.getByRole('link', { name: '导出汇总表（XLSX）' })).toHaveCount(0);
	const roll = admin.locator('.roll').filter({ has: admin.getByRole('heading', { name: '党员', exact: true }) });
	await expect(roll.locator('summary').nth(1)).toHaveText('已评: 2');
	await expect(roll.locator('details').nth(1).locator('li')).toHaveText([/1206$/, /1207$/]);

	receipts.push(await rateAsMember(browser, '1208', id, 1));
	receipts.push(await rateByCode(browser, codes[1] as string, 0));
	receipts.push(await rateByCode(browser, codes[2] as string, 2));
	expect(new Set(receipts).size).toBe(6);

	// Before the close the receipt list is not out; after it, every receipt is on it.
	const reader = await browser.newContext({ viewport: wide });
	const list = await reader.newPage();
	await list.goto(`/receipts/${id}`);
	await expect(list.getByText(/结束后在此公布回执码名单|届时在此公布回执码名单/)).toBeVisible();

	// 提前结束, after a confirmation that says it cannot be reopened.
	await admin.goto(`/campaigns/${id}`);
	const close = admin.locator('#close');
	await close.getByRole('button', { name: '结束测评' }).click();
	await expect(close.getByRole('checkbox', { name: /结束后不能重新开放/ })).toBeFocused();
	await close.getByRole('checkbox', { name: /结束后不能重新开放/ }).check();
	await close.getByRole('button', { name: '结束测评' }).click();
	await expect(admin.locator('#run').getByRole('status')).toHaveText('测评已结束，共收回 6 张票。结果几秒钟后显示。');
	await expect(admin.locator('#close')).toHaveCount(0);
	await list.reload();
	await expect(list.getByText('共 6 个回执码')).toBeVisible();
	for (const receipt of receipts) await expect(list.getByText(receipt, { exact: true })).toBeVisible();
	await reader.close();

	// The results, a few seconds after the close: 6 ballots, 3 per group, both groups at the threshold.
	await admin.goto(`/campaigns/${id}/results`);
	await expect(async () => {
		await admin.reload();
		await expect(admin.locator('section.target')).toHaveCount(1, { timeout: 1000 });
	}).toPass({ timeout: 30_000 });
	await expect(admin.getByText(/测评已于.*结束，以下为最终结果/)).toBeVisible();
	const counts = (await admin.locator('section.target tr.overall .count').allTextContents()).map(Number);
	expect(counts.reduce((a, b) => a + b, 0)).toBe(6);
	await expect(admin.getByLabel('按评议组查看').locator('option')).toHaveText(['全部评议组', '党员', '教职工群众']);
	await admin.context().close();
});
