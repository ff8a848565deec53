import { expect, test } from '@playwright/test';
import Papa from 'papaparse';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRow, e2eRows } from './db';
import { demo, pageAs } from './helpers';

// Item analysis (issue 6): the committee opens a past demo test's 题目分析, and the numbers shown for a question
// are those computed here straight from the database; secretaries and members are refused by URL; the table
// downloads as CSV with a row per question. Read-only: it uses the oldest past test, which no other file changes
// (exam-results.e2e.ts regrades the latest one).

const phone = { width: 390, height: 844 };
const wide = { width: 1280, height: 900 };

type Expected = { examId: number; title: string; takers: number; questions: number; questionId: number; n: number; facility: number; chosen: number[] };

/**
 * The oldest past quarterly test, and for its single-choice question with the most takers: takers, facility (mean
 * of earned / points) and how many chose each option, over each member's best submitted attempt, computed here
 * with SQL and JSON.parse independently of the app's code.
 */
async function expected(): Promise<Expected> {
	const exam = await e2eRow<{ id: number; title: string }>(
		"select id, title from exam where kind = 'quarterly' and status = 'published' and closes_at <= ? order by closes_at limit 1",
		Date.now()
	);
	const counted = `with ranked as (
		select id, row_number() over (partition by member_id order by score_cents desc, submitted_at, id) as rk
		from attempt where exam_id = ? and submitted_at is not null and score_cents is not null)`;
	const { n: takers } = await e2eRow<{ n: number }>(`${counted} select count(*) as n from ranked where rk = 1`, exam.id);
	// 1.0 * makes the share a fraction on PostgreSQL too (integer / integer truncates there); a question's type is
	// the same on every row, grouped by as well because PostgreSQL allows no ungrouped column.
	const perQuestion = await e2eRows<{ id: number; type: string; n: number; earned: number }>(
		`${counted} select ai.question_id as id, ai.type as type, count(*) as n, sum(1.0 * ai.earned_cents / ai.points_cents) as earned
		from attempt_item ai join ranked r on r.id = ai.attempt_id where r.rk = 1 group by ai.question_id, ai.type order by n desc, ai.question_id`,
		exam.id
	);
	const question = perQuestion.find((q) => q.type === 'single') as (typeof perQuestion)[number];
	const { options: stored } = await e2eRow<{ options: string }>('select options from question_version where question_id = ? order by version desc limit 1', question.id);
	const options = (JSON.parse(stored) as string[]).length;
	const answers = await e2eRows<{ answer: string | null }>(
		`${counted} select ai.answer from attempt_item ai join ranked r on r.id = ai.attempt_id where r.rk = 1 and ai.question_id = ?`,
		exam.id,
		question.id
	);
	const chosen = Array.from({ length: options }, () => 0);
	for (const { answer } of answers) {
		const choice = answer === null ? null : (JSON.parse(answer) as { choice: number | null }).choice;
		if (choice !== null) chosen[choice] = (chosen[choice] ?? 0) + 1;
	}
	return { examId: exam.id, title: exam.title, takers, questions: perQuestion.length, questionId: question.id, n: question.n, facility: question.earned / question.n, chosen };
}

/** As the page prints a share: one decimal, no ".0". */
const percent = (rate: number) => `${(rate * 100).toFixed(1).replace(/\.0$/, '')}%`;

