import { expect, test, type Page } from '@playwright/test';
import { demo, pageAs, signIn } from './helpers';

// The committee sets up a quarterly test: settings, a blueprint checked against the bank, the audience, a
// sample paper, publishing (refused while a row cannot be filled), and a copy for the next quarter.

const area = '学习型组织建设制度';
const quarterNames = ['第一季度', '第二季度', '第三季度', '第四季度'];

function quarterLabel(code: string): string {
	const [year, q] = code.split('Q');
	return `${year}年${quarterNames[Number(q) - 1]}`;
}

function nextQuarter(code: string): string {
	const [year, q] = code.split('Q').map(Number) as [number, number];
	return q === 4 ? `${year + 1}Q1` : `${year}Q${q + 1}`;
}

async function fillRow(page: Page, n: number, values: { area: string; type: string; difficulty: string; count: string; points: string }) {
	const row = page.getByRole('group', { name: `第 ${n} 行`, exact: true });
	await row.getByLabel('学习内容领域').selectOption({ label: values.area });
	await row.getByLabel('题型').selectOption({ label: values.type });
	await row.getByLabel('难度').selectOption({ label: values.difficulty });
	await row.getByLabel('题数').fill(values.count);
	await row.getByLabel('每题分值').fill(values.points);
	return row;
}

async function createTest(page: Page, title: string): Promise<{ id: number; quarter: string }> {
	await page.goto('/exams');
	await page.getByRole('link', { name: '新建测试' }).click();
	await page.getByLabel('测试名称').fill(title);
	const quarter = await page.getByLabel('所属季度').inputValue();
	// The defaults of the plan: the quarter's last month, 60 minutes, pass mark 60, one attempt.
	expect(await page.getByLabel('开始时间').inputValue()).toMatch(/^\d{4}-(03|06|09|12)-01T00:00$/);
	expect(await page.getByLabel('答题时长（分钟）').inputValue()).toBe('60');
	expect(await page.getByLabel('及格线（分）').inputValue()).toBe('60');
	expect(await page.getByLabel('可作答次数').inputValue()).toBe('1');
	await page.getByRole('button', { name: '创建测试' }).click();
	await expect(page).toHaveURL(/\/exams\/\d+\?created=1$/);
	return { id: Number(/\/exams\/(\d+)/.exec(page.url())?.[1]), quarter };
}

