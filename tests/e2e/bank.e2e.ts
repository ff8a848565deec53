import { expect, test } from '@playwright/test';
import { demo, pageAs } from './helpers';

const header = '题型,题干,选项A,选项B,选项C,选项D,选项E,选项F,选项G,选项H,答案,解析,难度,学习内容领域,出处,原文摘录,复核日期';
const csv = (lines: string[]) => ({
	name: 'questions.csv',
	mimeType: 'text/csv',
	buffer: Buffer.from('\ufeff' + [header, ...lines].join('\r\n'), 'utf8')
});

test('the committee imports questions with errors, fixes them, edits one into a new version, exports and re-imports without duplicates', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee);
	await page.goto('/bank/import');
	await page.getByLabel('试题文件', { exact: true }).setInputFiles(
		csv([
			'单选,E2E：学习型机关建设测试每几个月组织一次？,一个月,三个月,六个月,十二个月,,,,,B,按季度组织。,易,learning_org,001 四(一),,',
			'单选,E2E：没有答案的题？,甲,乙,丙,丁,,,,,,,中,learning_org,001 四(一),,',
			'单选,E2E：答案不在选项中？,甲,乙,,,,,,,D,,中,learning_org,001 四(一),,',
			'判断,E2E：每季度组织一次理论测试。,,,,,,,,,对,,易,不存在的领域,001 四(一),,'
		])
	);
	await page.getByRole('button', { name: '检查并预览' }).click();
	const problems = page.getByRole('table', { name: '文件中的问题' });
	await expect(problems).toBeVisible();
	await expect(problems.locator('tbody tr')).toHaveCount(3);
	await expect(problems).toContainText('第 3 行');
	await expect(problems).toContainText('缺少答案');
	await expect(problems).toContainText('第 4 行');
	await expect(problems).toContainText('答案“D”对应的选项不存在');
	await expect(problems).toContainText('第 5 行');
	await expect(problems).toContainText('不认识的学习内容领域“不存在的领域”');
	await expect(page.getByRole('button', { name: /确认导入/ })).toHaveCount(0);

	await page.goto('/bank/import');
	await page.getByLabel('试题文件', { exact: true }).setInputFiles(
		csv([
			'单选,E2E：学习型机关建设测试每几个月组织一次？,一个月,三个月,六个月,十二个月,,,,,B,按季度组织。,易,learning_org,001 四(一),,',
			'多选,E2E：理论测试的内容包括哪些？,党章党规,政治理论,体育比赛,法律法规,,,,,ABD,,中,charter、theory,001 四(一),,',
			'判断,E2E：理论测试在每季度第一个月组织。,,,,,,,,,错,,易,learning_org,001 四(一),,',
			'填空,E2E：每季度____组织测试。,,,,,,,,,最后一个月/末月,,难,learning_org,001 四(一),,'
		])
	);
	await page.getByRole('button', { name: '检查并预览' }).click();
	await expect(page.getByText('新增 4 题')).toBeVisible();
	await page.getByRole('button', { name: '确认导入 4 题' }).click();
	await expect(page.getByText('导入完成：新增 4 题，更新 0 题。')).toBeVisible();

	// Edit one: an active question gets a new version.
	await page.goto('/bank?q=E2E：理论测试在每季度');
	await page.getByRole('link', { name: /E2E：理论测试在每季度第一个月组织/ }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('v1');
	await page.getByLabel('题干').fill('E2E：理论知识测试在每季度第一个月组织。');
	await expect(page.locator('.phone')).toContainText('E2E：理论知识测试在每季度第一个月组织。');
	await page.getByRole('button', { name: '保存', exact: true }).click();
	await expect(page.getByRole('status')).toContainText('已保存为第 2 版');
	await page.reload();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('v2');
	await expect(page.getByRole('region', { name: '修改记录' })).toContainText('保存第 2 版');
	await expect(page.getByRole('region', { name: '修改记录' })).toContainText('题干');

	// Export what the search finds and import it again: all duplicates, nothing new.
	const exported = await page.request.get('/bank/export?q=E2E&format=xlsx');
	expect(exported.status()).toBe(200);
	await page.goto('/bank/import');
	await page.getByLabel('试题文件', { exact: true }).setInputFiles({ name: 'export.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await exported.body() });
	await page.getByRole('button', { name: '检查并预览' }).click();
	await expect(page.getByText('新增 0 题')).toBeVisible();
	await expect(page.getByText('与题库重复 4 题')).toBeVisible();
	await expect(page.getByText('没有需要写入的试题。')).toBeVisible();
	await page.goto('/bank?q=E2E');
	await expect(page.getByText('共 4 题')).toBeVisible();

	// Moodle XML and GIFT exports hold the same questions.
	const moodle = await (await page.request.get('/bank/export?q=E2E&format=moodle')).text();
	expect(moodle).toContain('E2E：理论知识测试在每季度第一个月组织。');
	const gift = await (await page.request.get('/bank/export?q=E2E&format=gift')).text();
	expect(gift).toContain('E2E');
});

test('the starter bank is in the demo and its coverage matrix shows every area the documents support', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee, { viewport: { width: 360, height: 740 } });
	await page.goto('/bank?status=active');
	const total = Number((await page.getByRole('status').first().textContent())?.match(/\d+/)?.[0] ?? 0);
	expect(total).toBeGreaterThanOrEqual(200);
	await page.screenshot({ path: 'test-results/screens/bank-zh.png', fullPage: false });
	await page.getByText('覆盖情况').click();
	const matrix = page.getByRole('table', { name: /覆盖情况/ });
	await expect(matrix.locator('tbody tr')).toHaveCount(13);
	await page.goto('/bank/new');
	// Typing options grows the list (up to H) and shows them in the preview as a member would see them.
	for (const [i, text] of ['每月', '每季度', '每半年', '每年'].entries()) await page.locator(`#option_${i}`).fill(text);
	await expect(page.locator('#option_4')).toBeVisible();
	await page.locator('#option_4').fill('不定期');
	await expect(page.locator('#option_5')).toBeVisible();
	await page.getByLabel('题干').fill('多久组织一次理论测试？');
	await expect(page.locator('.phone')).toContainText('E.');
	await expect(page.locator('.phone')).toContainText('不定期');
	await page.screenshot({ path: 'test-results/screens/bank-new-zh.png', fullPage: true });
});

