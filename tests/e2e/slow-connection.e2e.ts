import { expect, test, type Page } from '@playwright/test';
import { demo, holdScripts, pageAs } from './helpers';

// On a slow phone connection the page's HTML arrives well before its script, and people start typing. What they
// typed, ticked or chose before the script arrived must survive hydration (src/lib/kept-input.ts) and reach the
// server. 1103 takes this quarter's demo test here; no other file uses 1103's attempt.

const phone = { width: 390, height: 844 };
const currentTest = /2026年第四季度党员理论学习测试|季度党员理论学习测试/;
const saveStatus = (page: Page) => page.getByRole('region', { name: '答题状态' }).locator('.status');

test('the committee fills in a new test before the script arrives, and what it typed is created', async ({ browser }) => {
	const admin = await pageAs(browser, demo.committee, { viewport: phone });
	const scripts = await holdScripts(admin);
	await admin.goto('/exams/new', { waitUntil: 'domcontentloaded' });
	const title = `E2E 慢网络 ${Date.now()}`;
	await admin.getByLabel('测试名称').fill(title);
	await admin.getByLabel('答题时长（分钟）').fill('45');
	await admin.getByLabel('及格线（分）').fill('72');
	await admin.getByRole('radio', { name: '练习（不计入成绩）' }).check();
	await scripts.release();

	// The page has hydrated (its enhanced form is live) and still shows what was typed.
	await expect(admin.getByLabel('测试名称')).toHaveValue(title);
	await expect(admin.getByLabel('答题时长（分钟）')).toHaveValue('45');
	await expect(admin.getByLabel('及格线（分）')).toHaveValue('72');
	await expect(admin.getByRole('radio', { name: '练习（不计入成绩）' })).toBeChecked();

	await admin.getByRole('button', { name: '创建测试' }).click();
	await expect(admin).toHaveURL(/\/exams\/\d+\?created=1$/);
	await expect(admin.getByLabel('测试名称')).toHaveValue(title);
	await expect(admin.getByLabel('答题时长（分钟）')).toHaveValue('45');
	await expect(admin.getByLabel('及格线（分）')).toHaveValue('72');
	await expect(admin.getByRole('radio', { name: '练习（不计入成绩）' })).toBeChecked();

	// The blueprint, typed into the server's spare rows before the script comes: the spare rows the script drops
	// are the empty ones, and the typed row is saved as typed.
	const blueprint = await holdScripts(admin);
	await admin.reload({ waitUntil: 'domcontentloaded' });
	const row = admin.getByRole('group', { name: '第 1 行', exact: true });
	await row.getByLabel('学习内容领域').selectOption({ label: '学习型组织建设制度' });
	await row.getByLabel('难度').selectOption({ label: '易' });
	await row.getByLabel('题数').fill('4');
	await row.getByLabel('每题分值').fill('5');
	await blueprint.release();
	await expect(admin.getByRole('button', { name: '添加一行' })).toBeVisible();
	await expect(row.getByLabel('题数')).toHaveValue('4');
	await expect(row.getByLabel('每题分值')).toHaveValue('5');
	await expect(admin.locator('#blueprint .totals')).toContainText('共 4 题');
	await admin.getByRole('button', { name: '保存组卷方案' }).click();
	await expect(admin.locator('#blueprint').getByRole('status')).toHaveText('已保存。');
	await admin.reload();
	await expect(row.getByLabel('学习内容领域')).toHaveValue(/\d+/);
	await expect(row.getByLabel('题数')).toHaveValue('4');
	await expect(row.getByLabel('每题分值')).toHaveValue('5');
	await admin.context().close();
});

test('a rater group limited to two units before the script arrives is saved limited to them', async ({ browser }) => {
	const admin = await pageAs(browser, demo.committee, { viewport: phone });
	await admin.goto('/campaigns/new');
	await admin.getByLabel('测评名称').fill(`E2E 慢网络测评 ${Date.now()}`);
	await admin.getByRole('button', { name: '创建测评' }).click();
	await expect(admin).toHaveURL(/\/campaigns\/\d+\?created=1$/);

	const scripts = await holdScripts(admin);
	await admin.reload({ waitUntil: 'domcontentloaded' });
	const groups = admin.locator('#groups');
	const spare = groups.getByRole('group', { name: '第 5 行', exact: true });
	await spare.getByLabel('类别名称').fill('支部党员');
	await spare.getByLabel('成员登录后可在本类测评').check();
	await spare.locator('summary').click();
	await spare.getByRole('checkbox', { name: '第一中学教师第一支部' }).check();
	await spare.getByRole('checkbox', { name: '县实验小学党支部' }).check();
	await scripts.release();

	// Both units are still ticked and counted: a group limited to nobody would be open to every member.
	await expect(groups.getByRole('button', { name: '添加一类' })).toBeVisible();
	await expect(spare.getByRole('checkbox', { name: '第一中学教师第一支部' })).toBeChecked();
	await expect(spare.getByRole('checkbox', { name: '县实验小学党支部' })).toBeChecked();
	await expect(spare.locator('summary')).toHaveText('范围：2 个单位（含下级）、0 个角色');
	await groups.getByRole('button', { name: '保存测评人类别' }).click();
	await expect(groups.getByRole('status')).toHaveText('已保存。');
	await admin.reload();
	const saved = admin.locator('#groups').getByRole('group', { name: '第 5 行', exact: true });
	await expect(saved.getByLabel('类别名称')).toHaveValue('支部党员');
	await expect(saved.locator('summary')).toHaveText('范围：2 个单位（含下级）、0 个角色');
	await admin.context().close();
});

test('a member answers before the test page’s script arrives, and the answer is saved once it does', async ({ browser }) => {
	const page = await pageAs(browser, '1103', { viewport: phone });
	await page.locator('li', { hasText: currentTest }).first().getByRole('link', { name: '进入测试' }).click();
	await page.getByRole('button', { name: '开始答题' }).click();
	await page.waitForURL(/\/attempts\/\d+$/);
	const attemptId = Number(page.url().split('/').pop());
	await expect(saveStatus(page)).toHaveText('已全部保存');

	// The page again, on a slow connection: question 1 arrives as a plain form, and the member chooses at once.
	const scripts = await holdScripts(page);
	await page.reload({ waitUntil: 'domcontentloaded' });
	await expect(page.getByText('第 1 题，共 20 题')).toBeVisible();
	await page.locator('label.option').nth(1).click();
	await page.getByLabel('标记此题').check();
	await scripts.release();

	// The whole paper replaces the form, with the choice on it, and autosave takes it to the server.
	await expect(saveStatus(page)).toHaveText('已全部保存');
	await expect(page.locator('#question-1 input[type=radio]').nth(1)).toBeChecked();
	await page.screenshot({ path: 'test-results/screens/take-slow-connection-phone.png' });
	const response = await page.request.get(`/api/attempts/${attemptId}/answers`);
	const saved = ((await response.json()) as { answers: { position: number; answer: { type: string; choice?: number } | null; flagged: boolean }[] }).answers;
	const first = saved.find((a) => a.position === 1);
	expect(first?.answer?.type).toBe('single');
	expect(first?.flagged).toBe(true);

	// A reload shows it from the server.
	await page.reload();
	await expect(page.locator('#question-1 input[type=radio]').nth(1)).toBeChecked();
	await page.context().close();
});
