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

/** `YYYY-MM-DDTHH:mm` in the organization's time zone (the demo's, Asia/Shanghai), as a datetime-local input takes it. */
export function localInput(at: number): string {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
			.formatToParts(new Date(at))
			.map((p) => [p.type, p.value])
	);
	return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/**
 * Through the committee's pages: a campaign (threshold 3, the given window) with the given leaders as targets,
 * whose 党员 group (row 3) rates signed in, limited to the given branch. Its id.
 */
export async function setUpCampaign(
	admin: Page,
	o: { title: string; opensAt: number; closesAt: number; targets: string[]; branch: string }
): Promise<number> {
	await admin.goto('/campaigns/new');
	await admin.getByLabel('测评名称').fill(o.title);
	await admin.getByLabel('结果显示门槛（票）').fill('3');
	await admin.getByLabel('开始时间').fill(localInput(o.opensAt));
	await admin.getByLabel('结束时间').fill(localInput(o.closesAt));
	await admin.getByRole('button', { name: '创建测评' }).click();
	await expect(admin).toHaveURL(/\/campaigns\/\d+\?created=1$/);
	const id = Number(/\/campaigns\/(\d+)/.exec(admin.url())?.[1]);

	const targets = admin.locator('#targets');
	for (const login of o.targets) await targets.getByRole('checkbox', { name: new RegExp(`${login} ·`) }).check();
	await targets.getByRole('button', { name: '添加', exact: true }).click();
	await expect(targets.locator('li.target')).toHaveCount(o.targets.length);

	const groups = admin.locator('#groups');
	const members = groups.getByRole('group', { name: '第 3 行', exact: true });
	await members.getByLabel('成员登录后可在本类测评').check();
	await members.locator('summary').click();
	await members.getByRole('checkbox', { name: o.branch }).check();
	await groups.getByRole('button', { name: '保存测评人类别' }).click();
	await expect(groups.getByRole('status')).toHaveText('已保存。');
	return id;
}
