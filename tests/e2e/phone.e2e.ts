import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { e2eRow } from './db';
import { demo, signIn } from './helpers';

// A member's pages on a 360 px phone, in Chinese and in English: none may scroll the page sideways (a wide table
// scrolls inside its own box), and each is photographed for a person to look at. The member is the demo's 1104,
// who has results from past quarters; the test page is a practice attempt (practice counts on no dashboard and
// allows several attempts), and the ballot is only looked at, never submitted.

const phone = { width: 360, height: 780 };
const locales = ['zh-CN', 'en'] as const;

async function sidewaysOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number; widest: string[] }> {
	return page.evaluate(() => ({
		scrollWidth: document.documentElement.scrollWidth,
		innerWidth: window.innerWidth,
		// Named in the failure message: what sticks out past the right edge.
		widest: [...document.querySelectorAll('body *')]
			.filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
			.slice(0, 5)
			.map((e) => `${e.tagName.toLowerCase()}.${e.className}`)
	}));
}

test('the member pages fit a 360 px phone in Chinese and English', async ({ browser, baseURL }) => {
	test.setTimeout(120_000);
	mkdirSync('test-results/screens', { recursive: true });
	const context = await browser.newContext({ viewport: phone });
	const page = await context.newPage();
	await signIn(page, demo.member);
	await expect(page).toHaveURL(/\/$|\/\?/);

	const member = await e2eRow<{ id: number }>('select id from member where login_id = ?', demo.member);
	const result = await e2eRow<{ id: number }>(
		"select a.id from attempt a join exam e on e.id = a.exam_id where a.member_id = ? and a.submitted_at is not null and e.kind <> 'practice' order by a.submitted_at desc limit 1",
		member.id
	);
	const live = await e2eRow<{ id: number }>("select id from evaluation where title = '2026年度领导干部述学评学'");
	const practice = await e2eRow<{ id: number }>("select id from exam where kind = 'practice' and status = 'published' and title = '理论学习练习'");
	await page.goto(`/tests/${practice.id}`);
	await page.getByRole('button', { name: '开始答题' }).click();
	await page.waitForURL(/\/attempts\/\d+$/);
	const attemptPath = new URL(page.url()).pathname;

	const pages: [string, string][] = [
		['home', '/'],
		['tests', '/tests'],
		['attempt', attemptPath],
		['result', `/attempts/${result.id}/result`],
		['progress', '/progress'],
		['evaluations', '/evaluations'],
		['rate', `/evaluations/${live.id}/rate`],
		['password', '/account/password']
	];
	for (const locale of locales) {
		await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: baseURL ?? '' }]);
		for (const [name, path] of pages) {
			await page.goto(path);
			await page.waitForLoadState('networkidle');
			await expect(page.locator('html')).toHaveAttribute('lang', locale);
			// Folded tables count too: open every <details> before measuring.
			await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
			const size = await sidewaysOverflow(page);
			expect(size.scrollWidth, `${path} in ${locale} is wider than the phone: ${size.widest.join(', ')}`).toBeLessThanOrEqual(size.innerWidth);
			await page.screenshot({ path: `test-results/screens/phone-${name}-${locale}.png`, fullPage: true });
		}
	}

	// The scores on the result page are on screen, not past the edge of the area table.
	await page.goto(`/attempts/${result.id}/result`);
	const areaRow = page.locator('table.areas tbody tr').first();
	for (const cell of await areaRow.locator('td').all()) {
		const box = await cell.boundingBox();
		expect((box?.x ?? Infinity) + (box?.width ?? 0)).toBeLessThanOrEqual(phone.width);
	}
	// On 我的测试 the score stays on one line and the result column is on screen.
	await page.goto('/tests');
	const scored = page.locator('tbody tr', { has: page.locator('.tag') }).first();
	// The cell is as tall as its row; its text is one line (about 26 px) where it used to wrap onto three.
	const scoreText = await scored.locator('td').first().evaluate((td) => {
		const range = document.createRange();
		range.selectNodeContents(td);
		return { height: range.getBoundingClientRect().height, line: parseFloat(getComputedStyle(td).lineHeight) };
	});
	expect(scoreText.height).toBeLessThan(scoreText.line * 1.5);
	const outcome = await scored.locator('.tag').boundingBox();
	expect((outcome?.x ?? Infinity) + (outcome?.width ?? 0)).toBeLessThanOrEqual(phone.width);
	await context.close();
});