test('the committee builds a test, is told which row the bank cannot fill, previews a paper, publishes and copies it', async ({ browser }) => {
	test.setTimeout(180_000);
	const page = await pageAs(browser, demo.committee, { viewport: { width: 1280, height: 900 } });
	const title = `E2E 理论测试 ${Date.now()}`;

	// A refused form keeps what was typed and names the field.
	await page.goto('/exams/new');
	await page.getByLabel('测试名称').fill(title);
	await page.getByLabel('开始时间').fill('2026-12-10T09:00');
	await page.getByLabel('结束时间').fill('2026-12-01T09:00');
	await page.getByLabel('答题时长（分钟）').fill('0');
	await page.getByRole('button', { name: '创建测试' }).click();
	await expect(page.getByText('结束时间必须晚于开始时间。')).toBeVisible();
	await expect(page.getByText('请填写 1 到 600 之间的整数分钟。')).toBeVisible();
	await expect(page.getByLabel('测试名称')).toHaveValue(title);

	const { id, quarter } = await createTest(page, title);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
	await expect(page.getByText(quarterLabel(quarter)).first()).toBeVisible();

	// Blueprint: a row the bank can fill and one it cannot.
	const first = await fillRow(page, 1, { area, type: '单选题', difficulty: '易', count: '10', points: '5' });
	await expect(first).toContainText(/题库有 \d+ 题/);
	await expect(first).not.toContainText('缺');
	// With JavaScript one empty row is shown; the add button makes another.
	await expect(page.getByRole('group', { name: '第 2 行', exact: true })).toHaveCount(0);
	await page.getByRole('button', { name: '添加一行' }).click();
	const second = await fillRow(page, 2, { area, type: '判断题', difficulty: '中', count: '200', points: '2' });
	await expect(second).toContainText(/缺 \d+ 题/);
	await expect(page.locator('.totals')).toContainText('共 210 题');
	await page.getByRole('button', { name: '保存组卷方案' }).click();
	const blueprint = page.locator('#blueprint');
	await expect(blueprint.getByRole('status')).toHaveText('已保存。');
	await expect(page.getByRole('group', { name: '第 2 行', exact: true })).toContainText(/题库有 \d+ 题 · 缺 \d+ 题/);

	// Publishing is refused, naming the row and how many questions it is missing.
	const publish = page.locator('#publish');
	await publish.getByRole('button', { name: '发布', exact: true }).click();
	const refusal = publish.getByRole('alert');
	await expect(refusal).toContainText('不能发布');
	await expect(refusal).toContainText(`第 2 行（${area} · 判断题 · 中）：需要 200 题`);
	await expect(refusal).toContainText(/缺 \d+ 题/);
	await expect(refusal).not.toContainText('第 1 行');

	// A sample paper cannot be drawn either, for the same reason.
	await page.getByRole('button', { name: '抽一份样卷' }).click();
	await expect(page.locator('#preview').getByRole('alert')).toContainText('第 2 行');

	// Fix the row; the totals now match the pass mark of 60.
	await page.getByRole('group', { name: '第 2 行', exact: true }).getByLabel('题数').fill('5');
	await expect(page.locator('.totals')).toContainText('共 15 题，总分 60 分；及格线 60 分。');
	await page.getByRole('button', { name: '保存组卷方案' }).click();
	await expect(blueprint.getByRole('status')).toHaveText('已保存。');
	await expect(page.getByRole('group', { name: '第 2 行', exact: true })).not.toContainText('缺');

	// Audience: a branch, an unknown login id refused by name, then one member from elsewhere added.
	const audience = page.locator('#audience');
	await audience.getByRole('checkbox', { name: /第一中学教师第一支部/ }).check();
	await audience.getByLabel('另外加入的成员').fill('1301\nnobody-e2e');
	await audience.getByRole('button', { name: '保存参加人员' }).click();
	await expect(audience.getByText('找不到这些工号：nobody-e2e')).toBeVisible();
	await audience.getByLabel('另外加入的成员').fill('1301');
	await audience.getByRole('button', { name: '保存参加人员' }).click();
	await expect(audience.getByText('已保存。')).toBeVisible();
	await expect(audience.getByText('按当前设置，共 10 人参加。')).toBeVisible();

	// A sample paper: sections in order, options lettered, the key and the source under each question.
	await page.getByRole('button', { name: '抽一份样卷' }).click();
	const preview = page.locator('#preview');
	await expect(preview).toContainText('样卷：15 题，共 60 分');
	await expect(preview.getByRole('heading', { level: 3 }).nth(0)).toContainText('一、单选题');
	await expect(preview.getByRole('heading', { level: 3 }).nth(1)).toContainText('二、判断题');
	await expect(preview.locator('.item')).toHaveCount(15);
	await expect(preview.locator('.item').first()).toContainText('A.');
	await expect(preview.locator('.item').first()).toContainText('答案');
	await expect(preview.locator('.item').first()).toContainText('出处');
	await expect(preview.locator('.options li.correct')).toHaveCount(10);

	await page.screenshot({ path: 'test-results/screens/exam-setup-laptop.png', fullPage: true });

	// Now it publishes.
	await publish.getByRole('button', { name: '发布', exact: true }).click();
	await expect(publish.getByRole('status')).toHaveText('已发布。');
	await expect(page.locator('h1 + .tags')).toContainText('已发布');

	// The phone view of the same page.
	const phone = await pageAs(browser, demo.committee, { viewport: { width: 390, height: 844 } });
	await phone.goto(`/exams/${id}`);
	await phone.screenshot({ path: 'test-results/screens/exam-setup-phone.png', fullPage: true });
	const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow).toBeLessThanOrEqual(0);
	await phone.getByRole('button', { name: '抽一份样卷' }).click();
	await expect(phone.locator('#preview .item')).toHaveCount(15);
	await phone.locator('#preview').screenshot({ path: 'test-results/screens/exam-preview-phone.png' });
	await phone.goto('/exams');
	await phone.screenshot({ path: 'test-results/screens/exams-list-phone.png', fullPage: true });

	// The list shows it; a copy for next quarter keeps blueprint and audience, as a draft.
	await page.goto('/exams');
	const card = page.locator('.exams li', { hasText: title }).first();
	await expect(card).toContainText(quarterLabel(quarter));
	await expect(card).toContainText('季度测试');
	await expect(card).toContainText('15 题，共 60 分，及格 60 分');
	await expect(card).toContainText('已开始 0 人，已交卷 0 人');
	await card.getByRole('button', { name: `把“${title}”复制为下季度测试` }).click();
	await expect(page).toHaveURL(/\/exams\/\d+\?cloned=1$/);
	const copyId = Number(/\/exams\/(\d+)/.exec(page.url())?.[1]);
	expect(copyId).not.toBe(id);
	await expect(page.locator('h1 + .tags')).toContainText(quarterLabel(nextQuarter(quarter)));
	await expect(page.locator('h1 + .tags')).toContainText('草稿');
	await expect(page.locator('#publish')).toContainText('15 题，共 60 分，及格 60 分');
	await expect(page.locator('#audience')).toContainText('共 10 人参加');
	expect(await page.getByLabel('开始时间').inputValue()).toMatch(/^\d{4}-(03|06|09|12)-01T00:00$/);

	// Make-ups: the published test offers its audience's members who have not taken it.
	await page.goto(`/exams/${id}/makeups`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('补考');
	await page.getByLabel('其他成员（工号）').fill('1104\nghost-e2e');
	await page.getByRole('button', { name: '安排补考' }).click();
	await expect(page.getByText('找不到这些工号：ghost-e2e')).toBeVisible();
	await page.getByLabel('其他成员（工号）').fill('');
	await page.getByRole('checkbox', { name: /（1104）/ }).check();
	await page.getByRole('button', { name: '安排补考' }).click();
	await expect(page.getByRole('status')).toContainText('已为 1 人安排补考。');
	await expect(page.locator('.makeups li')).toHaveCount(1);

	// Secretaries and members get 403 on every page of it.
	for (const who of [demo.secretary, demo.member]) {
		const other = await pageAs(browser, who);
		for (const path of ['/exams', '/exams/new', `/exams/${id}`, `/exams/${id}/makeups`]) {
			expect((await other.goto(path))?.status(), `${who} ${path}`).toBe(403);
		}
		const post = await other.request.post(`/exams/${id}?/publish`, { headers: { origin: new URL(other.url()).origin }, form: {} });
		expect(post.status()).toBe(403);
		await other.context().close();
	}
});

