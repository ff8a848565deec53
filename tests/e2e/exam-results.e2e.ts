import { expect, test, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { e2eRow, e2eRows } from './db';
import { demo, pageAs } from './helpers';

// The committee's and a secretary's side of a test: following it (参考情况), the results table (成绩), a regrade
// after a key is corrected in the bank, and a paper test printed for a member and entered by letter.
//
// The demo database is shared with the other end-to-end files running at the same time, so this file uses
// members nobody else does (1108, 1309) and asserts what it controls exactly and the rest by consistency.

const phone = { width: 390, height: 844 };
const letters = 'ABCDEFGH';

type ExamRow = { id: number; title: string };

/** From the server's database (tests/e2e/db.ts), as are the question a past test used and a printed paper's key. */
async function demoExams(): Promise<{ current: ExamRow; lastPast: ExamRow }> {
	const now = Date.now();
	const current = await e2eRow<ExamRow>("select id, title from exam where kind = 'quarterly' and status = 'published' and opens_at <= ? and closes_at > ? order by id limit 1", now, now);
	const lastPast = await e2eRow<ExamRow>("select id, title from exam where kind = 'quarterly' and status = 'published' and closes_at <= ? order by closes_at desc limit 1", now);
	return { current, lastPast };
}

async function xlsxRows(page: Page, click: () => Promise<void>): Promise<{ name: string; rows: unknown[][] }> {
	const [download] = await Promise.all([page.waitForEvent('download'), click()]);
	const book = new ExcelJS.Workbook();
	await book.xlsx.load(readFileSync((await download.path()) as string) as unknown as ExcelJS.Buffer);
	const sheet = book.worksheets[0] as ExcelJS.Worksheet;
	const rows: unknown[][] = [];
	sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
	return { name: download.suggestedFilename(), rows };
}

test('the committee follows the running test on a phone and downloads who has not taken it', async ({ browser }) => {
	const { current } = await demoExams();
	const page = await pageAs(browser, demo.committee, { viewport: phone });
	await page.goto(`/exams/${current.id}/progress`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('参考情况');
	await expect(page.getByText(current.title).first()).toBeVisible();

	// Every unit is listed, the tree rolled up: the 总支's numbers are its two branches' sums.
	const units = page.getByRole('table', { name: '各单位参考情况' });
	const cell = async (unit: string, label: string) => Number(await units.getByRole('row').filter({ has: page.getByRole('rowheader', { name: unit }) }).locator(`td[data-label="${label}"]`).textContent());
	for (const unit of ['某县教育工委', '县第一中学党总支', '第一中学教师第一支部', '第一中学教师第二支部', '县实验小学党支部', '县教育局机关党支部']) {
		await expect(units.getByRole('rowheader', { name: unit })).toBeVisible();
	}
	for (const label of ['应参考', '已开始', '已交卷']) {
		const sum = (await cell('第一中学教师第一支部', label)) + (await cell('第一中学教师第二支部', label));
		expect(await cell('县第一中学党总支', label), label).toBe(sum);
	}
	expect(await cell('第一中学教师第一支部', '应参考')).toBeGreaterThanOrEqual(9);
	// The demo has this test taken by some members of 第二支部 and 机关 (a random few).
	expect((await cell('第一中学教师第二支部', '已交卷')) + (await cell('县教育局机关党支部', '已交卷'))).toBeGreaterThan(0);

	const list = page.getByRole('table', { name: /未参考名单/ });
	await expect(list).toContainText('1109');
	const heading = await page.getByRole('heading', { name: /未参考名单/ }).textContent();
	const notTaken = Number(heading?.match(/(\d+)/)?.[1]);
	expect(notTaken).toBeGreaterThan(9);
	await page.screenshot({ path: 'test-results/screens/results-progress-phone.png', fullPage: true });

	const file = await xlsxRows(page, () => page.getByRole('link', { name: '下载未参考名单（Excel）' }).click());
	expect(file.name).toBe(`${current.title}-未参考名单.xlsx`);
	expect(file.rows[0]).toEqual(['姓名', '工号', '所属单位', '状态']);
	const ids = file.rows.slice(1).map((r) => String(r[1]));
	expect(ids).toContain('1109');
	expect(ids.length).toBeGreaterThanOrEqual(notTaken - 2);
});

test('a secretary sees only their branch and cannot reach another unit’s paper', async ({ browser }) => {
	const { current } = await demoExams();
	// The committee prints a paper for a member of 县实验小学党支部.
	const admin = await pageAs(browser, demo.committee);
	await admin.goto(`/exams/${current.id}/paper?q=1309`);
	await admin.getByRole('button', { name: /为 .*（1309）打印纸质试卷/ }).click();
	await expect(admin).toHaveURL(new RegExp(`/exams/${current.id}/paper/\\d+$`));
	const attemptId = Number(admin.url().split('/').pop());

	const secretary = await pageAs(browser, demo.secretary, { viewport: phone });
	await secretary.goto(`/exams/${current.id}/progress`);
	const units = secretary.getByRole('table', { name: '各单位参考情况' });
	await expect(units.getByRole('rowheader')).toHaveText(['第一中学教师第一支部']);
	await expect(secretary.getByRole('table', { name: /未参考名单/ })).toContainText('1109');
	await expect(secretary.getByRole('table', { name: /未参考名单/ })).not.toContainText('1309');
	await secretary.goto(`/exams/${current.id}/results`);
	const logins = await secretary.locator('table.results td[data-label="工号"]').allTextContents();
	expect(logins.length).toBeGreaterThanOrEqual(9);
	expect(logins.every((l) => l.startsWith('11'))).toBe(true);
	// No regrade tab for a secretary, and no regrade page.
	await expect(secretary.getByRole('link', { name: '更正答案改分' })).toHaveCount(0);
	expect((await secretary.goto(`/exams/${current.id}/regrade`))?.status()).toBe(403);

	// Another unit's paper by URL: 403 for the page, the print view and a forged post.
	expect((await secretary.goto(`/exams/${current.id}/paper/${attemptId}/entry`))?.status()).toBe(403);
	await expect(secretary.getByRole('heading', { level: 1 })).toHaveText('您没有权限访问此页面或执行此操作。');
	expect((await secretary.goto(`/exams/${current.id}/paper/${attemptId}`))?.status()).toBe(403);
	const origin = new URL(secretary.url()).origin;
	const post = await secretary.request.post(`/exams/${current.id}/paper/${attemptId}/entry?/enter`, { headers: { origin }, form: { q1: 'A' } });
	expect(post.status()).toBe(403);
	const admin1309 = await admin.request.get(`/exams/${current.id}/paper/${attemptId}/entry`);
	expect(admin1309.status()).toBe(200);
	// Printing for someone outside the branch is refused too.
	const memberId = await e2eRow<{ id: number }>("select id from member where login_id = '1309'");
	const start = await secretary.request.post(`/exams/${current.id}/paper?/start`, { headers: { origin }, form: { memberId: String(memberId.id) } });
	expect(start.status()).toBe(403);
});

test('a corrected key is previewed and applied, and the results show the new scores', async ({ browser }) => {
	const { lastPast } = await demoExams();
	// A single-choice question of the last past test that some members got right and others answered with the
	// same wrong option: making that option the key moves scores both ways.
	// "questionId" is quoted: PostgreSQL folds an unquoted alias to lower case. The question id and the answer break
	// ties, so both databases pick the same one.
	const pick = await e2eRow<{ questionId: number; answer: string; n: number }>(
		`select attempt_item.question_id as "questionId", attempt_item.answer as answer, count(*) as n
		   from attempt_item join attempt on attempt.id = attempt_item.attempt_id
		  where attempt.exam_id = ? and attempt_item.type = 'single' and attempt_item.outcome = 'wrong'
		  group by attempt_item.question_id, attempt_item.answer order by n desc, attempt_item.question_id, attempt_item.answer limit 1`,
		lastPast.id
	);
	const newKey = (JSON.parse(pick.answer) as { choice: number }).choice;

	const page = await pageAs(browser, demo.committee, { viewport: phone });
	await page.goto(`/exams/${lastPast.id}/regrade`);
	await expect(page.getByText('本次测试用到的试题在题库中都没有更新')).toBeVisible();

	await page.goto(`/bank/${pick.questionId}`);
	await page.getByLabel(`${letters[newKey]} 是正确答案`).check();
	await page.getByRole('button', { name: '保存', exact: true }).click();
	await expect(page.getByRole('status').filter({ hasText: /第 \d+ 版|版本/ })).toBeVisible();

	await page.goto(`/exams/${lastPast.id}/regrade`);
	const candidate = page.locator('.candidates li').filter({ hasText: `第 ${pick.questionId} 号试题` });
	await expect(candidate).toContainText('答案已更改');
	await candidate.getByRole('link', { name: '预览改分' }).click();
	const preview = page.getByRole('table', { name: /改分预览/ });
	await expect(preview).toBeVisible();
	const rows = await preview.locator('tbody tr').all();
	// At least the members who chose that option gain the question's points.
	expect(rows.length).toBeGreaterThanOrEqual(pick.n);
	const changes = await Promise.all(
		rows.map(async (row) => ({
			login: ((await row.getByRole('rowheader').textContent()) ?? '').trim().split(/\s+/).pop() as string,
			newScore: ((await row.locator('td[data-label="新成绩"] strong').textContent()) ?? '').trim(),
			change: ((await row.locator('td[data-label="变化"]').textContent()) ?? '').trim()
		}))
	);
	expect(changes.some((c) => c.change.startsWith('+'))).toBe(true);
	expect(changes.some((c) => c.change.startsWith('−'))).toBe(true);
	await page.screenshot({ path: 'test-results/screens/results-regrade-phone.png', fullPage: true });

	// Applying needs the confirmation ticked.
	await page.getByRole('button', { name: '确认改分' }).click();
	await expect(page).toHaveURL(/question=/);
	await page.getByLabel('我已核对以上预览，确认按新答案改分').check();
	await page.getByRole('button', { name: '确认改分' }).click();
	await expect(page.getByRole('status').filter({ hasText: `已按第 ${pick.questionId} 号试题的新答案改分：${changes.length} 份答卷成绩变化` })).toBeVisible();
	await expect(page.locator('.history li').first()).toContainText(`县教育工委管理员 将第 ${pick.questionId} 号试题改用`);
	await expect(page.locator('.candidates')).toHaveCount(0);

	await page.goto(`/exams/${lastPast.id}/results`);
	for (const c of changes.slice(0, 5)) {
		const row = page.locator('table.results tbody tr').filter({ has: page.locator('td[data-label="工号"]', { hasText: new RegExp(`^${c.login}$`) }) });
		await expect(row.locator('td[data-label="成绩"]')).toHaveText(new RegExp(`^${c.newScore.replace('.', '\\.')} /`));
	}
	await page.screenshot({ path: 'test-results/screens/results-table-phone.png', fullPage: false });

	const file = await xlsxRows(page, () => page.getByRole('link', { name: '下载成绩表（Excel）' }).click());
	expect(file.rows[0]?.slice(0, 9)).toEqual(['姓名', '工号', '所属单位', '答卷次数', '成绩', '满分', '是否及格', '交卷时间', '交卷方式']);
	const first = changes[0]!;
	expect(file.rows.find((r) => String(r[1]) === first.login)?.[4]).toBe(Number(first.newScore));
});

test('a paper test is printed, entered by letter and counted in the results', async ({ browser }) => {
	// Twenty answers typed one by one, a PDF and a full-page screenshot: slower than most when the suite runs in parallel.
	test.setTimeout(120_000);
	const { current } = await demoExams();
	const page = await pageAs(browser, demo.committee);
	await page.goto(`/exams/${current.id}/paper?q=1108`);
	await page.getByRole('button', { name: /（1108）打印纸质试卷/ }).click();
	await expect(page).toHaveURL(new RegExp(`/exams/${current.id}/paper/\\d+$`));
	const attemptId = Number(page.url().split('/').pop());

	const paper = page.locator('article.sheet').first();
	await expect(paper.getByRole('heading', { level: 1 })).toHaveText(current.title);
	await expect(paper.locator('.identity')).toContainText('1108');
	await expect(paper.locator('.identity')).toContainText('第一中学教师第一支部');
	await expect(paper.getByRole('heading', { level: 2 })).toHaveText([/^单选题（共 8 题/, /^多选题（共 4 题/, /^判断题（共 4 题/, /^填空题（共 4 题/]);
	await expect(page.getByRole('heading', { name: '答题卡' })).toBeVisible();
	// The printed paper, looked at as a PDF and as print media.
	await page.pdf({ path: 'test-results/screens/results-paper.pdf', format: 'A4', printBackground: true });
	await page.emulateMedia({ media: 'print' });
	await page.setViewportSize({ width: 794, height: 1123 });
	await page.screenshot({ path: 'test-results/screens/results-paper-print.png', fullPage: true });
	await page.emulateMedia({ media: 'screen' });
	// Printing again gives the same paper.
	await page.goto(`/exams/${current.id}/paper?q=1108`);
	await expect(page.getByRole('button', { name: /（1108）打印纸质试卷/ })).toHaveCount(0);

	// The right answers to this paper, in its printed letters, from the database.
	const items = await e2eRows<{ position: number; option_order: string; points_cents: number; type: string; answer: string }>(
		`select attempt_item.position, attempt_item.option_order, attempt_item.points_cents, v.type, v.answer
		   from attempt_item join question_version v on v.id = attempt_item.key_version_id
		  where attempt_item.attempt_id = ? order by attempt_item.position`,
		attemptId
	);
	expect(items).toHaveLength(20);

	await page.goto(`/exams/${current.id}/paper/${attemptId}/entry`);
	await page.setViewportSize(phone);
	// A wrong letter is named with its question, and nothing is submitted.
	const first = items[0]!;
	await page.getByLabel(/^第 1 题/).fill('Z');
	await page.getByRole('button', { name: '提交并计分' }).click();
	await expect(page.getByRole('alert')).toContainText('第 1 题：只能填写 A–');
	await expect(page.getByLabel(/^第 1 题/)).toHaveAttribute('aria-invalid', 'true');

	let maxCents = 0;
	for (const item of items) {
		maxCents += item.points_cents;
		const order = JSON.parse(item.option_order) as number[];
		const key = JSON.parse(item.answer) as { correct?: number | number[] | boolean; blanks?: string[][] };
		const label = new RegExp(`^第 ${item.position} 题`);
		if (item.type === 'single') {
			// Question 1 is answered wrong on purpose.
			const right = order.indexOf(key.correct as number);
			await page.getByLabel(label).fill(letters[item === first ? (right + 1) % order.length : right] as string);
		} else if (item.type === 'multiple') {
			await page.getByLabel(label).fill((key.correct as number[]).map((c) => letters[order.indexOf(c)]).sort().join('').toLowerCase());
		} else if (item.type === 'true_false') {
			await page.getByRole('group', { name: label }).getByLabel(key.correct ? '对' : '错', { exact: true }).check();
		} else {
			const group = page.getByRole('group', { name: label });
			for (const [b, alternatives] of (key.blanks ?? []).entries()) await group.getByLabel(`第 ${b + 1} 空`).fill(alternatives[0] as string);
		}
	}
	await page.screenshot({ path: 'test-results/screens/results-entry-phone.png', fullPage: false });
	await page.getByRole('button', { name: '提交并计分' }).click();
	const expected = (maxCents - first.points_cents) / 100;
	await expect(page.getByRole('status')).toContainText(`已录入并计分：${expected} / ${maxCents / 100} 分`);
	// What was entered is shown as on the answer sheet.
	const tf = items.find((i) => i.type === 'true_false')!;
	const tfRow = page.locator('table.entered tbody tr').filter({ has: page.getByRole('rowheader', { name: String(tf.position), exact: true }) });
	await expect(tfRow.locator('td').last()).toHaveText((JSON.parse(tf.answer) as { correct: boolean }).correct ? '对' : '错');

	await page.goto(`/exams/${current.id}/results?sort=name`);
	const row = page.locator('table.results tbody tr').filter({ has: page.locator('td[data-label="工号"]', { hasText: /^1108$/ }) });
	await expect(row.locator('td[data-label="成绩"]')).toHaveText(`${expected} / ${maxCents / 100}`);
	await expect(row.locator('td[data-label="交卷"]')).toContainText('纸质试卷录入');
	await page.goto(`/exams/${current.id}/progress`);
	await expect(page.getByRole('table', { name: /未参考名单/ })).not.toContainText('1108');
	await page.goto(`/exams/${current.id}/results`);
	await page.screenshot({ path: 'test-results/screens/results-current-phone.png', fullPage: true });
});
