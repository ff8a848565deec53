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
