import { expect, test, type Page } from '@playwright/test';
import { demo, memberIdOf, pageAs } from './helpers';

// What an English reader sees where names and counts are put into sentences, and how dates read in each
// language. The demo organization's time zone is Asia/Shanghai (the default).

const englishDateTime = /\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}, \d{2}:\d{2}/;

async function inLanguage(page: Page, locale: 'en' | 'zh-CN') {
	await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: page.url() }]);
}

const bodyText = (page: Page) => page.locator('main').innerText();

/** A count of one before a plural noun ("1 members"), or a word said twice ("Political theory theory"). */
function expectGoodEnglish(text: string, where: string) {
	expect(text, where).not.toMatch(/(^|[^\d.,/])1 (members|questions|points|ballots|codes|rows|minutes|seconds|papers|answers|items)\b/m);
	expect(text, where).not.toMatch(/\b([A-Za-z]{3,}) \1\b/i);
}

test('English counts agree with their nouns and no word is said twice', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee, { viewport: { width: 360, height: 780 } });
	await inLanguage(page, 'en');

	// An area's English name is followed by its code, which may be the same word.
	await page.goto('/bank/areas');
	await expect(page.getByText('Political theory (code: theory)')).toBeVisible();
	expectGoodEnglish(await bodyText(page), '/bank/areas');
	await page.screenshot({ path: 'test-results/screens/wording-areas-en-360.png', fullPage: true });

	// The committee unit has one member of its own: "1 member" in the audience editor.
	await page.goto('/exams');
	await page.locator('main a[href^="/exams/"]').filter({ hasText: '2026年第四季度' }).first().click();
	await expect(page.getByText(/^1 member$/).first()).toBeAttached();
	expectGoodEnglish(await bodyText(page), 'exam settings');

	await page.goto('/dashboard/report');
	const overview = page.locator('main p').filter({ hasText: 'were to take the theory test' });
	await expect(overview).toHaveText(/^All units, \d{4} Q[1-4]: \d+ members were to take the theory test and \d+ took it \(participation [\d.]+%\)\.$/);
	expectGoodEnglish(await bodyText(page), '/dashboard/report');
	await page.screenshot({ path: 'test-results/screens/wording-report-en-360.png', fullPage: true });
	await page.context().close();
});

test('dates read one way in each language, in the organization time zone', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee, { viewport: { width: 1366, height: 800 } });
	const adminId = await memberIdOf(page, demo.committee);
	// The last sign-in reads as a day, 今天 / Today for today: never its time, which could be lined up with an
	// evaluation's turnout. Nor is the time anywhere in the page's data.
	await page.goto(`/members/${adminId}`);
	const lastSignIn = page.locator('main p.hint').filter({ hasText: '最近登录' });
	await expect(lastSignIn).toHaveText(/^最近登录[:：]\s*今天$/);
	const html = await page.content();
	expect(html).not.toMatch(/lastSignInAt|last_sign_in_at/);
	expect(html).toMatch(/lastSignInDay:"\d{4}-\d{2}-\d{2}"/);

	await inLanguage(page, 'en');
	await page.goto(`/members/${adminId}`);
	await expect(page.locator('main p.hint').filter({ hasText: 'Last sign-in' })).toHaveText(/^Last sign-in: Today$/);

	// Test windows, results and the report: the same form everywhere, a 24-hour clock, no AM/PM.
	await page.goto('/exams');
	const window = page.locator('main dd').filter({ hasText: ' to ' }).first();
	await expect(window).toHaveText(new RegExp(`^${englishDateTime.source} to ${englishDateTime.source}$`));
	await page.goto('/dashboard/report');
	await expect(page.locator('main p.hint').filter({ hasText: 'Made from the test results up to' })).toHaveText(
		new RegExp(`^Made from the test results up to ${englishDateTime.source}\\.$`)
	);
	for (const path of ['/exams', '/dashboard/report', `/members/${adminId}`]) {
		await page.goto(path);
		const text = await bodyText(page);
		expect(text, path).not.toMatch(/\b(AM|PM)\b|\d{1,2}\/\d{1,2}\/\d{2,4}/);
	}
	await page.screenshot({ path: 'test-results/screens/wording-member-en-1366.png' });
	await page.context().close();
});