test('without JavaScript the forms still work: create, save a blueprint row, remove one', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
	const page = await context.newPage();
	await signIn(page, demo.committee);
	await expect(page).toHaveURL(/\/$|\/\?/);
	const { id } = await createTest(page, `E2E 无脚本 ${Date.now()}`);
	await fillRow(page, 1, { area, type: '单选题', difficulty: '易', count: '2', points: '1.5' });
	await fillRow(page, 2, { area, type: '判断题', difficulty: '易', count: '3', points: '1' });
	await page.getByRole('button', { name: '保存组卷方案' }).click();
	await expect(page.locator('#blueprint').getByRole('status')).toHaveText('已保存。');
	await expect(page.getByRole('group', { name: '第 1 行', exact: true }).getByLabel('每题分值')).toHaveValue('1.5');
	await expect(page.getByRole('group', { name: '第 2 行', exact: true })).toContainText(/题库有 \d+ 题/);
	// The spare empty rows are there for more; a remove button posts the table without its row.
	await expect(page.getByRole('group', { name: '第 5 行', exact: true })).toBeVisible();
	await page.getByRole('button', { name: '删除 第 1 行' }).click();
	await expect(page.locator('#blueprint').getByRole('status')).toHaveText('已保存。');
	await expect(page.getByRole('group', { name: '第 1 行', exact: true }).getByLabel('题型')).toHaveValue('true_false');
	await expect(page.locator('#publish')).toContainText('3 题，共 3 分');
	// A row with a count but no area is refused by its number.
	await page.getByRole('group', { name: '第 3 行', exact: true }).getByLabel('题数').fill('4');
	await page.getByRole('button', { name: '保存组卷方案' }).click();
	await expect(page.locator('#blueprint').getByRole('alert')).toContainText('第 3 行：请选择学习内容领域。');
	expect(id).toBeGreaterThan(0);
	await context.close();
});

