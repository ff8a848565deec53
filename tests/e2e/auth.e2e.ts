import { expect, test } from '@playwright/test';
import { demo, demoPassword, holdScripts, pageAs, signIn } from './helpers';

test('a member signs in, sees their home page, and signs out', async ({ page }) => {
	await page.goto('/');
	await expect(page).toHaveURL(/\/login\?next=%2F$/);
	await signIn(page, demo.member);
	await expect(page).toHaveURL(/\/$/);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('您好');
	await expect(page.getByRole('heading', { name: '我的待办' })).toBeVisible();
	// A plain member manages nobody.
	await expect(page.getByRole('link', { name: '成员管理' })).toHaveCount(0);

	await page.getByRole('button', { name: '退出登录' }).click();
	await expect(page).toHaveURL(/\/login$/);
	await page.goto('/');
	await expect(page).toHaveURL(/\/login/);
});

test('a wrong password and an unknown login id get the same message', async ({ page }) => {
	await signIn(page, demo.leader, 'not-the-password');
	const alert = page.getByRole('alert');
	await expect(alert).toHaveText('工号/手机号或密码不正确。');
	await expect(page.getByLabel('工号或手机号')).toHaveValue(demo.leader);

	await signIn(page, 'nobody-here', 'not-the-password');
	await expect(page.getByRole('alert')).toHaveText('工号/手机号或密码不正确。');
	await expect(page).toHaveURL(/\/login/);
});

test('a new account must change its password at first sign-in, and the old sessions end', async ({ browser }) => {
	const admin = await pageAs(browser, demo.committee);
	await admin.goto('/members/new');
	await admin.getByLabel('登录名（工号或手机号）').fill('e2e-new-01');
	await admin.getByLabel('姓名').fill('新同志');
	await admin.getByLabel('所属单位').selectOption({ label: '某县教育工委/县实验小学党支部' });
	await admin.getByRole('button', { name: '创建账号' }).click();
	const temporary = (await admin.locator('.password code').textContent())?.trim() ?? '';
	expect(temporary).toMatch(/^[A-Za-z0-9]{12}$/);

	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, 'e2e-new-01', temporary);
	await expect(page).toHaveURL(/\/account\/password$/);
	await expect(page.getByRole('status')).toContainText('请先设置自己的新密码');
	// Nothing else is reachable until the password is changed.
	await page.goto('/');
	await expect(page).toHaveURL(/\/account\/password$/);

	await page.getByLabel('当前密码').fill(temporary);
	await page.getByLabel('新密码', { exact: true }).fill('12345678');
	await page.getByLabel('再次输入新密码').fill('12345678');
	await page.getByRole('button', { name: '保存新密码' }).click();
	await expect(page.getByRole('alert')).toHaveText('这个密码太常见，很容易被猜到，请换一个。');
	await page.screenshot({ path: 'test-results/screens/password-forced-zh.png', fullPage: true });

	await page.getByLabel('当前密码').fill(temporary);
	await page.getByLabel('新密码', { exact: true }).fill('Wo-De-Mima-2026');
	await page.getByLabel('再次输入新密码').fill('Wo-De-Mima-2026');
	await page.getByRole('button', { name: '保存新密码' }).click();
	await expect(page).toHaveURL(/\/\?passwordChanged=1$/);
	await expect(page.getByRole('status')).toContainText('密码已修改');

	// The temporary password no longer works; the new one does.
	const again = await (await browser.newContext()).newPage();
	await signIn(again, 'e2e-new-01', temporary);
	await expect(again.getByRole('alert')).toHaveText('工号/手机号或密码不正确。');
	await signIn(again, 'e2e-new-01', 'Wo-De-Mima-2026');
	await expect(again).toHaveURL(/\/$/);
});

test('resetting a password signs the member out everywhere', async ({ browser }) => {
	const member = await pageAs(browser, demo.otherMember);
	const admin = await pageAs(browser, demo.committee);
	await admin.goto(`/members?q=${demo.otherMember}`);
	await admin.locator('.member-list a').first().click();
	await admin.getByRole('button', { name: '重置密码' }).click();
	await expect(admin.locator('.password code')).toHaveText(/^[A-Za-z0-9]{12}$/);

	await member.goto('/');
	await expect(member).toHaveURL(/\/login/);
	// And the demo password is gone for that account.
	await signIn(member, demo.otherMember, demoPassword);
	await expect(member.getByRole('alert')).toBeVisible();
});

test('the session cookie is HttpOnly and SameSite=Lax', async ({ browser }) => {
	const page = await pageAs(browser, demo.member);
	const cookie = (await page.context().cookies()).find((c) => c.name === 'kaoping_session');
	expect(cookie?.httpOnly).toBe(true);
	expect(cookie?.sameSite).toBe('Lax');
	expect(cookie?.path).toBe('/');
	const expiresInDays = ((cookie?.expires ?? 0) * 1000 - Date.now()) / 86_400_000;
	expect(expiresInDays).toBeGreaterThan(29);
	expect(expiresInDays).toBeLessThanOrEqual(30);
});

test('pages carry the Content-Security-Policy, and JSON endpoints refuse other content types', async ({ request, baseURL }) => {
	const response = await request.get('/login');
	const csp = response.headers()['content-security-policy'] ?? '';
	expect(csp).toContain("object-src 'none'");
	expect(csp).toContain("base-uri 'none'");
	expect(csp).toContain("frame-ancestors 'none'");
	expect(csp).toMatch(/script-src 'self' 'nonce-/);

	const form = await request.post('/api/health', { form: { a: '1' }, headers: { origin: new URL(baseURL ?? '').origin } });
	expect(form.status()).toBe(415);

	// A form post from another site is stopped by SvelteKit's origin check.
	const crossSite = await request.post('/login', {
		form: { loginId: 'admin', password: demoPassword },
		headers: { origin: 'https://evil.example' }
	});
	expect(crossSite.status()).toBe(403);
});

test('what a member types before the page’s scripts arrive survives, and signing in works', async ({ page }) => {
	// A slow phone connection: the scripts are held back until the form is filled in.
	const scripts = await holdScripts(page);
	await page.goto('/login', { waitUntil: 'domcontentloaded' });
	await page.getByLabel('工号或手机号').fill(demo.leader);
	await page.getByLabel('密码', { exact: true }).fill(demoPassword);
	await scripts.release();
	await expect(page.getByLabel('工号或手机号')).toHaveValue(demo.leader);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page.getByRole('heading', { name: '我的待办' })).toBeVisible();
});

test('a disabled member cannot sign in, and is signed out at once', async ({ browser }) => {
	const member = await pageAs(browser, '1306');
	const admin = await pageAs(browser, demo.committee);
	await admin.goto('/members?q=1306');
	await admin.locator('.member-list a').first().click();
	await admin.getByRole('button', { name: '停用账号' }).click();
	await expect(admin.getByRole('status')).toContainText('账号已停用');
	await member.goto('/');
	await expect(member).toHaveURL(/\/login/);
	await signIn(member, '1306');
	await expect(member.getByRole('alert')).toHaveText('工号/手机号或密码不正确。');
	await admin.getByRole('button', { name: '启用账号' }).click();
	await expect(admin.getByRole('status')).toContainText('账号已启用');
	await signIn(member, '1306');
	await expect(member).toHaveURL(/\/$/);
});
