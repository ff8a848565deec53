import { expect, type Browser, type Page } from '@playwright/test';
import { demoPassword } from '../../playwright.config';

export { demoPassword };

/** Demo login ids (src/lib/server/demo/seed.ts): the same on every machine. */
export const demo = {
	committee: 'admin',
	secretary: '1101', // 第一中学教师第一支部
	leader: '1102',
	member: '1104',
	otherSecretary: '1301', // 县实验小学党支部
	otherMember: '1305'
} as const;

export async function signIn(page: Page, loginId: string, password = demoPassword) {
	await page.goto('/login');
	await page.getByLabel('工号或手机号').fill(loginId);
	await page.getByLabel('密码', { exact: true }).fill(password);
	await page.getByRole('button', { name: '登录' }).click();
}

/** A fresh browser context signed in as someone; each test gets its own cookies. */
export async function pageAs(browser: Browser, loginId: string, options: { viewport?: { width: number; height: number } } = {}) {
	const context = await browser.newContext(options.viewport ? { viewport: options.viewport } : {});
	const page = await context.newPage();
	await signIn(page, loginId);
	await expect(page).toHaveURL(/\/$|\/\?/);
	return page;
}

/** The member id behind a login id, found through the committee's member list. */
export async function memberIdOf(page: Page, loginId: string): Promise<number> {
	await page.goto(`/members?q=${encodeURIComponent(loginId)}`);
	const href = await page.locator('.member-list a').first().getAttribute('href');
	const id = Number(href?.split('/').pop());
	expect(id).toBeGreaterThan(0);
	return id;
}

/** On an open ballot page: rates every target at one level and submits; the receipt shown. */
export async function rateAll(page: Page, level: number): Promise<string> {
	// The ballot may arrive by a plain form post (a click before the page had hydrated) and hydrate after it: choices
	// made before that would be reset, so wait until the page has settled.
	await expect(page.locator('form.ballot')).toBeVisible();
	await page.waitForLoadState('networkidle');
	for (const radio of await page.locator(`form.ballot input[type=radio][value="${level}"]`).all()) await radio.check();
	await page.getByRole('button', { name: '提交测评' }).click();
	const receipt = page.getByTestId('receipt');
	await expect(receipt).toHaveText(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
	return (await receipt.textContent())?.trim() ?? '';
}

/**
 * A slow phone connection: the page's HTML arrives, its scripts are held back until `release()`. What the test
 * types meanwhile is what a person types before the page has hydrated.
 */
export async function holdScripts(page: Page): Promise<{ release: () => Promise<void> }> {
	let open: () => void = () => {};
	const held = new Promise<void>((resolve) => (open = resolve));
	await page.route('**/_app/immutable/**/*.js', async (route) => {
		await held;
		await route.continue();
	});
	return {
		release: async () => {
			open();
			await page.waitForLoadState('networkidle');
			await page.unrouteAll({ behavior: 'wait' });
		}
	};
}
