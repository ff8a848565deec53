import { expect, test } from '@playwright/test';
import { demo, pageAs } from './helpers';

const header = '登录名,姓名,所属单位,角色,职务,被测评领导,状态';
const unit = '某县教育工委/县教育局机关党支部';

function csv(lines: string[]) {
	return { name: 'members.csv', mimeType: 'text/csv', buffer: Buffer.from('\ufeff' + [header, ...lines].join('\r\n'), 'utf8') };
}

test('the committee imports a member file with errors, sees them, fixes the file and imports it', async ({ browser }) => {
	// On a phone, as committee members often are.
	const page = await pageAs(browser, demo.committee, { viewport: { width: 360, height: 740 } });
	await page.goto('/members/import');
	await expect(page.getByRole('link', { name: '下载 Excel 模板' })).toBeVisible();

	const broken = csv([
		`e2e-imp-01,赵一,${unit},党员,教师,否,正常`,
		`e2e-imp-02,,${unit},党员,,否,`,
		`e2e imp 03,钱三,不存在的支部,党员,,也许,`,
		`e2e-imp-01,孙四,${unit},,,,`
	]);
	await page.getByLabel('名单文件（.xlsx 或 .csv）').setInputFiles(broken);
	await page.getByRole('button', { name: '检查并预览' }).click();

	await expect(page.getByText('文件中有 5 处问题')).toBeVisible();
	await expect(page.getByText('没有写入任何数据')).toBeVisible();
	const rows = page.getByRole('table', { name: '文件中的问题' }).locator('tbody tr');
	await expect(rows).toHaveCount(5);
	await expect(rows.nth(0)).toContainText('3');
	await expect(rows.nth(0)).toContainText('姓名');
	await expect(rows.nth(0)).toContainText('此项必填');
	await expect(page.getByRole('table', { name: '文件中的问题' })).toContainText('登录名“e2e imp 03”无效');
	await expect(page.getByRole('table', { name: '文件中的问题' })).toContainText('“也许”应为“是”或“否”');
	await expect(page.getByRole('table', { name: '文件中的问题' })).toContainText('与第 2 行重复');
	await expect(page.getByRole('table', { name: '文件中的问题' })).toContainText('找不到单位“不存在的支部”');
	await expect(page.getByRole('button', { name: /确认导入/ })).toHaveCount(0);
	await page.screenshot({ path: 'test-results/screens/import-problems-zh.png', fullPage: true });

	// Nothing was written.
	await page.goto('/members?q=e2e-imp');
	await expect(page.getByText('没有符合条件的成员。')).toBeVisible();

	await page.goto('/members/import');
	const fixed = csv([
		`e2e-imp-01,赵一,${unit},党员,教师,否,正常`,
		`e2e-imp-02,钱二,${unit},党员,,否,`,
		`e2e-imp-03,孙三,县教育局机关党支部,党员,副局长,是,`
	]);
	await page.getByLabel('名单文件（.xlsx 或 .csv）').setInputFiles(fixed);
	await page.getByRole('button', { name: '检查并预览' }).click();
	await expect(page.getByText('新增 3 人')).toBeVisible();
	await page.screenshot({ path: 'test-results/screens/import-preview-zh.png', fullPage: true });
	await page.getByRole('button', { name: '确认导入 3 人' }).click();
	await expect(page.getByText('导入完成：新增 3 人，更新 0 人。')).toBeVisible();
	await expect(page.locator('tbody tr')).toHaveCount(3);
	await page.screenshot({ path: 'test-results/screens/import-done-zh.png', fullPage: true });

	await page.goto('/members?q=e2e-imp');
	await expect(page.locator('.member-list li')).toHaveCount(3);

	// Re-importing updates by login id instead of duplicating.
	await page.goto('/members/import');
	await page.getByLabel('名单文件（.xlsx 或 .csv）').setInputFiles(
		csv([`e2e-imp-01,赵一,${unit},党员,教研组长,否,正常`, `e2e-imp-02,钱二,${unit},党员,,否,`, `e2e-imp-03,孙三,${unit},党员,副局长,是,`])
	);
	await page.getByRole('button', { name: '检查并预览' }).click();
	await expect(page.getByText('更新 1 人')).toBeVisible();
	await expect(page.getByText('2 人无变化')).toBeVisible();
	await expect(page.getByText('职务: 教师 → 教研组长')).toBeVisible();
	await page.getByRole('button', { name: '确认导入 1 人' }).click();
	await expect(page.getByText('导入完成：新增 0 人，更新 1 人。')).toBeVisible();
	await page.goto('/members?q=e2e-imp');
	await expect(page.locator('.member-list li')).toHaveCount(3);
	await expect(page.locator('.member-list')).toContainText('教研组长');
});

test('the template and the export download as spreadsheets', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee);
	const template = await page.request.get('/members/import/template.xlsx');
	expect(template.status()).toBe(200);
	expect(template.headers()['content-type']).toContain('spreadsheetml');
	expect((await template.body()).subarray(0, 2).toString()).toBe('PK');
	const exported = await page.request.get('/members/export.xlsx?unit=');
	expect(exported.status()).toBe(200);
	expect((await exported.body()).subarray(0, 2).toString()).toBe('PK');
});

test('a picture, a PDF or an archive chosen as a question file gets one message naming it and the formats accepted', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee, { viewport: { width: 360, height: 780 } });
	const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
	const files = [
		{ name: '手机截图.png', mimeType: 'image/png', buffer: png },
		{ name: '题库.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n') },
		{ name: '资料.zip', mimeType: 'application/zip', buffer: Buffer.from('504b0304140000000800', 'hex') }
	];
	for (const file of files) {
		await page.goto('/bank/import');
		await page.locator('#file').setInputFiles(file);
		await page.getByRole('button', { name: '检查并预览' }).click();
		await expect(page.getByRole('alert')).toHaveText(
			`“${file.name}”不是题目文件。可导入的格式：Excel 表格（.xlsx）、CSV（.csv）、Moodle XML（.xml）、GIFT（.gift、.txt）和 Aiken（.txt）。`
		);
		// Nothing else: no preview, no table of "syntax errors" quoting the file's bytes, no options.
		await expect(page.getByRole('heading', { level: 2 })).toHaveCount(1);
		await expect(page.getByRole('table')).toHaveCount(0);
		await expect(page.getByText('格式错误')).toHaveCount(0);
		await expect(page.getByText('导入选项')).toHaveCount(0);
	}
	await page.screenshot({ path: 'test-results/screens/bank-import-not-questions-zh-360.png', fullPage: true });
});