test('secretaries and members cannot reach the bank', async ({ browser }) => {
	for (const who of [demo.secretary, demo.member]) {
		const page = await pageAs(browser, who);
		await expect(page.getByRole('link', { name: '题库' })).toHaveCount(0);
		expect((await page.goto('/bank'))?.status()).toBe(403);
		expect((await page.request.get('/bank/export?format=xlsx')).status()).toBe(403);
		const post = await page.request.post('/bank/import?/starter', { headers: { origin: new URL(page.url()).origin }, form: { go: '1' } });
		expect(post.status()).toBe(403);
	}
});

test('the committee manages content areas and bulk-edits questions', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee);
	await page.goto('/bank/areas');
	await page.getByLabel('代码').fill('campus_safety');
	await page.getByLabel('中文名称', { exact: true }).last().fill('校园安全');
	await page.getByLabel('英文名称', { exact: true }).last().fill('Campus safety');
	await page.getByRole('button', { name: '新增领域' }).click();
	await expect(page.getByRole('status')).toHaveText('已保存。');
	await expect(page.locator('.areas')).toContainText('校园安全');
	// A bad code is refused with a message that says why.
	await page.getByLabel('代码').fill('Bad Code');
	await page.getByLabel('中文名称', { exact: true }).last().fill('坏代码');
	await page.getByLabel('英文名称', { exact: true }).last().fill('Bad');
	await page.getByRole('button', { name: '新增领域' }).click();
	await expect(page.getByRole('alert')).toContainText('代码只能用小写字母');

	// Bulk: tag two questions with the new area, then retire them.
	await page.goto('/bank?q=述学&status=active');
	const bulk = page.locator('.bulk');
	await page.locator('.questions input[name="ids"]').nth(0).check();
	await page.locator('.questions input[name="ids"]').nth(1).check();
	await bulk.getByRole('radio', { name: '改为以下学习内容领域：' }).check();
	await bulk.getByLabel('校园安全').check();
	await bulk.getByRole('button', { name: '执行' }).click();
	await expect(page.getByRole('status').filter({ hasText: '已处理' })).toHaveText('已处理 2 道试题。');
	const areaId = await page.locator('#f-area option', { hasText: '校园安全' }).getAttribute('value');
	await page.goto(`/bank?area=${areaId}&status=active`);
	await expect(page.getByText('共 2 题')).toBeVisible();
	await page.locator('.questions input[name="ids"]').nth(0).check();
	await page.locator('.questions input[name="ids"]').nth(1).check();
	await bulk.getByRole('radio', { name: '停用' }).check();
	await bulk.getByRole('button', { name: '执行' }).click();
	await expect(page.getByRole('status').filter({ hasText: '已处理' })).toHaveText('已处理 2 道试题。');
	await page.goto(`/bank?area=${areaId}&status=active`);
	await expect(page.getByText('共 0 题')).toBeVisible();
	// Nothing selected: a clear message.
	await page.goto('/bank?status=active');
	await bulk.getByRole('radio', { name: '启用' }).check();
	await bulk.getByRole('button', { name: '执行' }).click();
	await expect(page.getByRole('alert')).toHaveText('请先勾选试题。');
});

