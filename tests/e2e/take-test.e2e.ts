import { expect, test, type Browser, type Page } from '@playwright/test';
import { pageAs } from './helpers';

// A member takes this quarter's demo test on a phone. Demo members 11xx and 13xx have not taken it
// (src/lib/server/demo/exams.ts); each test here uses its own member (1105–1107, 1303), since a member has one
// attempt. Other files use 1103, 1104, 1108, 1109, 1305, 1306 and 1307–1309; 1404 is the outsider here.

const phone = { width: 390, height: 844 };

/** The visible save status in the test page's status bar. */
const saveStatus = (page: Page) => page.getByRole('region', { name: '答题状态' }).locator('.status');
const currentTest = /2026年第四季度党员理论学习测试|季度党员理论学习测试/;

type SavedAnswer = { position: number; answer: unknown; editedAt: number | null; flagged: boolean };

async function startCurrentTest(browser: Browser, loginId: string): Promise<{ page: Page; attemptId: number }> {
	const page = await pageAs(browser, loginId, { viewport: phone });
	await page.locator('li', { hasText: currentTest }).first().getByRole('link', { name: '进入测试' }).click();
	await page.getByRole('button', { name: '开始答题' }).click();
	await page.waitForURL(/\/attempts\/\d+$/);
	await expect(saveStatus(page)).toHaveText('已全部保存');
	return { page, attemptId: Number(page.url().split('/').pop()) };
}

async function serverAnswers(page: Page, attemptId: number): Promise<SavedAnswer[]> {
	const response = await page.request.get(`/api/attempts/${attemptId}/answers`);
	expect(response.status()).toBe(200);
	return ((await response.json()) as { answers: SavedAnswer[] }).answers;
}

/** The question card with this number. */
const question = (page: Page, n: number) => page.locator(`#question-${n}`);

test('a member answers on a phone, reloads, goes offline and back, submits, and reads the result', async ({ browser }) => {
	const { page, attemptId } = await startCurrentTest(browser, '1105');
	await expect(page.getByRole('navigation', { name: '题目导航' }).getByRole('button')).toHaveCount(20);

	// Q1 (单选): choose the second option shown; it is saved within a second.
	await question(page, 1).locator('label.option').nth(1).click();
	await expect(saveStatus(page)).toHaveText('已全部保存');
	const q1 = (await serverAnswers(page, attemptId)).find((a) => a.position === 1);
	expect(q1?.answer).not.toBeNull();

	// Reload: the answer and the remaining time come back from the server.
	await page.reload();
	await expect(question(page, 1).locator('input[type=radio]').nth(1)).toBeChecked();
	await expect(page.locator('.timer .digits')).toHaveText(/^(29|30):\d\d$/);

	// Offline: answers queue in the browser and the page says so.
	await page.context().setOffline(true);
	await question(page, 2).locator('label.option').first().click();
	const tf = page.locator('section', { has: page.getByRole('heading', { name: '判断题' }) }).locator('.card').first();
	const tfPosition = Number((await tf.getAttribute('id'))?.split('-')[1]);
	await tf.getByText('正确', { exact: true }).click();
	const fill = page.locator('section', { has: page.getByRole('heading', { name: '填空题' }) }).locator('.card').first();
	const fillPosition = Number((await fill.getAttribute('id'))?.split('-')[1]);
	await fill.locator('input[type=text]').first().fill('实事求是');
	await expect(saveStatus(page)).toContainText('网络已断开');

	// Back online: everything queued reaches the server, in order.
	await page.context().setOffline(false);
	await expect(saveStatus(page)).toHaveText('已全部保存', { timeout: 15_000 });
	const saved = await serverAnswers(page, attemptId);
	expect(saved.find((a) => a.position === 2)?.answer).toMatchObject({ type: 'single' });
	expect(saved.find((a) => a.position === tfPosition)?.answer).toEqual({ type: 'true_false', value: true });
	// The first blank holds what was typed (a question may have more blanks, left empty).
	const fillAnswer = saved.find((a) => a.position === fillPosition)?.answer as { type: string; blanks: string[] } | undefined;
	expect(fillAnswer?.type).toBe('fill');
	expect(fillAnswer?.blanks[0]).toBe('实事求是');

	// Flag a question; the navigator shows it and the confirmation lists it with the unanswered ones.
	await question(page, 3).getByRole('button', { name: '标记此题，稍后检查' }).click();
	await expect(page.getByRole('navigation', { name: '题目导航' }).getByRole('button', { name: /第 3 题.*已标记/ })).toBeVisible();
	await page.getByRole('region', { name: '答题状态' }).getByRole('button', { name: '交卷' }).click();
	const dialog = page.getByRole('dialog', { name: '确认交卷' });
	await expect(dialog).toContainText('还有 16 题未作答');
	await expect(dialog).toContainText('已标记待检查的题目：3');
	await page.screenshot({ path: 'test-results/screens/take-confirm-phone.png' });
	await dialog.getByRole('button', { name: '确认交卷' }).click();

	// The result: score, pass mark, areas, and each question with the key and the source.
	await page.waitForURL(`**/attempts/${attemptId}/result`);
	await expect(page.getByRole('heading', { name: '成绩' })).toBeVisible();
	await expect(page.getByText(/满分 100 分/)).toBeVisible();
	await expect(page.getByText('及格分 60 分')).toBeVisible();
	await expect(page.getByRole('heading', { name: '各内容领域得分' })).toBeVisible();
	await expect(page.locator('article.review')).toHaveCount(20);
	await expect(page.locator('article.review').first()).toContainText('正确答案');
	await page.screenshot({ path: 'test-results/screens/take-result-phone.png' });
	const score = await page.locator('.big').textContent();

	// Submitting twice is harmless; writes after submitting are refused with a reason.
	const origin = new URL(page.url()).origin;
	const again = await page.request.post(`/attempts/${attemptId}/submit`, { headers: { origin }, form: {} });
	expect(again.ok()).toBe(true);
	await page.reload();
	await expect(page.locator('.big')).toHaveText(score ?? '');
	const late = await page.request.post(`/api/attempts/${attemptId}/answers`, { data: { saves: [{ position: 1, editedAt: Date.now(), answer: { choice: 0 } }] } });
	expect(late.status()).toBe(409);
	expect(await late.json()).toMatchObject({ problem: 'submitted' });

	// The member's history lists it.
	await page.goto('/tests');
	await expect(page.getByRole('table')).toContainText('2026年第四季度');
});

