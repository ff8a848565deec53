import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { e2eRow, e2eRows } from './db';
import { demo, pageAs } from './helpers';

// Members' scores (issue 6): the member table, a member's page, 我的成绩 and the leaders' evaluations. Every number
// checked here is computed again in this file from the server's database (read-only), by the rules written in
// src/lib/server/analytics/README.md: only published quarterly tests; a member's result is their best submitted
// attempt (highest score, then the earlier submission, then the lower id); percent of the paper's total; missed =
// expected (the demo's tests have no audience rows: every active member) and closed without a result.
//
// Other end-to-end files take tests in the same database at the same time (1108, 1309 and this quarter's test), so
// the numbers are read from the database right before the page they are compared with, and about members (1104,
// 第一支部) whom no other file changes.

const phone = { width: 390, height: 844 };
const laptop = { width: 1280, height: 900 };

type Member = { id: number; login_id: string; name: string; unit_id: number; status: string };
type Exam = { id: number; quarter: string; title: string; closes_at: number };
type Attempt = { id: number; exam_id: number; member_id: number; score_cents: number; max_cents: number; submitted_at: number; passed: number };

const round1 = (v: number) => Math.round(v * 10) / 10;
const quarterLabel = (q: string) => `${q.slice(0, 4)}年第${'一二三四'[Number(q.slice(5)) - 1]}季度`;

/** The demo's records, recomputed from the tables. */
async function records() {
	const now = Date.now();
	const members = await e2eRows<Member>('select id, login_id, name, unit_id, status from member order by id');
	const exams = await e2eRows<Exam>("select id, quarter, title, closes_at from exam where kind = 'quarterly' and status = 'published' order by quarter, opens_at, id");
	// The rule below (everyone active is expected) holds only while the demo has no audiences and no make-ups.
	expect((await e2eRow<{ n: number }>('select count(*) as n from exam_audience')).n).toBe(0);
	expect((await e2eRow<{ n: number }>('select count(*) as n from exam_makeup')).n).toBe(0);
	const attempts = await e2eRows<Attempt>('select id, exam_id, member_id, score_cents, max_cents, submitted_at, passed from attempt where submitted_at is not null and score_cents is not null');
	const best = new Map<string, Attempt>();
	for (const a of attempts) {
		const key = `${a.exam_id}:${a.member_id}`;
		const b = best.get(key);
		if (!b || a.score_cents > b.score_cents || (a.score_cents === b.score_cents && (a.submitted_at < b.submitted_at || (a.submitted_at === b.submitted_at && a.id < b.id)))) best.set(key, a);
	}
	const bestOf = (examId: number, memberId: number) => best.get(`${examId}:${memberId}`);
	const percentOf = (examId: number, memberId: number) => {
		const b = bestOf(examId, memberId);
		return b ? (100 * b.score_cents) / b.max_cents : null;
	};
	// Expected at a closed test: the list stored at its close (every member active then, for the demo's tests), so a
	// member another e2e file creates later has missed nothing.
	const listed = new Set((await e2eRows<{ exam_id: number; member_id: number }>('select exam_id, member_id from exam_expected')).map((r) => `${r.exam_id}:${r.member_id}`));
	const missedBy = (m: Member) => (m.status === 'active' ? exams.filter((e) => e.closes_at <= now && listed.has(`${e.id}:${m.id}`) && !bestOf(e.id, m.id)).length : 0);
	const units = new Map((await e2eRows<{ id: number; name: string }>('select id, name from unit')).map((u) => [u.name, u.id]));
	const unitId = (name: string) => units.get(name) as number;
	const areaRows = await e2eRows<{
		attempt_id: number;
		area_id: number;
		earned_cents: number;
		possible_cents: number;
		name_zh: string;
		sort_order: number;
		pass_cents: number;
		max_cents: number;
	}>(
		'select attempt_area.attempt_id, attempt_area.area_id, attempt_area.earned_cents, attempt_area.possible_cents, content_area.name_zh, content_area.sort_order, exam.pass_cents, attempt.max_cents from attempt_area join content_area on content_area.id = attempt_area.area_id join attempt on attempt.id = attempt_area.attempt_id join exam on exam.id = attempt.exam_id'
	);
	return { members, exams, bestOf, percentOf, missedBy, unitId, areaRows, now };
}

type Records = Awaited<ReturnType<typeof records>>;