test('the committee reads a past test item by item, and the numbers are the stored answers', async ({ browser }) => {
	const e = await expected();
	expect(e.takers).toBeGreaterThan(10);
	const page = await pageAs(browser, demo.committee, { viewport: wide });
	await page.goto(`/dashboard/tests/${e.examId}/items?sort=question`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`题目分析：${e.title}`);

	const summary = page.locator('dl.totals');
	await expect(summary.locator('div').filter({ hasText: '交卷人数' }).locator('dd')).toHaveText(String(e.takers));
	// Demo papers are random draws: the coefficient for papers that differ.
	await expect(summary.locator('div').filter({ hasText: '信度' }).locator('dt')).toHaveText('信度（随机组卷信度）');
	await expect(page.getByRole('status')).toContainText(`共 ${e.questions} 道`);

	const row = page.locator(`tr[data-question="${e.questionId}"]`);
	await expect(row.locator('td[data-label="作答人数"]')).toHaveText(String(e.n));
	await expect(row.locator('td[data-label="通过率"]')).toHaveText(percent(e.facility));
	const options = row.getByRole('table', { name: `${e.questionId} 号题的选项` });
	for (const [i, count] of e.chosen.entries()) {
		await expect(options.getByRole('row').nth(i + 1).locator('td').first()).toHaveText(String(count));
	}
	await expect(row.getByRole('link', { name: `在题库中查看: ${e.questionId} 号题` })).toHaveAttribute('href', `/bank/${e.questionId}`);

	// Flagged first (the default), and "only flagged" leaves only questions with a flag.
	await page.goto(`/dashboard/tests/${e.examId}/items`);
	await page.getByLabel('只看有提示的题').check();
	await page.getByRole('button', { name: '查看' }).click();
	await expect(page).toHaveURL(/flagged=1/);
	const rows = page.locator('table.items > tbody > tr');
	const count = await rows.count();
	for (let i = 0; i < count; i++) await expect(rows.nth(i).locator('.tag.flag').first()).toBeVisible();

	// The question table downloads with a row per question and the same facility.
	const csv = await page.request.get(`/dashboard/tests/${e.examId}/items/export?table=items&format=csv&sort=question`);
	expect(csv.status()).toBe(200);
	expect(csv.headers()['content-type']).toContain('text/csv');
	const parsed = Papa.parse<string[]>((await csv.text()).replace(/^\uFEFF/, ''), { skipEmptyLines: true });
	const [header, ...data] = parsed.data;
	expect(header?.slice(0, 5)).toEqual(['题号', '题型', '题干', '作答人数', '通过率（%）']);
	expect(data).toHaveLength(e.questions);
	const line = data.find((r) => r[0] === String(e.questionId));
	expect(line?.[3]).toBe(String(e.n));
	expect(Number(line?.[4])).toBeCloseTo(Math.round(1000 * e.facility) / 10, 5);
	const xlsx = await page.request.get(`/dashboard/tests/${e.examId}/items/export?table=options&format=xlsx`);
	expect(xlsx.status()).toBe(200);

	// Screenshots in Chinese, wide and on a phone, for a person to look at.
	const dir = join('test-results', 'screens');
	mkdirSync(dir, { recursive: true });
	await page.goto(`/dashboard/tests/${e.examId}/items`);
	await page.screenshot({ path: join(dir, 'items-1280.png'), fullPage: false });
	await page.locator('table.items > tbody > tr').nth(2).scrollIntoViewIfNeeded();
	await page.screenshot({ path: join(dir, 'items-1280-table.png'), fullPage: false });
	await page.setViewportSize(phone);
	await page.reload();
	await page.screenshot({ path: join(dir, 'items-390.png'), fullPage: false });
	await page.locator('table.items > tbody > tr').first().scrollIntoViewIfNeeded();
	await page.screenshot({ path: join(dir, 'items-390-card.png'), fullPage: false });
	await page.context().close();
});

test('item analysis is the committee’s: a secretary and a member are refused by URL', async ({ browser }) => {
	const { examId } = await expected();
	for (const loginId of [demo.secretary, demo.member]) {
		const page = await pageAs(browser, loginId);
		expect((await page.goto(`/dashboard/tests/${examId}/items`))?.status(), loginId).toBe(403);
		expect((await page.request.get(`/dashboard/tests/${examId}/items/export?table=items&format=csv`)).status(), loginId).toBe(403);
		await page.context().close();
	}
});

test('the item table fits a laptop in both languages, and a phone never scrolls the whole page sideways', async ({ browser }) => {
	const { examId } = await expected();
	const page = await pageAs(browser, demo.committee, { viewport: { width: 1366, height: 800 } });
	const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	for (const locale of ['zh-CN', 'en']) {
		await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: page.url() }]);
		await page.setViewportSize({ width: 1366, height: 800 });
		await page.goto(`/dashboard/tests/${examId}/items`);
		await page.waitForLoadState('networkidle');
		expect(await sideways(), locale).toBe(0);
		// The options column, the last, ends inside the table's box: nothing cut, no scrolling needed.
		const box = await page.getByRole('region', { name: locale === 'en' ? 'Questions' : '各题分析' }).boundingBox();
		const options = await page.locator('table.items > thead th').last().boundingBox();
		expect((options?.x ?? 0) + (options?.width ?? 0), locale).toBeLessThanOrEqual((box?.x ?? 0) + (box?.width ?? 0) + 1);
		await expect(page.getByTestId('scroll-hint')).toHaveCount(0);
		await page.screenshot({ path: `test-results/screens/items-1366-${locale}.png`, fullPage: false });
		await page.setViewportSize({ width: 360, height: 780 });
		await page.reload();
		await page.waitForLoadState('networkidle');
		expect(await sideways(), `${locale} phone`).toBe(0);
		await page.screenshot({ path: `test-results/screens/items-360-${locale}.png`, fullPage: false });
	}
	await page.context().close();
});
