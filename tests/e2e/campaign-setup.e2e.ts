import { expect, test } from '@playwright/test';
import { demo, pageAs } from './helpers';

// The committee sets up an evaluation campaign: settings (a threshold below 3 refused), two leaders with their
// learning reports (text and a PDF), a criterion edited, rater groups with weights (a wrong sum refused with the
// sum), three ballot codes printed as slips with QR codes, the test run and the real run.

const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

test('the committee sets up a campaign, prints code slips, runs a test and opens the real run', async ({ browser }) => {
	test.setTimeout(180_000);
	const page = await pageAs(browser, demo.committee, { viewport: { width: 1280, height: 900 } });
	const title = `E2E 述学评学 ${Date.now()}`;

	// A refused form names the field and keeps what was typed.
	await page.goto('/campaigns');
	await page.getByRole('link', { name: '新建测评' }).click();
	await page.getByLabel('测评名称').fill(title);
	await page.getByLabel('结果显示门槛（票）').fill('2');
	await page.getByRole('button', { name: '创建测评' }).click();
	await expect(page.getByText('请填写 3 到 1000 之间的整数。')).toBeVisible();
	await expect(page.getByLabel('测评名称')).toHaveValue(title);
	await expect(page.getByRole('radio', { name: '述学评学' })).toBeChecked();
	await page.getByLabel('结果显示门槛（票）').fill('5');
	await page.getByRole('button', { name: '创建测评' }).click();
	await expect(page).toHaveURL(/\/campaigns\/\d+\?created=1$/);
	const id = Number(/\/campaigns\/(\d+)/.exec(page.url())?.[1]);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
	await expect(page.locator('.tags')).toContainText('草稿');

	// Two leaders as targets, picked from the leaders' list.
	const targets = page.locator('#targets');
	await targets.getByRole('checkbox', { name: /1102 ·/ }).check();
	await targets.getByRole('checkbox', { name: /1103 ·/ }).check();
	await targets.getByRole('button', { name: '添加', exact: true }).click();
	await expect(targets.locator('li.target')).toHaveCount(2);

	// Reports: text for both, a PDF for the first; a file that is not a PDF is refused by name.
	const first = targets.locator('li.target').nth(0);
	await first.locator('summary').click();
	await first.getByLabel('报告正文').fill('一年来坚持理论学习。\n\n- 参加中心组学习 12 次\n- **撰写心得** 6 篇');
	await first.getByLabel('上传 PDF（可选）').setInputFiles({ name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html>not a pdf</html>') });
	await first.getByRole('button', { name: '保存述学报告' }).click();
	await expect(first.getByText('这不是 PDF 文件，请上传 PDF。')).toBeVisible();
	await expect(first.getByLabel('报告正文')).toHaveValue(/参加中心组学习 12 次/);
	await first.getByLabel('上传 PDF（可选）').setInputFiles({ name: '述学报告.pdf', mimeType: 'application/pdf', buffer: pdf });
	await first.getByRole('button', { name: '保存述学报告' }).click();
	await expect(first.getByRole('link', { name: '述学报告.pdf' })).toBeVisible();
	// The text as raters will read it: a paragraph, two list items, bold as bold.
	await expect(first.locator('.report li')).toHaveCount(2);
	await expect(first.locator('.report strong')).toHaveText('撰写心得');
	const href = (await first.getByRole('link', { name: '述学报告.pdf' }).getAttribute('href')) ?? '';
	expect(href).toMatch(new RegExp(`^/campaigns/${id}/targets/\\d+/report\\.pdf$`));
	const served = await page.request.get(href);
	expect(served.status()).toBe(200);
	expect(served.headers()['content-type']).toBe('application/pdf');
	expect(Buffer.from(await served.body()).subarray(0, 5).toString()).toBe('%PDF-');
	const second = targets.locator('li.target').nth(1);
	await second.locator('summary').click();
	await second.getByLabel('报告正文').fill('本人按计划参加集中培训。');
	await second.getByRole('button', { name: '保存述学报告' }).click();
	await expect(second.getByRole('status')).toHaveText('已保存。');

	// A criterion edited: a scale written wrongly is refused naming its row, then fixed.
	const criteria = page.locator('#criteria');
	const row2 = criteria.getByRole('group', { name: '第 2 行', exact: true });
	await row2.getByLabel('项目名称').fill('学习态度（计划、自觉性）');
	await row2.getByLabel('评价等次和分值').fill('好 / 较好 / 一般');
	await criteria.getByRole('button', { name: '保存测评项目' }).click();
	await expect(criteria.getByRole('alert')).toContainText('第 2 行：评价等次的写法不对');
	await expect(row2.getByLabel('项目名称')).toHaveValue('学习态度（计划、自觉性）');
	await row2.getByLabel('评价等次和分值').fill('好=1 / 较好=0.8 / 一般=0.6 / 差=0.4');
	await criteria.getByRole('button', { name: '保存测评项目' }).click();
	await expect(criteria.getByRole('status')).toHaveText('已保存。');
	await expect(criteria.getByRole('group', { name: '第 2 行', exact: true }).getByLabel('项目名称')).toHaveValue('学习态度（计划、自觉性）');

	// Rater groups with weights: a sum of 90% is refused with the sum; party members rate by signing in.
	const groups = page.locator('#groups');
	const weights = ['10', '20', '30', '30'];
	for (const [i, w] of weights.entries()) await groups.getByRole('group', { name: `第 ${i + 1} 行`, exact: true }).getByLabel('权重（%，可不填）').fill(w);
	await groups.getByRole('group', { name: '第 3 行', exact: true }).getByLabel('成员登录后可在本类测评').check();
	await groups.getByRole('button', { name: '保存测评人类别' }).click();
	await expect(groups.getByRole('alert')).toContainText('各类权重合计为 90%，应为 100%。');
	await groups.getByRole('group', { name: '第 4 行', exact: true }).getByLabel('权重（%，可不填）').fill('40');
	await groups.getByRole('button', { name: '保存测评人类别' }).click();
	await expect(groups.getByRole('status')).toHaveText('已保存。');
	await expect(groups.getByRole('group', { name: '第 3 行', exact: true })).toContainText(/\d+ 名成员可登录测评/);

	// Three codes for 教职工群众, shown once as slips with QR codes.
	const codes = page.locator('#codes');
	await codes.getByLabel('测评人类别').selectOption({ label: '教职工群众' });
	await codes.getByLabel('生成数量').fill('3');
	await codes.getByRole('button', { name: '生成并显示测评码' }).click();
	const slips = page.locator('.slip');
	await expect(slips).toHaveCount(3);
	await expect(page.getByText('这些测评码只显示这一次')).toBeVisible();
	for (const slip of await slips.all()) {
		await expect(slip.getByRole('img', { name: '测评二维码' })).toHaveAttribute('src', /^data:image\/svg\+xml;base64,/);
		await expect(slip.locator('.code')).toHaveText(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
		await expect(slip).toContainText('教职工群众');
		await expect(slip).toContainText(title);
	}
	await page.screenshot({ path: 'test-results/screens/campaign-slips.png', fullPage: true });
	// Printed, the page holds the slips and nothing else.
	await page.emulateMedia({ media: 'print' });
	await expect(page.locator('#settings')).toBeHidden();
	await expect(page.getByRole('button', { name: '打印' })).toBeHidden();
	await expect(slips.first()).toBeVisible();
	await page.screenshot({ path: 'test-results/screens/campaign-slips-print.png', fullPage: true });
	await page.emulateMedia({ media: 'screen' });
	await expect(codes.locator('tbody tr')).toHaveCount(1);
	await expect(codes.locator('tbody tr')).toContainText('教职工群众');
	// A lost print-out: its unused codes are voided.
	await codes.locator('tbody tr').getByText('作废本批未用的码').click();
	await codes.getByRole('button', { name: '确认作废第 1 批未用的码' }).click();
	await expect(codes.getByRole('status')).toHaveText('第 1 批已作废 3 个未用的码。');
	await expect(codes.locator('tbody tr td').nth(4)).toHaveText('3');
	await expect(page.locator('.slip')).toHaveCount(0);

	// The test run, then the real run (which asks to confirm that the test ballots go).
	await page.goto(`/campaigns/${id}`);
	const run = page.locator('#run');
	await run.getByRole('button', { name: '开始试测' }).click();
	await expect(run.getByRole('status')).toContainText('试测已开始');
	await expect(page.locator('.tags')).toContainText('试测中');
	await run.getByRole('checkbox', { name: /删除试测的全部选票/ }).check();
	await run.getByRole('button', { name: '开始正式测评' }).click();
	await expect(run.getByRole('status')).toContainText('正式测评已开始');
	await expect(page.locator('.tags')).toContainText(/正式测评/);
	await expect(run.getByRole('button', { name: '退回草稿' })).toBeVisible();

	// On a phone, in Chinese.
	const phone = await pageAs(browser, demo.committee, { viewport: { width: 390, height: 844 } });
	await phone.goto(`/campaigns/${id}`);
	await phone.screenshot({ path: 'test-results/screens/campaign-390.png', fullPage: true });
	await phone.goto('/campaigns');
	await expect(phone.getByRole('link', { name: title })).toBeVisible();
	await phone.screenshot({ path: 'test-results/screens/campaigns-390.png' });
});

test('a locked campaign shows its set-up read-only and the server refuses changes', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee, { viewport: { width: 1280, height: 900 } });
	// The demo's live campaign has real ballots in.
	await page.goto('/campaigns');
	await page.getByRole('link', { name: '2026年度领导干部述学评学' }).click();
	await expect(page.locator('#run').getByText('正式测评已收到选票')).toBeVisible();
	await expect(page.getByRole('button', { name: '保存测评项目' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: '保存测评人类别' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: '生成并显示测评码' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: '退回草稿' })).toHaveCount(0);
	// A post made anyway (an old tab, a crafted request) is refused by the server.
	const url = page.url();
	const response = await page.request.post(`${url}?/criteria`, {
		form: { rows: '1', 'c0.name': '改过的项目', 'c0.levels': '好=1 / 差=0' },
		headers: { origin: new URL(url).origin, accept: 'application/json', 'x-sveltekit-action': 'true' }
	});
	expect(await response.text()).toContain('criteriaLocked');
	await page.reload();
	await expect(page.locator('#criteria').getByRole('group', { name: '第 1 行', exact: true }).getByLabel('项目名称')).toHaveValue('总体评价');
});