test('the page tells the member’s own network being off from the server not answering; answers wait either way', async ({ browser }) => {
	// The practice test (several attempts allowed), so that 1105's attempt at this quarter's test stays the other test's.
	const page = await pageAs(browser, '1105', { viewport: phone });
	await page.goto('/tests');
	await page.locator('li', { hasText: '理论学习练习' }).first().getByRole('link', { name: '进入测试' }).click();
	await page.getByRole('button', { name: '开始答题' }).click();
	await page.waitForURL(/\/attempts\/\d+$/);
	const attemptId = Number(page.url().split('/').pop());
	await expect(saveStatus(page)).toHaveText('已全部保存');
	const saves = '**/api/attempts/*/answers';

	// The network is on but the server answers 503: the page says the server is not answering, not the network.
	await page.route(saves, (route) => (route.request().method() === 'POST' ? route.fulfill({ status: 503, body: '' }) : route.continue()));
	await question(page, 1).locator('label.option').first().click();
	await expect(saveStatus(page)).toHaveText('服务器暂时没有响应：1 项待发送，答案保留在本机，稍后自动重试');
	await page.screenshot({ path: 'test-results/screens/take-unreachable-phone.png' });
	// A request that fails outright (the server gone) reads the same.
	await page.unrouteAll({ behavior: 'wait' });
	await page.route(saves, (route) => (route.request().method() === 'POST' ? route.abort('connectionrefused') : route.continue()));
	await question(page, 2).locator('label.option').first().click();
	await expect(saveStatus(page)).toHaveText('服务器暂时没有响应：2 项待发送，答案保留在本机，稍后自动重试', { timeout: 15_000 });

	// The member's own network goes off: the page says so at once, and keeps queueing.
	await page.context().setOffline(true);
	await expect(saveStatus(page)).toContainText('网络已断开');
	await page.unrouteAll({ behavior: 'wait' });
	await question(page, 3).locator('label.option').first().click();
	await expect(saveStatus(page)).toHaveText('网络已断开：3 项待发送，恢复后自动保存');

	// Back online and the server answering: everything queued arrives.
	await page.context().setOffline(false);
	await expect(saveStatus(page)).toHaveText('已全部保存', { timeout: 15_000 });
	const saved = await serverAnswers(page, attemptId);
	for (const position of [1, 2, 3]) expect(saved.find((a) => a.position === position)?.answer, `question ${position}`).not.toBeNull();
	await page.context().close();
});