test('a pasted over-long title is kept whole and refused with the limit named, counted as it is typed', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee, { viewport: { width: 360, height: 780 } });
	await page.goto('/exams/new');
	const long = '党员理论学习测试'.repeat(55); // 440 characters, as a pasted paragraph would be
	await page.getByLabel('测试名称').fill(long);
	// The browser no longer cuts it to 100; the field says how far over it is before anything is sent.
	await expect(page.getByLabel('测试名称')).toHaveValue(long);
	await expect(page.locator('#title-length')).toHaveText('已输入 440 字，比上限 100 字多 340 字，请删减。');
	await page.getByRole('button', { name: '创建测试' }).click();
	await expect(page.locator('#title-error')).toHaveText('名称不能超过 100 个字。');
	await expect(page).toHaveURL(/\/exams\/new/);
	await expect(page.getByLabel('测试名称')).toHaveValue(long);
	await page.screenshot({ path: 'test-results/screens/exam-title-too-long-zh-360.png' });
	// Within the limit, the hint only says the limit until the text comes near it.
	await page.getByLabel('测试名称').fill('短标题');
	await expect(page.locator('#title-length')).toHaveText('最多 100 个字。');
});

/** The choices shown in the blueprint's selects that are wider than their select leaves room for. */
function cutChoices(page: Page, which = 'select') {
	return page.locator(`#blueprint .bp-row ${which}`).evaluateAll((selects) =>
		(selects as HTMLSelectElement[])
			.filter((s) => {
				const probe = document.createElement('span');
				probe.style.font = getComputedStyle(s).font;
				probe.style.position = 'absolute';
				probe.textContent = s.selectedOptions[0]?.textContent ?? '';
				document.body.append(probe);
				const needed = probe.getBoundingClientRect().width;
				probe.remove();
				// The padding and the arrow take about 36 px.
				return needed + 36 > s.clientWidth;
			})
			.map((s) => s.selectedOptions[0]?.textContent)
	);
}

test('a test someone has started shows its blueprint without add or remove, and the server refuses a change', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee, { viewport: { width: 1366, height: 800 } });
	await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'en', url: new URL(page.url()).origin }]);
	// The demo's first test has attempts.
	await page.goto('/exams/1');
	const blueprint = page.locator('#blueprint');
	await expect(blueprint.getByText('Someone has started, so the blueprint, audience and scoring rules are fixed.')).toBeVisible();
	await expect(blueprint.getByRole('group', { name: /^Row \d+$/ }).first()).toBeVisible();
	await expect(blueprint.getByRole('button', { name: 'Add a row' })).toHaveCount(0);
	await expect(blueprint.getByRole('button', { name: /^Remove/ })).toHaveCount(0);
	await expect(blueprint.getByRole('button', { name: 'Save blueprint' })).toHaveCount(0);
	// No empty rows to fill in: every row shown is one of the saved rows.
	for (const select of await blueprint.locator('select[name=area]').all()) expect(await select.inputValue()).not.toBe('');

	// The English choices fit their selects on a laptop, and the type and difficulty on a phone too (they were cut
	// to "Single choic", "Multiple cho"; a long area name may still be cut on a phone, a select cannot wrap).
	expect(await cutChoices(page)).toEqual([]);
	await page.setViewportSize({ width: 360, height: 780 });
	expect(await cutChoices(page, ':is(select[name=type], select[name=difficulty])')).toEqual([]);
	await blueprint.screenshot({ path: 'test-results/screens/exam-blueprint-locked-en-360.png' });
	await page.setViewportSize({ width: 1366, height: 800 });
	await blueprint.screenshot({ path: 'test-results/screens/exam-blueprint-locked-en-1366.png' });

	// The server keeps refusing: a posted table for a started test is not saved.
	const rowsBefore = await blueprint.getByRole('group', { name: /^Row \d+$/ }).count();
	const response = await page.request.post('/exams/1?/blueprint', {
		headers: { origin: new URL(page.url()).origin, accept: 'application/json', 'x-sveltekit-action': 'true' },
		form: { area: '1', type: 'single', difficulty: 'easy', count: '1', points: '1' }
	});
	expect(await response.text()).toContain('blueprintLocked');
	await page.reload();
	await expect(blueprint.getByRole('group', { name: /^Row \d+$/ })).toHaveCount(rowsBefore);
});