test('the starter bank previews like any file; on the demo every question is already there', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee);
	await page.goto('/bank/import');
	await page.getByRole('button', { name: '预览入门题库' }).click();
	await expect(page.getByText('新增 0 题')).toBeVisible();
	await expect(page.getByText(/与题库重复 2\d\d 题/)).toBeVisible();
	await expect(page.getByText('没有需要写入的试题。')).toBeVisible();
});

test('on a phone the menu is one short row, usable by keyboard and without JavaScript, and the coverage numbers are thumb-sized', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee, { viewport: { width: 360, height: 780 } });
	await page.goto('/bank');
	const header = page.locator('header.top');
	expect((await header.boundingBox())?.height).toBeLessThan(120);
	const nav = page.getByRole('navigation', { name: '主导航' });
	// Every link is still there, the page's own in view.
	for (const name of ['首页', '测试管理', '题库', '组织单位', '修改密码']) await expect(nav.getByRole('link', { name, exact: true })).toHaveCount(1);
	await expect(nav.getByRole('button', { name: '退出登录' })).toHaveCount(1);
	await expect(nav.getByRole('link', { name: '题库', exact: true })).toBeInViewport({ ratio: 1 });
	// Tabbing along the row brings each link into view.
	await nav.getByRole('link', { name: '首页', exact: true }).focus();
	for (let i = 0; i < 12; i++) {
		const focused = page.locator(':focus');
		await expect(focused).toBeInViewport();
		if ((await focused.getAttribute('href')) === '/account/password') break;
		await page.keyboard.press('Tab');
	}
	await expect(nav.getByRole('link', { name: '修改密码' })).toBeFocused();
	await page.screenshot({ path: 'test-results/screens/nav-phone-zh.png' });

	// The coverage matrix: each count is a link at least 44 px square, and the matrix still scrolls sideways.
	await page.getByText('覆盖情况').click();
	const links = page.getByRole('table', { name: /覆盖情况/ }).locator('tbody a');
	for (const box of await links.evaluateAll((all) => all.slice(0, 24).map((a) => a.getBoundingClientRect().toJSON() as DOMRect))) {
		expect(box.width).toBeGreaterThanOrEqual(44);
		expect(box.height).toBeGreaterThanOrEqual(44);
	}
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	await page.screenshot({ path: 'test-results/screens/bank-coverage-phone-zh.png' });

	// Without JavaScript the row is the same height and still holds every link.
	const plain = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 780 }, storageState: await page.context().storageState() });
	const noScript = await plain.newPage();
	await noScript.goto('/bank');
	expect((await noScript.locator('header.top').boundingBox())?.height).toBeLessThan(120);
	await expect(noScript.getByRole('navigation', { name: '主导航' }).getByRole('link')).toHaveCount(await nav.getByRole('link').count());
	await plain.close();
});

test('over-long texts in the bank are kept and refused with the limit named, not cut', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee, { viewport: { width: 360, height: 780 } });
	await page.goto('/bank/areas');
	const name = '校园安全与文明'.repeat(6) + '建设'; // 44 characters
	await page.getByLabel('代码').fill('e2e_long_name');
	await page.getByLabel('中文名称', { exact: true }).last().fill(name);
	await page.getByLabel('英文名称', { exact: true }).last().fill('Campus safety');
	await expect(page.locator('#nameZh-length')).toHaveText('已输入 44 字，比上限 40 字多 4 字，请删减。');
	await page.getByRole('button', { name: '新增领域' }).click();
	await expect(page.locator('#nameZh-error')).toHaveText('不能超过 40 个字，请删减后再保存（输入的内容已保留）。');
	await expect(page.getByLabel('中文名称', { exact: true }).last()).toHaveValue(name);
	await expect(page.locator('.areas')).not.toContainText('校园安全与文明');

	await page.goto('/bank/new');
	const stem = '党'.repeat(2001);
	await page.getByLabel('题干').fill(stem);
	await expect(page.locator('#stem-length')).toHaveText('已输入 2001 字，比上限 2000 字多 1 字，请删减。');
	await page.getByRole('button', { name: '保存试题' }).click();
	await expect(page.getByText('不能超过 2000 个字，请删减后再保存（输入的内容已保留）。')).toBeVisible();
	await expect(page.getByLabel('题干')).toHaveValue(stem);
});