/** A member's share of points per area over their best attempts of the last four counted quarters, with its pass mark. */
function allAreasOf(r: Records, memberId: number) {
	const lastFour = [...new Set(r.exams.map((e) => e.quarter))].slice(-4);
	const attemptIds = new Set(r.exams.filter((e) => lastFour.includes(e.quarter)).flatMap((e) => r.bestOf(e.id, memberId)?.id ?? []));
	const sums = new Map<number, { id: number; name: string; order: number; earned: number; possible: number; pass: number }>();
	for (const a of r.areaRows.filter((x) => attemptIds.has(x.attempt_id))) {
		const s = sums.get(a.area_id) ?? { id: a.area_id, name: a.name_zh, order: a.sort_order, earned: 0, possible: 0, pass: 0 };
		s.earned += a.earned_cents;
		s.possible += a.possible_cents;
		s.pass += (a.possible_cents * a.pass_cents) / a.max_cents;
		sums.set(a.area_id, s);
	}
	return [...sums.values()]
		.filter((s) => s.possible > 0)
		.sort((a, b) => a.earned / a.possible - b.earned / b.possible || a.order - b.order || a.id - b.id)
		.map((s) => ({ ...s, share: s.earned / s.possible, passShare: s.pass / s.possible }));
}

/** The rows the weak-areas table should show: areas below their pass mark, lowest first. */
function weakAreasOf(r: Records, memberId: number): string[][] {
	return allAreasOf(r, memberId)
		.filter((s) => s.share < s.passShare)
		.map((s) => [s.name, String(s.earned / 100), String(s.possible / 100), String(round1(100 * s.share)), String(round1(100 * s.passShare))]);
}

/** The cells of a data table's body rows (the table under a chart, folded or not). */
async function tableCells(page: Page, caption: string | RegExp): Promise<string[][]> {
	return page
		.getByRole('table', { name: caption, includeHidden: true })
		.locator('tbody tr')
		.evaluateAll((rows) => rows.map((r) => [...(r as HTMLTableRowElement).cells].map((c) => (c.textContent ?? '').trim())));
}

const loginsOnPage = (page: Page) => page.locator('.member-table tbody th .login').allTextContents();

test('the committee filters the member table by unit, finds who missed a test and downloads the table', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee, { viewport: laptop });
	await page.goto('/dashboard/members');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('党员成绩');
	const r = await records();
	await page.waitForTimeout(300);
	await page.screenshot({ path: 'test-results/screens/dashboard-members-1280.png', fullPage: true });

	// One unit: exactly its members (active ones, and disabled ones with results; the demo has none disabled).
	const branch = r.unitId('第一中学教师第一支部');
	const value = await page.locator('#unit option', { hasText: '第一中学教师第一支部' }).getAttribute('value');
	await page.getByLabel('单位').selectOption(value ?? '');
	await page.getByRole('button', { name: '查看' }).click();
	await expect(page).toHaveURL(new RegExp(`unit=${branch}`));
	const expected = r.members.filter((m) => m.unit_id === branch && m.status === 'active').map((m) => m.login_id);
	expect((await loginsOnPage(page)).sort()).toEqual(expected.sort());
	expect(expected.length).toBeGreaterThanOrEqual(9);

	// Everyone who missed a test, with how many: the demo has about one in ten miss each past quarter.
	await page.getByLabel('单位').selectOption('');
	await page.getByLabel('只看有缺考的党员').check();
	await page.getByRole('button', { name: '查看' }).click();
	const missed = r.members.filter((m) => r.missedBy(m) > 0);
	expect(missed.length).toBeGreaterThan(3);
	await expect(page.getByRole('status')).toHaveText(`共 ${missed.length} 人，其中 ${missed.length} 人有缺考。`);
	const shown = await page.locator('.member-table tbody tr').evaluateAll((rows) =>
		rows.map((row) => [row.querySelector('th .login')?.textContent?.trim(), row.querySelector('.tag.missed')?.textContent?.trim()])
	);
	expect(shown.sort()).toEqual(missed.map((m) => [m.login_id, `缺考 ${r.missedBy(m)} 次`]).sort());
	// A missed quarter says so in words, not only in colour.
	await expect(page.locator('td.quarter.missed').first()).toHaveText('缺考');

	// The whole table as CSV: every member, each quarter's score as the page computes it.
	await page.goto('/dashboard/members');
	const all = r.members.filter((m) => m.status === 'active');
	await expect(page.getByRole('status')).toContainText(`共 ${all.length} 人`);
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV', exact: true }).click()]);
	expect(download.suggestedFilename()).toBe('党员成绩-党员成绩（百分制）.csv');
	const lines = readFileSync((await download.path()) as string, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
	const quarters = [...new Set(r.exams.map((e) => e.quarter))].slice(-8);
	expect(lines[0]).toBe(['姓名', '工号', '单位', ...quarters.map(quarterLabel), '缺考次数', '最近成绩', '较上次'].join(','));
	expect(lines.length - 1).toBe(all.length);
	const me = r.members.find((m) => m.login_id === demo.member) as Member;
	const mine = lines.find((l) => l.split(',')[1] === demo.member)?.split(',') ?? [];
	const cellOf = (quarter: string) => {
		const tests = r.exams.filter((e) => e.quarter === quarter);
		const scores = tests.map((e) => r.percentOf(e.id, me.id)).filter((p): p is number => p !== null);
		if (scores.length) return String(round1(scores.reduce((a, b) => a + b, 0) / scores.length));
		return tests.some((e) => e.closes_at <= r.now) ? '缺考' : '待考';
	};
	expect(mine.slice(3, 3 + quarters.length)).toEqual(quarters.map(cellOf));
	expect(mine[3 + quarters.length]).toBe(String(r.missedBy(me)));

	await page.setViewportSize(phone);
	await page.screenshot({ path: 'test-results/screens/dashboard-members-390.png', fullPage: true });
	await page.context().close();
});

