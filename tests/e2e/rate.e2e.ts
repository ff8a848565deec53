import { expect, test, type Browser, type Page } from '@playwright/test';
import { randomInt } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { hashCode } from '../../src/lib/server/evaluations/codes';
import { e2eRow, e2eRun } from './db';
import { signIn } from './helpers';

// The rater's side of an evaluation (issue 5): the demo's live campaign rated on a phone one target per screen,
// on a wide screen as a matrix, without JavaScript, by one-time code; one ballot per member or code also when two
// submissions race; the receipt and the published receipt list. Only members 1201–1205 rate here (other files
// use the rest), and the codes this file needs are added to the demo database by the test itself.

const phone = { width: 390, height: 844 };
const liveTitle = '2026年度领导干部述学评学';
const closedTitle = '2025年度领导干部述学评学';

async function campaignId(title: string): Promise<number> {
	return (await e2eRow<{ id: number }>('select id from evaluation where title = ?', title)).id;
}

async function ballotCount(evaluationId: number): Promise<number> {
	return (await e2eRow<{ n: number }>('select count(*) as n from evaluation_ballot where evaluation_id = ?', evaluationId)).n;
}

/** Fresh codes for the live campaign's code-only group, stored as the app stores them (hash only). */
async function addCodes(evaluationId: number, count: number): Promise<string[]> {
	const group = await e2eRow<{ id: number }>('select id from evaluation_group where evaluation_id = ? and members_rate = 0 order by position limit 1', evaluationId);
	const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
	const codes = Array.from({ length: count }, () => Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join(''));
	for (const code of codes) {
		await e2eRun('insert into evaluation_code (code_hash, evaluation_id, group_id, batch, used, voided) values (?, ?, ?, 900, 0, 0)', hashCode(evaluationId, code), evaluationId, group.id);
	}
	return codes.map((c) => `${c.slice(0, 5)}-${c.slice(5)}`);
}

/** A PDF learning report for the live campaign's first target (the demo has none). */
async function addReportPdf(evaluationId: number): Promise<number> {
	const target = await e2eRow<{ id: number }>('select id from evaluation_target where evaluation_id = ? order by position limit 1', evaluationId);
	// An upsert both databases accept (SQLite's `insert or replace` is not PostgreSQL).
	await e2eRun(
		`insert into evaluation_report_file (target_id, file_name, content, uploaded_at) values (?, ?, ?, ?)
		 on conflict (target_id) do update set file_name = excluded.file_name, content = excluded.content, uploaded_at = excluded.uploaded_at`,
		target.id,
		'述学报告.pdf',
		Buffer.from('%PDF-1.4\n%%EOF\n'),
		Date.now()
	);
	return target.id;
}

async function phoneAs(browser: Browser, loginId: string, javaScriptEnabled = true): Promise<Page> {
	const context = await browser.newContext({ viewport: phone, javaScriptEnabled });
	const page = await context.newPage();
	await signIn(page, loginId);
	await expect(page).toHaveURL(/\/$|\/\?/);
	return page;
}

/** Checks level `level` everywhere, hidden steps included (for the racing submissions, which skip the stepper). */
async function checkEverywhere(page: Page, level: number) {
	await page.locator('form.ballot').evaluate((form, value) => {
		for (const input of form.querySelectorAll<HTMLInputElement>(`input[type=radio][value="${value}"]`)) input.checked = true;
	}, String(level));
}

const visibleCard = (page: Page) => page.locator('[data-testid=target-card]:visible');

/** On the card shown, picks level `level` for every criterion except the ones named in `skip`. */
async function rateVisibleCard(page: Page, level: number, skip: string[] = []) {
	const card = visibleCard(page);
	await expect(card).toHaveCount(1);
	for (const fieldset of await card.locator('fieldset').all()) {
		const legend = (await fieldset.locator('legend').innerText()).split('·').pop()?.trim() ?? '';
		if (skip.includes(legend)) continue;
		await fieldset.locator('input[type=radio]').nth(level).check();
	}
}