test('two tabs: the answer edited last is the one kept, whatever order the saves arrive in', async ({ browser }) => {
	const { page: tabA, attemptId } = await startCurrentTest(browser, '1106');
	const tabB = await tabA.context().newPage();
	await tabB.goto(`/attempts/${attemptId}`);
	await expect(saveStatus(tabB)).toHaveText('已全部保存');

	// Tab A loses the network and changes Q1; its save waits in the queue.
	await tabA.context().setOffline(true);
	await question(tabA, 1).locator('label.option').nth(0).click();
	await expect(saveStatus(tabA)).toContainText('网络已断开');
	// Both tabs share the context, so tab B is offline too: bring the network back only after B has queued a newer edit.
	// People do not change one answer in two tabs within milliseconds; a moment apart, the later edit must win.
	await tabB.waitForTimeout(300);
	await question(tabB, 1).locator('label.option').nth(2).click();
	const newest = await question(tabB, 1).locator('input[type=radio]').nth(2).getAttribute('value');
	await tabA.context().setOffline(false);
	await expect(saveStatus(tabA)).toHaveText('已全部保存', { timeout: 15_000 });
	await expect(saveStatus(tabB)).toHaveText('已全部保存', { timeout: 15_000 });

	// The server kept B's later edit even if A's older one arrived after it, and A shows it after refreshing.
	const stored = (await serverAnswers(tabA, attemptId)).find((a) => a.position === 1);
	expect(stored?.answer).toEqual({ type: 'single', choice: Number(newest) });
	await tabA.reload();
	await expect(question(tabA, 1).locator(`input[value="${newest}"]`)).toBeChecked();

	// A stale write sent directly (an old edit time) is acknowledged as stale and changes nothing.
	const stale = await tabA.request.post(`/api/attempts/${attemptId}/answers`, {
		data: { saves: [{ position: 1, editedAt: (stored?.editedAt ?? 0) - 60_000, answer: { choice: Number(newest) === 0 ? 1 : 0 } }] }
	});
	expect(await stale.json()).toMatchObject({ results: ['stale'] });
	expect((await serverAnswers(tabA, attemptId)).find((a) => a.position === 1)?.answer).toEqual({ type: 'single', choice: Number(newest) });
});

test('another member can neither open this attempt nor write to it', async ({ browser }) => {
	const { page, attemptId } = await startCurrentTest(browser, '1107');
	await question(page, 1).locator('label.option').first().click();
	await expect(saveStatus(page)).toHaveText('已全部保存');
	const before = (await serverAnswers(page, attemptId)).find((a) => a.position === 1);
	expect(before?.answer).not.toBeNull();

	const other = await pageAs(browser, '1404', { viewport: phone });
	for (const path of [`/attempts/${attemptId}`, `/attempts/${attemptId}/submit`, `/attempts/${attemptId}/result`]) {
		const response = await other.goto(path);
		expect(response?.status(), path).toBe(404);
	}
	expect((await other.request.get(`/api/attempts/${attemptId}/answers`)).status()).toBe(404);
	const write = await other.request.post(`/api/attempts/${attemptId}/answers`, { data: { saves: [{ position: 1, editedAt: Date.now(), answer: null }] } });
	expect(write.status()).toBe(404);
	const origin = new URL(other.url()).origin;
	const submit = await other.request.post(`/attempts/${attemptId}/submit`, { headers: { origin }, form: {}, maxRedirects: 0 });
	expect(submit.status()).toBe(404);
	// A cross-site form post (not JSON) is refused before it reaches the handler.
	const form = await other.request.post(`/api/attempts/${attemptId}/answers`, { form: { saves: 'x' } });
	expect([403, 415]).toContain(form.status());

	// The owner's attempt is untouched and still open.
	const mine = await serverAnswers(page, attemptId);
	expect(mine.find((a) => a.position === 1)).toEqual(before);
	await page.reload();
	await expect(page.getByRole('region', { name: '答题状态' })).toBeVisible();
});

test('without JavaScript the test works as plain forms, one question per page', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false, viewport: phone });
	const page = await context.newPage();
	await page.goto('/login');
	await page.getByLabel('工号或手机号').fill('1303');
	await page.getByLabel('密码', { exact: true }).fill('e2e-Demo-Password-2026');
	await page.getByRole('button', { name: '登录' }).click();
	await page.locator('li', { hasText: currentTest }).first().getByRole('link', { name: '进入测试' }).click();
	await page.getByRole('button', { name: '开始答题' }).click();
	await page.waitForURL(/\/attempts\/\d+/);
	await expect(page.getByText('第 1 题，共 20 题')).toBeVisible();
	await page.locator('label.option').first().click();
	await page.getByRole('button', { name: '保存，下一题' }).click();
	await expect(page).toHaveURL(/q=2/);
	await expect(page.getByText('第 2 题，共 20 题')).toBeVisible();
	await page.screenshot({ path: 'test-results/screens/take-nojs-phone.png', fullPage: true });
	// Back to question 1: the saved answer is there.
	await page.getByRole('button', { name: '上一题' }).click();
	await expect(page.locator('input[type=radio]').first()).toBeChecked();
	await page.getByRole('button', { name: '保存并交卷' }).click();
	await expect(page.getByRole('heading', { name: '确认交卷' })).toBeVisible();
	await expect(page.getByText('还有 19 题未作答')).toBeVisible();
	await page.getByRole('button', { name: '确认交卷' }).click();
	await expect(page.getByRole('heading', { name: '成绩' })).toBeVisible();
	await context.close();
});
