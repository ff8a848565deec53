import { expect, test, type Page } from '@playwright/test';
import { demo, demoPassword } from './helpers';

const phone = { width: 360, height: 740 };

async function noSidewaysScroll(page: Page) {
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(width).toBeLessThanOrEqual(phone.width);
}

test('the interface is Chinese by default, English on request, remembered, and fits a phone', async ({ browser }) => {
	const context = await browser.newContext({ viewport: phone, locale: 'en-US', hasTouch: true, isMobile: true });
	const page = await context.newPage();
	const violations: string[] = [];
	page.on('console', (msg) => {
		if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) violations.push(msg.text());
	});

	// Chinese even for an English-language browser: the product's users read Chinese first.
	await page.goto('/login');
	await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
	await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
	await noSidewaysScroll(page);
	await page.screenshot({ path: 'test-results/screens/login-zh.png', fullPage: true });

	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
	await page.screenshot({ path: 'test-results/screens/login-en.png', fullPage: true });

	await page.getByLabel('Staff number or phone number').fill(demo.secretary);
	await page.getByLabel('Password', { exact: true }).fill(demoPassword);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Hello, /);
	await expect(page.getByRole('heading', { name: 'Your branch' })).toBeVisible();
	await noSidewaysScroll(page);
	await page.screenshot({ path: 'test-results/screens/home-secretary-en.png', fullPage: true });

	await page.goto('/members');
	await expect(page.getByRole('heading', { name: 'Members' })).toBeVisible();
	await noSidewaysScroll(page);
	await page.screenshot({ path: 'test-results/screens/members-en.png', fullPage: true });

	// Remembered across a reload and a new page.
	await page.reload();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');

	await page.getByRole('button', { name: '中文' }).click();
	await expect(page.getByRole('heading', { name: '成员管理' })).toBeVisible();
	await noSidewaysScroll(page);
	await page.screenshot({ path: 'test-results/screens/members-zh.png', fullPage: true });

	await page.goto('/members/import');
	await noSidewaysScroll(page);
	await page.screenshot({ path: 'test-results/screens/import-zh.png', fullPage: true });
	expect(violations).toEqual([]);
	await context.close();
});

test('the committee pages fit a phone in both languages', async ({ browser }) => {
	const context = await browser.newContext({ viewport: phone, isMobile: true, hasTouch: true });
	const page = await context.newPage();
	await page.goto('/login');
	await page.getByLabel('工号或手机号').fill(demo.committee);
	await page.getByLabel('密码', { exact: true }).fill(demoPassword);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page.getByRole('heading', { name: '全系统概况' })).toBeVisible();
	await page.screenshot({ path: 'test-results/screens/home-committee-zh.png', fullPage: true });
	for (const path of ['/units', '/members/new', '/bank', '/bank/new', '/bank/import', '/bank/areas']) {
		await page.goto(path);
		await noSidewaysScroll(page);
		await page.screenshot({ path: `test-results/screens${path.replaceAll('/', '-')}-zh.png`, fullPage: true });
	}
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { name: 'Content areas', level: 1 })).toBeVisible();
	await page.goto('/units');
	await expect(page.getByRole('heading', { name: 'Units' })).toBeVisible();
	await noSidewaysScroll(page);
	await page.screenshot({ path: 'test-results/screens/units-en.png', fullPage: true });
	await page.goto('/bank');
	await expect(page.getByRole('heading', { name: 'Question bank' })).toBeVisible();
	await expect(page.locator('.questions .tag', { hasText: 'Single choice' }).first()).toBeVisible();
	await noSidewaysScroll(page);
	await page.screenshot({ path: 'test-results/screens/bank-en.png', fullPage: false });
	await page.goto('/bank/1');
	await expect(page.getByRole('heading', { name: 'Preview' })).toBeVisible();
	await noSidewaysScroll(page);
	await page.screenshot({ path: 'test-results/screens/bank-question-en.png', fullPage: true });
	await context.close();
});

test('the sign-in form works by keyboard alone', async ({ page }) => {
	await page.goto('/login');
	await page.keyboard.press('Tab'); // skip link
	await expect(page.getByRole('link', { name: '跳到正文' })).toBeFocused();
	await page.getByLabel('工号或手机号').focus();
	await page.keyboard.type(demo.member);
	await page.keyboard.press('Tab');
	await page.keyboard.type(demoPassword);
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { name: '我的待办' })).toBeVisible();
});
