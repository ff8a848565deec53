import { expect, test, type Page } from '@playwright/test';
import { demo, localInput, pageAs } from './helpers';

// The server owns the clock: a one-minute test runs out on a member who stays on the page and on one who has
// left, and both are submitted with what they had saved. Then a make-up (补考) gives one of them another attempt
// in a window of its own. Members of 县实验小学党支部 (13xx) take part; other files do not use 1307–1309.

const phone = { width: 390, height: 844 };

/** The visible save status in the test page's status bar. */
const saveStatus = (page: Page) => page.getByRole('region', { name: '答题状态' }).locator('.status');

async function startTest(page: Page, title: string): Promise<number> {
	await page.goto('/');
	await page.locator('li', { hasText: title }).getByRole('link').click();
	await page.getByRole('button', { name: '开始答题' }).click();
	await page.waitForURL(/\/attempts\/\d+$/);
	return Number(page.url().split('/').pop());
}

async function answerFirst(page: Page) {
	await page.locator('#question-1 label.option').first().click();
	await expect(saveStatus(page)).toHaveText('已全部保存');
}

test('time runs out: the attempt is submitted with its saved answers, and a make-up gives another attempt', async ({ browser }) => {
	test.setTimeout(300_000);
	const title = `E2E 一分钟测试 ${Date.now()}`;
	const hour = 60 * 60 * 1000;

	// The committee sets up a one-minute test for 县实验小学党支部, open now.
	const admin = await pageAs(browser, demo.committee, { viewport: { width: 1280, height: 900 } });
	await admin.goto('/exams/new');
	await admin.getByLabel('测试名称').fill(title);
	await admin.getByLabel('开始时间').fill(localInput(Date.now() - hour));
	await admin.getByLabel('结束时间').fill(localInput(Date.now() + 24 * hour));
	await admin.getByLabel('答题时长（分钟）').fill('1');
	await admin.getByLabel('及格线（分）').fill('10');
	await admin.getByRole('radio', { name: '交卷后立即公布' }).check();
	await admin.getByRole('button', { name: '创建测试' }).click();
	await expect(admin).toHaveURL(/\/exams\/\d+\?created=1$/);
	const examId = Number(/\/exams\/(\d+)/.exec(admin.url())?.[1]);
	const row = admin.getByRole('group', { name: '第 1 行', exact: true });
	await row.getByLabel('学习内容领域').selectOption({ label: '学习型组织建设制度' });
	await row.getByLabel('题型').selectOption({ label: '单选题' });
	await row.getByLabel('难度').selectOption({ label: '易' });
	await row.getByLabel('题数').fill('4');
	await row.getByLabel('每题分值').fill('5');
	await admin.getByRole('button', { name: '保存组卷方案' }).click();
	await expect(admin.locator('#blueprint').getByRole('status')).toHaveText('已保存。');
	await admin.locator('#audience').getByRole('checkbox', { name: /县实验小学党支部/ }).check();
	await admin.locator('#audience').getByRole('button', { name: '保存参加人员' }).click();
	await expect(admin.locator('#audience').getByText('已保存。')).toBeVisible();
	await admin.locator('#publish').getByRole('button', { name: '发布', exact: true }).click();
	await expect(admin.locator('#publish')).toContainText('已发布');

	// 1309 starts, answers one question and leaves for good.
	const leaver = await pageAs(browser, '1309', { viewport: phone });
	const leaverAttempt = await startTest(leaver, title);
	await answerFirst(leaver);
	await leaver.context().close();

	// 1308 starts and stays on the page until the time is up.
	const stayer = await pageAs(browser, '1308', { viewport: phone });
	const attemptId = await startTest(stayer, title);
	await expect(stayer.getByRole('region', { name: '答题状态' })).toContainText(/00:[0-5]\d|01:00/);
	await answerFirst(stayer);
	await expect(stayer.getByRole('alert')).toContainText('时间到', { timeout: 75_000 });
	await stayer.waitForURL(`**/attempts/${attemptId}/result`, { timeout: 15_000 });
	await expect(stayer.getByText('答题时间已到，系统已按已保存的答案交卷。')).toBeVisible();
	// The saved answer counted: question 1 shows the member's answer, not "未作答".
	const first = stayer.locator('article.review').first();
	await expect(first.locator('dd').first()).not.toHaveText('未作答');
	await stayer.screenshot({ path: 'test-results/screens/clock-result-phone.png' });

	// A save after the deadline is refused with a clear reason.
	const late = await stayer.request.post(`/api/attempts/${attemptId}/answers`, { data: { saves: [{ position: 2, editedAt: Date.now(), answer: { choice: 0 } }] } });
	expect(late.status()).toBe(409);

	// The member who left was submitted by the server (the sweep runs every 10 s), also with the saved answer.
	const back = await pageAs(browser, '1309', { viewport: phone });
	await back.goto(`/attempts/${leaverAttempt}/result`);
	await expect(back.getByText('答题时间已到，系统已按已保存的答案交卷。')).toBeVisible();
	await expect(back.locator('article.review').first().locator('dd').first()).not.toHaveText('未作答');
	// One attempt allowed and used: the test offers no new start.
	await back.goto('/');
	await expect(back.locator('li', { hasText: title })).toHaveCount(0);

	// A make-up for 1309, open now: it appears on the member's home page and gives one more attempt.
	await admin.goto(`/exams/${examId}/makeups`);
	await admin.getByLabel('开始时间').fill(localInput(Date.now() - hour));
	await admin.getByLabel('结束时间').fill(localInput(Date.now() + 2 * hour));
	await admin.getByLabel('其他成员（工号）').fill('1309');
	await admin.getByRole('button', { name: '安排补考' }).click();
	await expect(admin.getByRole('status')).toContainText('已为 1 人安排补考。');

	await back.goto('/');
	await back.locator('li', { hasText: title }).getByRole('link', { name: '参加补考' }).click();
	await expect(back.getByText(/这是为您安排的补考/)).toBeVisible();
	await back.getByRole('button', { name: '开始答题' }).click();
	await back.waitForURL(/\/attempts\/\d+$/);
	const makeupAttempt = Number(back.url().split('/').pop());
	expect(makeupAttempt).not.toBe(leaverAttempt);
	await answerFirst(back);
	await back.getByRole('region', { name: '答题状态' }).getByRole('button', { name: '交卷' }).click();
	await back.getByRole('dialog').getByRole('button', { name: '确认交卷' }).click();
	await back.waitForURL(`**/attempts/${makeupAttempt}/result`);
	await expect(back.getByRole('heading', { name: '成绩' })).toBeVisible();
	await back.goto('/tests');
	await expect(back.getByRole('table')).toContainText('补考');

	// Another member of the audience cannot take the make-up.
	const other = await pageAs(browser, '1307', { viewport: phone });
	await other.goto(`/tests/${examId}`);
	await expect(other.getByText(/这是为您安排的补考/)).toHaveCount(0);
});