test('a member’s page shows their results, their branch’s mean and weakest areas as stored', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee, { viewport: laptop });
	const r = await records();
	const me = r.members.find((m) => m.login_id === demo.member) as Member;
	await page.goto(`/dashboard/members/${me.id}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(me.name);

	const unitMates = r.members.filter((m) => m.unit_id === me.unit_id);
	const mean = (examId: number) => {
		const ps = unitMates.map((m) => r.percentOf(examId, m.id)).filter((p): p is number => p !== null);
		return ps.length ? String(round1(ps.reduce((a, b) => a + b, 0) / ps.length)) : '—';
	};
	const expected = r.exams.map((e) => {
		const p = r.percentOf(e.id, me.id);
		const b = r.bestOf(e.id, me.id);
		const outcome = b ? (b.passed === 1 ? '及格' : '不及格') : e.closes_at <= r.now ? '缺考' : '待参加';
		return [quarterLabel(e.quarter), e.title, p === null ? '—' : String(round1(p)), outcome, mean(e.id)];
	});
	expect(await tableCells(page, '历次测试成绩（百分制）')).toEqual(expected);

	// Weak areas over the last four counted quarters, from the per-area scores stored at submission: only those
	// below the pass mark (each paper's, weighted by the area's points on it); an area at 100% never.
	const measured = allAreasOf(r, me.id);
	expect(measured.length).toBeGreaterThan(2);
	const areas = weakAreasOf(r, me.id);
	const caption = '低于及格线的内容领域（得分率从低到高）';
	if (areas.length > 0) expect(await tableCells(page, caption)).toEqual(areas);
	else await expect(page.getByTestId('no-weak-areas')).toContainText('没有薄弱内容');
	// No area at or above its pass mark is listed, one at 100% least of all (the demo's papers give every member some).
	const passed = measured.filter((a) => a.share >= a.passShare);
	expect(passed.length).toBeGreaterThan(0);
	const listed = (await tableCells(page, caption)).map((row) => row[0]);
	for (const a of passed) expect(listed).not.toContain(a.name);

	// A member with no area below the pass mark is told so, instead of an empty chart.
	const strong = r.members.find((m) => /^110[1-79]$/.test(m.login_id) && m.status === 'active' && allAreasOf(r, m.id).length > 0 && weakAreasOf(r, m.id).length === 0);
	if (strong) {
		await page.goto(`/dashboard/members/${strong.id}`);
		await expect(page.getByTestId('no-weak-areas')).toContainText('没有薄弱内容');
		await page.goto(`/dashboard/members/${me.id}`);
	}

	await page.waitForTimeout(500);
	await page.screenshot({ path: 'test-results/screens/dashboard-member-1280.png', fullPage: true });
	await page.setViewportSize(phone);
	await page.waitForTimeout(500);
	await page.screenshot({ path: 'test-results/screens/dashboard-member-390.png', fullPage: true });
	await page.context().close();
});

test('a secretary sees only their subtree, by the table and by URL', async ({ browser }) => {
	const page = await pageAs(browser, demo.secretary);
	const r = await records();
	const secretary = r.members.find((m) => m.login_id === demo.secretary) as Member;
	await page.goto('/dashboard/members');
	const logins = await loginsOnPage(page);
	expect(logins.every((l) => l.startsWith('11'))).toBe(true);
	expect(logins.sort()).toEqual(r.members.filter((m) => m.unit_id === secretary.unit_id && m.status === 'active').map((m) => m.login_id).sort());
	// No unit outside the subtree is offered, and none is served.
	await expect(page.locator('#unit option', { hasText: '县实验小学党支部' })).toHaveCount(0);
	const other = r.members.find((m) => m.login_id === demo.otherMember) as Member;
	expect((await page.goto(`/dashboard/members/${other.id}`))?.status()).toBe(403);
	expect((await page.goto(`/dashboard/members?unit=${r.unitId('县实验小学党支部')}`))?.status()).toBe(403);
	expect((await page.goto(`/dashboard/members/${other.id}/export?table=history&format=csv`))?.status()).toBe(403);
	const own = r.members.find((m) => m.login_id === demo.member) as Member;
	expect((await page.goto(`/dashboard/members/${own.id}`))?.status()).toBe(200);
	await page.context().close();
});

test('a member reaches only their own record', async ({ browser }) => {
	const page = await pageAs(browser, demo.member, { viewport: phone });
	const r = await records();
	const me = r.members.find((m) => m.login_id === demo.member) as Member;
	await page.getByRole('link', { name: '我的成绩' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的成绩');
	// The demo's tests release results at once: every result is shown, with a link to its answers.
	const results = r.exams.flatMap((e) => r.bestOf(e.id, me.id) ?? []);
	expect(results.length).toBeGreaterThan(0);
	const links = await page.getByRole('link', { name: '查看答题结果' }).evaluateAll((as) => as.map((a) => a.getAttribute('href')));
	expect(links.sort()).toEqual(results.map((a) => `/attempts/${a.id}/result`).sort());
	const scores = (await tableCells(page, '历次测试成绩（百分制）')).map((row) => row[2]);
	expect(scores).toEqual(r.exams.map((e) => r.percentOf(e.id, me.id)).map((p) => (p === null ? '—' : String(round1(p)))));
	// No branch mean on the member's own page: in a small branch it would give a colleague's score away.
	await expect(page.getByRole('table', { name: '历次测试成绩（百分制）', includeHidden: true }).locator('th', { hasText: '本支部平均' })).toHaveCount(0);
	// The member's own weak areas: each below its pass mark, so never one at 100%.
	const weak = await tableCells(page, '低于及格线的内容领域（得分率从低到高）');
	if (weak.length === 0) await expect(page.getByTestId('no-weak-areas')).toBeVisible();
	for (const [name, , , share, passMark] of weak) expect(Number(share), name).toBeLessThan(Number(passMark));
	await page.waitForTimeout(500);
	await page.screenshot({ path: 'test-results/screens/progress-390.png', fullPage: true });

	expect((await page.goto('/dashboard/members'))?.status()).toBe(403);
	expect((await page.goto(`/dashboard/members/${me.id}`))?.status()).toBe(403);
	expect((await page.goto('/dashboard/leaders'))?.status()).toBe(403);
	await page.context().close();
});

test('the committee sees each leader’s evaluations over the years, as the leader page shows them', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee, { viewport: laptop });
	const targets = await e2eRows<{ id: number; name: string }>(
		"select m.id, m.name from evaluation_target t join evaluation e on e.id = t.evaluation_id join member m on m.id = t.member_id where e.title = '2025年度领导干部述学评学' order by t.position"
	);
	expect(targets.length).toBe(5);
	await page.goto('/dashboard/leaders');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('领导测评');
	for (const t of targets) {
		const rows = await tableCells(page, `${t.name}历年测评结果`);
		const row2025 = rows.find((cells) => cells[0] === '2025');
		expect(row2025?.slice(1, 3), t.name).toEqual(['2025年度领导干部述学评学', '最终结果']);
		await expect(page.getByRole('link', { name: `${t.name}的测评详情` })).toHaveAttribute('href', `/campaigns/leaders/${t.id}`);
	}
	// The same figures as the leader's own page (which shows the score to two decimals).
	const first = targets[0] as { id: number; name: string };
	const row = (await tableCells(page, `${first.name}历年测评结果`)).find((cells) => cells[0] === '2025') ?? [];
	await page.waitForTimeout(500);
	await page.screenshot({ path: 'test-results/screens/dashboard-leaders-1280.png', fullPage: true });
	await page.goto(`/campaigns/leaders/${first.id}`);
	const card = page.locator('li.card', { hasText: '2025年度领导干部述学评学' });
	await expect(card).toContainText(`${row[3]} 票`);
	const score = await card.locator('dd').last().textContent();
	expect(Number(row[7])).toBeCloseTo(Number(score), 2);
	await page.context().close();
});

test('the member table scrolls in its own box, never the page, and says so when it is wider', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee, { viewport: { width: 1366, height: 800 } });
	for (const locale of ['zh-CN', 'en']) {
		await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: page.url() }]);
		for (const width of [1366, 360]) {
			await page.setViewportSize({ width, height: 800 });
			await page.goto('/dashboard/members');
			await page.waitForLoadState('networkidle');
			expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `${locale} ${width}`).toBe(0);
			const box = page.locator('.scroll-box');
			const wider = await box.evaluate((b) => b.scrollWidth > b.clientWidth + 1);
			// On a laptop every column (the unit last) is in view; where it cannot be, the hint says to scroll.
			if (width === 1366) expect(wider, locale).toBe(false);
			await expect(page.getByTestId('scroll-hint')).toHaveCount(wider ? 1 : 0);
			await page.screenshot({ path: `test-results/screens/members-${width}-${locale}.png`, fullPage: false });
		}
	}
	await page.context().close();
});