test('a member rates the live campaign one target per screen on a phone, is told what is missing, and gets a receipt', async ({ browser }) => {
	const page = await phoneAs(browser, '1201');
	await page.goto('/evaluations');
	const row = page.getByTestId('campaign').filter({ hasText: liveTitle });
	await expect(row).toBeVisible();
	await expect(row).not.toContainText('已参评');
	await row.getByRole('link', { name: liveTitle }).click();

	await expect(page.getByRole('heading', { name: liveTitle, level: 1 })).toBeVisible();
	await expect(page.getByText('您的评价内容单独保存，不带姓名、时间或设备信息')).toBeVisible();
	await expect(page.getByText('意见建议的措辞本身可能让人认出您')).toBeVisible();

	// One target per screen, with its progress and report.
	await expect(page.getByText('1/3', { exact: true })).toBeVisible();
	await visibleCard(page).getByText('述学报告').click();
	mkdirSync('test-results/screens', { recursive: true });
	await page.screenshot({ path: 'test-results/screens/rate-step.png', fullPage: true });
	await expect(visibleCard(page).locator('.report li').first()).toBeVisible();
	await expect(visibleCard(page).locator('.report strong')).toHaveText('存在问题');
	await rateVisibleCard(page, 0);
	await page.getByRole('button', { name: '下一位' }).click();
	await expect(page.getByText('2/3', { exact: true })).toBeVisible();
	await rateVisibleCard(page, 1);
	await page.getByRole('button', { name: '上一位' }).click();
	await expect(page.getByText('1/3', { exact: true })).toBeVisible();
	await page.getByRole('button', { name: '下一位' }).click();
	await page.getByRole('button', { name: '下一位' }).click();
	await expect(page.getByText('3/3', { exact: true })).toBeVisible();
	const third = (await visibleCard(page).locator('h2').innerText()).trim();
	await rateVisibleCard(page, 0, ['学用结合']);
	await visibleCard(page).getByLabel('意见建议（选填）').fill('希望多结合教学实际。');
	await page.getByRole('button', { name: '检查并提交' }).click();

	// The review names the missing item under its target and waits for it; its link goes back there, nothing lost.
	await expect(page.getByText('还有 1 项未选：')).toBeVisible();
	await expect(page.getByTestId('missing').locator('li')).toHaveCount(1);
	await expect(page.getByTestId('missing').locator('li')).toContainText(new RegExp(`${third}\\s*1 项未选：\\s*学用结合`));
	await expect(page.getByRole('button', { name: '提交测评' })).toBeDisabled();
	await page.getByRole('link', { name: `${third} · 学用结合` }).click();
	await expect(page.getByText('3/3', { exact: true })).toBeVisible();
	await expect(visibleCard(page).getByLabel('意见建议（选填）')).toHaveValue('希望多结合教学实际。');
	await visibleCard(page).locator('fieldset').filter({ hasText: '学用结合' }).getByLabel('较好').check();
	await page.getByRole('button', { name: '检查并提交' }).click();
	await expect(page.getByText('已全部选择')).toBeVisible();
	await expect(page.getByRole('alert')).toHaveCount(0);
	await page.screenshot({ path: 'test-results/screens/rate-review.png', fullPage: true });
	await page.getByRole('button', { name: '提交测评' }).click();

	const receipt = page.getByTestId('receipt');
	await expect(receipt).toHaveText(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
	await page.screenshot({ path: 'test-results/screens/rate-receipt.png', fullPage: true });

	// No second ballot: the page says so, and the list marks the campaign.
	await page.reload();
	await expect(page.getByTestId('already-rated')).toBeVisible();
	await expect(page.locator('form.ballot')).toHaveCount(0);
	await page.goto('/evaluations');
	await expect(page.getByTestId('campaign').filter({ hasText: liveTitle })).toContainText('已参评');
	await page.screenshot({ path: 'test-results/screens/evaluations.png', fullPage: true });
	await page.context().close();
});

test('a rater who walks through without answering is told per target what is missing, and cannot submit until it is chosen', async ({ browser }) => {
	const id = await campaignId(liveTitle);
	const [code] = await addCodes(id, 1);
	const context = await browser.newContext({ viewport: phone });
	const page = await context.newPage();
	await page.goto('/ballot');
	await page.getByLabel('测评码').fill(code ?? '');
	await page.getByRole('button', { name: '打开测评表' }).click();
	await expect(page.locator('form.ballot')).toBeVisible();
	await page.waitForLoadState('networkidle');
	const criteria = await page.locator('[data-testid=target-card]').first().locator('fieldset').count();
	const names: string[] = [];
	for (let i = 0; i < 3; i++) {
		names.push((await visibleCard(page).locator('h2').innerText()).trim());
		await page.getByRole('button', { name: i < 2 ? '下一位' : '检查并提交' }).click();
	}

	// Every target is named with how many and which criteria, overall included; submitting says why it cannot.
	const missing = page.getByTestId('missing');
	await expect(missing.locator(':scope > li')).toHaveCount(3);
	for (const name of names) {
		const entry = missing.locator(':scope > li', { hasText: name });
		await expect(entry).toContainText(`${criteria} 项未选`);
		await expect(entry.getByRole('link', { name: `${name} · 总体评价` })).toBeVisible();
	}
	const submit = page.getByRole('button', { name: '提交测评' });
	await expect(submit).toBeDisabled();
	await expect(page.getByText(`还有 ${3 * criteria} 项未选，全部选择后才能提交。`)).toBeVisible();
	mkdirSync('test-results/screens', { recursive: true });
	await page.screenshot({ path: 'test-results/screens/rate-missing.png', fullPage: true });

	// A criterion's link goes back to that target with the criterion in focus.
	await missing.getByRole('link', { name: `${names[1]} · 总体评价` }).click();
	await expect(page.getByText('2/3', { exact: true })).toBeVisible();
	await expect(page.locator(':focus')).toHaveAttribute('type', 'radio');
	await rateVisibleCard(page, 1);
	await page.getByRole('button', { name: '下一位' }).click();
	await rateVisibleCard(page, 1);
	await page.getByRole('button', { name: '检查并提交' }).click();
	await expect(missing.locator(':scope > li')).toHaveCount(1);
	await expect(missing).toContainText(names[0] ?? '');
	await expect(submit).toBeDisabled();
	// The target's own link goes to its screen.
	await missing.getByRole('link', { name: names[0], exact: true }).click();
	await expect(page.getByText('1/3', { exact: true })).toBeVisible();
	await rateVisibleCard(page, 1);
	for (let i = 0; i < 2; i++) await page.getByRole('button', { name: '下一位' }).click();
	await page.getByRole('button', { name: '检查并提交' }).click();
	await expect(page.getByText('已全部选择')).toBeVisible();
	await expect(submit).toBeEnabled();
	await submit.click();
	await expect(page.getByTestId('receipt')).toBeVisible();
	await context.close();
});

test('a target rates every target including themself (the form is the same for everyone), as a matrix on a wide screen', async ({ browser }) => {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	await signIn(page, '1202');
	await expect(page).toHaveURL(/\/$|\/\?/);
	await page.goto('/evaluations');
	await page.getByRole('link', { name: liveTitle }).click();
	// The wide screen shows every target at once.
	await expect(page.locator('[data-testid=target-card]:visible')).toHaveCount(3);
	await expect(page.getByText('这是您本人')).toHaveCount(1);
	await page.screenshot({ path: 'test-results/screens/rate-wide.png', fullPage: true });
	for (const radio of await page.locator('input[type=radio][value="1"]').all()) await radio.check();
	await expect(page.getByText('已全部选择')).toBeVisible();
	await page.getByRole('button', { name: '提交测评' }).click();
	await expect(page.getByTestId('receipt')).toBeVisible();
	await context.close();
});

test('two submissions of the same member at once give one ballot', async ({ browser }) => {
	const id = await campaignId(liveTitle);
	const page = await phoneAs(browser, '1203');
	await page.goto(`/evaluations/${id}/rate`);
	await checkEverywhere(page, 0);
	const before = await ballotCount(id);
	const replies = await page.evaluate(async () => {
		const form = document.querySelector('form.ballot') as HTMLFormElement;
		const post = () =>
			fetch(window.location.pathname, { method: 'POST', body: new FormData(form), headers: { 'x-sveltekit-action': 'true', accept: 'application/json' } }).then(
				async (r) => ({ status: r.status, body: (await r.json()) as { type: string; status?: number } })
			);
		return Promise.all([post(), post()]);
	});
	expect(replies.map((r) => r.body.type).sort()).toEqual(['failure', 'success']);
	expect(replies.find((r) => r.body.type === 'failure')?.body.status).toBe(409);
	expect(await ballotCount(id)).toBe(before + 1);
	await page.reload();
	await expect(page.getByTestId('already-rated')).toBeVisible();
	await page.context().close();
});

test('rating works without JavaScript: every target on one page, one submit, a receipt', async ({ browser }) => {
	const page = await phoneAs(browser, '1204', false);
	await page.goto('/evaluations');
	await page.getByRole('link', { name: liveTitle }).click();
	await expect(page.getByTestId('target-card')).toHaveCount(3);
	await expect(page.getByRole('group', { name: /总体评价/ })).toHaveCount(3);
	// Submitting with nothing chosen names the first target and criterion.
	await page.getByRole('button', { name: '提交测评' }).click();
	await expect(page.getByRole('alert')).toContainText('选择“总体评价”的评价等次');
	await page.getByTestId('target-card').first().getByLabel('意见建议（选填）').fill('无');
	for (const radio of await page.locator('input[type=radio][value="0"]').all()) await radio.check();
	await page.getByRole('button', { name: '提交测评' }).click();
	await expect(page.getByTestId('receipt')).toHaveText(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
	await page.context().close();
});

test('a campaign that does not exist is a 404, and a closed one says it is closed and links its receipts', async ({ browser }) => {
	const page = await phoneAs(browser, '1205');
	const missing = await page.goto('/evaluations/999999/rate');
	expect(missing?.status()).toBe(404);
	const closedId = await campaignId(closedTitle);
	await page.goto(`/evaluations/${closedId}/rate`);
	await expect(page.getByTestId('closed')).toContainText('本次测评已于');
	await expect(page.locator('form.ballot')).toHaveCount(0);
	await page.goto('/evaluations');
	const closedRow = page.getByTestId('closed-campaign').filter({ hasText: closedTitle });
	await closedRow.getByRole('link', { name: '回执码公示' }).click();
	await expect(page).toHaveURL(`/receipts/${closedId}`);
	const first = (await page.getByTestId('receipts').locator('li').first().innerText()).trim();
	await page.getByLabel('查找我的回执码').fill(first.toLowerCase().replace(/-/g, ' '));
	await expect(page.getByText('找到了：这张票已被计入。')).toBeVisible();
	await page.getByLabel('查找我的回执码').fill('ZZZZ-ZZZZ-ZZZZ');
	await expect(page.getByText('名单中没有这个回执码')).toBeVisible();
	// Before closing, the list is not published.
	await page.goto(`/receipts/${await campaignId(liveTitle)}`);
	await expect(page.getByTestId('receipts-pending')).toContainText('届时在此公布回执码名单');
	await page.context().close();
});

test('rating by code: the slip’s link opens the ballot, a used code and an unknown code are refused, a racing code gives one ballot', async ({ browser, baseURL }) => {
	const id = await campaignId(liveTitle);
	const [code, racing] = (await addCodes(id, 2)) as [string, string];
	const context = await browser.newContext({ viewport: phone });
	const page = await context.newPage();

	await page.goto('/ballot');
	await page.getByLabel('测评码').fill('ABCDE-FGHJK');
	await page.getByRole('button', { name: '打开测评表' }).click();
	await expect(page.getByRole('alert')).toHaveText('测评码不正确');

	// The QR slip's link carries the code in the fragment; the page opens the ballot and drops it from the address.
	await page.goto(`/ballot#${code.toLowerCase()}`);
	await expect(page.getByRole('heading', { name: liveTitle, level: 1 })).toBeVisible();
	await expect(page).toHaveURL(/\/ballot$/);
	await expect(page.getByText('系统只记录这个测评码已被使用')).toBeVisible();
	for (let i = 0; i < 3; i++) {
		await rateVisibleCard(page, 2);
		await page.getByRole('button', { name: i < 2 ? '下一位' : '检查并提交' }).click();
	}
	await page.getByRole('button', { name: '提交测评' }).click();
	await expect(page.getByTestId('receipt')).toBeVisible();

	await page.goto('/ballot');
	await page.getByLabel('测评码').fill(code.replace('-', ' '));
	await page.getByRole('button', { name: '打开测评表' }).click();
	await expect(page.getByRole('alert')).toHaveText('此测评码已使用');

	// A report's PDF opens for a code that may still rate (the code in the body), and for an eligible member.
	const targetId = await addReportPdf(id);
	const pdf = await page.request.post(`/ballot/report/${targetId}`, { form: { code: racing }, headers: { origin: new URL(baseURL ?? '').origin } });
	expect(pdf.status()).toBe(200);
	expect(pdf.headers()['content-type']).toBe('application/pdf');
	const usedPdf = await page.request.post(`/ballot/report/${targetId}`, { form: { code }, headers: { origin: new URL(baseURL ?? '').origin } });
	expect(usedPdf.status()).toBe(404);
	const member = await phoneAs(browser, '1205');
	expect((await member.request.get(`/evaluations/${id}/rate/report/${targetId}`)).status()).toBe(200);
	await member.goto(`/evaluations/${id}/rate`);
	await member.getByText('述学报告', { exact: true }).first().click();
	await expect(member.getByRole('link', { name: '查看述学报告（PDF）' })).toHaveAttribute('href', `/evaluations/${id}/rate/report/${targetId}`);
	await member.context().close();

	// Two submissions with the same code at once: one ballot.
	await page.goto('/ballot');
	await page.getByLabel('测评码').fill(racing);
	await page.getByRole('button', { name: '打开测评表' }).click();
	await expect(page.locator('form.ballot')).toBeVisible();
	// The PDF button of a ballot opened by code posts the code (not the ballot) to a new tab.
	await visibleCard(page).getByText('述学报告', { exact: true }).click();
	const [pdfResponse] = await Promise.all([
		context.waitForEvent('response', (r) => r.url().includes(`/ballot/report/${targetId}`)),
		visibleCard(page).getByRole('button', { name: '查看述学报告（PDF）' }).click()
	]);
	expect(pdfResponse.status()).toBe(200);
	expect(pdfResponse.request().postData()).toBe(`code=${encodeURIComponent(racing)}`);
	await checkEverywhere(page, 0);
	const before = await ballotCount(id);
	const replies = await page.evaluate(async () => {
		const form = document.querySelector('form.ballot') as HTMLFormElement;
		const post = () =>
			fetch('/ballot?/cast', { method: 'POST', body: new FormData(form), headers: { 'x-sveltekit-action': 'true', accept: 'application/json' } }).then(
				async (r) => (await r.json()) as { type: string }
			);
		return Promise.all([post(), post()]);
	});
	expect(replies.map((r) => r.type).sort()).toEqual(['failure', 'success']);
	expect(await ballotCount(id)).toBe(before + 1);
	await context.close();
});
