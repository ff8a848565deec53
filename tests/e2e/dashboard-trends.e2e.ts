import { expect, test, type Page } from '@playwright/test';
import { e2eRow, e2eRows } from './db';
import { demo, pageAs } from './helpers';

// Trends, mastery and a test's analysis (issue 6) as the committee, a secretary and a member see them. The numbers
// in the trend table are checked against the e2e database, read here and reduced to each member's best submitted
// attempt by this file's own code (not the app's). Other files may take tests or regrade while this one runs, so
// a comparison is retried when the database changed between reading it and reading the page. Only reads.

type Attempt = { id: number; member_id: number; score_cents: number; max_cents: number; passed: number; submitted_at: number; unit_id: number };
type Numbers = { expected: number; takers: number; participation: number | null; mean: number | null; median: number | null; passed: number; passRate: number | null };

const round1 = (x: number) => Math.round(x * 10) / 10;

/** The latest quarterly test that has closed, and the trend numbers of the members whose unit is in `units` (all if undefined). */
async function latestPast(units?: number[]): Promise<{ quarter: string; examId: number; numbers: Numbers }> {
	const now = Date.now();
	const exam = await e2eRow<{ id: number; quarter: string }>("select id, quarter from exam where kind = 'quarterly' and status = 'published' and closes_at <= ? order by quarter desc limit 1", now);
	const others = await e2eRow<{ n: number }>("select count(*) as n from exam where kind = 'quarterly' and status = 'published' and quarter = ? and id <> ?", exam.quarter, exam.id);
	expect(others.n, 'one counted test in the quarter').toBe(0);
	const audience = await e2eRow<{ n: number }>('select count(*) as n from exam_audience where exam_id = ?', exam.id);
	expect(audience.n, 'the demo tests are for everyone').toBe(0);
	const inUnits = (unitId: number) => !units || units.includes(unitId);
	// Best submitted attempt: highest score, then the earlier submission, then the lower id.
	const attempts = await e2eRows<Attempt>(
		'select a.id, a.member_id, a.score_cents, a.max_cents, a.passed, a.submitted_at, m.unit_id from attempt a join member m on m.id = a.member_id where a.exam_id = ? and a.submitted_at is not null and a.score_cents is not null',
		exam.id
	);
	const best = new Map<number, Attempt>();
	for (const a of attempts) {
		const b = best.get(a.member_id);
		if (!b || a.score_cents > b.score_cents || (a.score_cents === b.score_cents && (a.submitted_at < b.submitted_at || (a.submitted_at === b.submitted_at && a.id < b.id)))) best.set(a.member_id, a);
	}
	const results = [...best.values()].filter((a) => inUnits(a.unit_id));
	// Expected: the list stored when the test closed (the audience then: every active member, for the demo's tests)
	// plus anyone who submitted. Members other e2e files create later were not expected at a closed test.
	const listed = await e2eRows<{ id: number; unit_id: number }>('select member_id as id, unit_id from exam_expected where exam_id = ?', exam.id);
	expect(listed.length, 'the expected list is taken at the close').toBeGreaterThan(0);
	const expected = new Set(listed.filter((m) => inUnits(m.unit_id)).map((m) => m.id));
	for (const a of results) expected.add(a.member_id);
	const percents = results.map((a) => (100 * a.score_cents) / a.max_cents).sort((x, y) => x - y);
	const n = percents.length;
	const passed = results.filter((a) => a.passed === 1).length;
	const median = n === 0 ? null : ((percents[Math.floor((n - 1) / 2)] as number) + (percents[Math.ceil((n - 1) / 2)] as number)) / 2;
	return {
		quarter: exam.quarter,
		examId: exam.id,
		numbers: {
			expected: expected.size,
			takers: n,
			participation: expected.size ? round1((n / expected.size) * 100) : null,
			mean: n ? round1(percents.reduce((s, p) => s + p, 0) / n) : null,
			median: median === null ? null : round1(median),
			passed,
			passRate: n ? round1((passed / n) * 100) : null
		}
	};
}

async function unitId(name: string): Promise<number> {
	return (await e2eRow<{ id: number }>('select id from unit where name = ?', name)).id;
}

function quarterName(quarter: string): string {
	return `${quarter.slice(0, 4)}年第${'一二三四'[Number(quarter.slice(5)) - 1]}季度`;
}

const toNumber = (text: string | null) => (text === null || text.trim() === '—' || text.trim() === '' ? null : Number(text.trim()));

/** The cells of the trend table's row for a quarter, in column order after the quarter and the unit. */
async function trendRow(page: Page, quarter: string): Promise<Numbers> {
	const table = page.getByRole('table', { name: '各季度成绩' });
	const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: quarterName(quarter), exact: true }) });
	await expect(row).toHaveCount(1);
	const cells = (await row.locator('td').allTextContents()).slice(1).map(toNumber);
	const [expected, takers, participation, mean, median, passed, passRate] = cells;
	return { expected: expected as number, takers: takers as number, participation: participation ?? null, mean: mean ?? null, median: median ?? null, passed: passed as number, passRate: passRate ?? null };
}

/** Reads the page's numbers and the database's, until both readings of the database agree (nothing changed meanwhile). */
async function pageMatchesDb(page: Page, url: string, units?: number[]) {
	for (let attempt = 0; attempt < 3; attempt++) {
		const before = await latestPast(units);
		await page.goto(url);
		const shown = await trendRow(page, before.quarter);
		const after = await latestPast(units);
		if (JSON.stringify(before) !== JSON.stringify(after)) continue;
		expect(shown).toEqual(before.numbers);
		return before;
	}
	throw new Error('the database kept changing');
}

test('the committee sees the organization’s trend, with the stored numbers and the same in the CSV', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee);
	const { quarter, numbers } = await pageMatchesDb(page, '/dashboard');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('成绩趋势');
	await expect(page.getByRole('heading', { name: '平均分与中位数' })).toBeVisible();
	await expect(page.getByRole('heading', { name: '及格率与参与率' })).toBeVisible();
	// Four past quarters and the open one, each with a mean.
	const rows = page.getByRole('table', { name: '各季度成绩' }).locator('tbody tr');
	expect(await rows.count()).toBeGreaterThanOrEqual(4);
	const means = (await rows.locator('td:nth-of-type(5)').allTextContents()).map(toNumber).filter((x) => x !== null);
	expect(means.length).toBeGreaterThanOrEqual(4);
	expect(numbers.takers).toBeGreaterThan(0);
	// The picker offers the whole organization and every unit.
	await expect(page.getByLabel('单位', { exact: true }).locator('option')).toHaveCount(7);
	// The charts are drawn (Chart.js is loaded on the first chart).
	await expect(page.locator('canvas')).toHaveCount(2);

	// The CSV behind the link has the same row.
	const href = await page.getByRole('link', { name: '下载“各季度成绩”的 CSV 文件' }).getAttribute('href');
	expect(href).toContain('/dashboard/export?');
	for (let attempt = 0; attempt < 3; attempt++) {
		const before = await latestPast();
		const csv = await (await page.request.get(href as string)).text();
		if (JSON.stringify(before) !== JSON.stringify(await latestPast())) continue;
		expect(csv.startsWith('\uFEFF季度,单位,应参加人数,参加人数,参与率（%）,平均分,中位数,及格人数,及格率（%）')).toBe(true);
		const line = csv.split('\r\n').find((l) => l.startsWith(`${quarterName(quarter)},`)) as string;
		const [, unit, ...cells] = line.split(',');
		expect(unit).toBe('全部单位');
		const [expected, takers, participation, mean, median, passed, passRate] = cells.map(toNumber);
		expect({ expected, takers, participation, mean, median, passed, passRate }).toEqual(before.numbers);
		break;
	}

	// A unit picked: the organization and the unit side by side.
	const general = await unitId('县第一中学党总支');
	await page.goto(`/dashboard?unit=${general}`);
	const table = page.getByRole('table', { name: '各季度成绩' });
	await expect(table.getByRole('cell', { name: '县第一中学党总支', exact: true }).first()).toBeVisible();
	await expect(table.getByRole('cell', { name: '全部单位', exact: true }).first()).toBeVisible();
	await page.context().close();
});

test('a secretary sees only their branch, by the picker and by URL', async ({ browser }) => {
	const page = await pageAs(browser, demo.secretary);
	const own = await unitId('第一中学教师第一支部');
	await pageMatchesDb(page, '/dashboard', [own]);
	const options = page.getByLabel('单位', { exact: true }).locator('option');
	await expect(options).toHaveText(['第一中学教师第一支部']);
	const table = page.getByRole('table', { name: '各季度成绩' });
	await expect(table.getByRole('cell', { name: '全部单位' })).toHaveCount(0);
	// Another branch, the 总支 above and the whole organization's root: refused.
	for (const name of ['第一中学教师第二支部', '县第一中学党总支', '某县教育工委']) {
		const id = await unitId(name);
		expect((await page.goto(`/dashboard?unit=${id}`))?.status(), name).toBe(403);
		expect((await page.request.get(`/dashboard/export?unit=${id}&table=trend&format=csv`)).status(), name).toBe(403);
		expect((await page.goto(`/dashboard/mastery?unit=${id}`))?.status(), name).toBe(403);
	}
	// The test page: no item analysis (the committee's), and the units compared are only their own.
	const { examId } = await latestPast();
	await page.goto(`/dashboard/tests/${examId}`);
	await expect(page.getByRole('link', { name: '成绩名单' })).toHaveAttribute('href', `/exams/${examId}/results`);
	await expect(page.getByRole('link', { name: '题目分析' })).toHaveCount(0);
	await expect(page.getByRole('table', { name: '各单位成绩' }).locator('tbody tr')).toHaveCount(1);
	await page.context().close();
});

test('a member is not shown the dashboards', async ({ browser }) => {
	const page = await pageAs(browser, demo.member);
	for (const path of ['/dashboard', '/dashboard/mastery', '/dashboard/tests', '/dashboard/export?table=trend&format=csv']) {
		expect((await page.goto(path))?.status(), path).toBe(403);
	}
	await page.context().close();
});

test('the mastery heat map and a test’s distribution render with their numbers and the pass mark', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee);
	await page.goto('/dashboard/mastery');
	const heat = page.getByRole('table', { name: /^各领域各季度得分率（%），按.+由弱到强排列$/ });
	await expect(heat).toBeVisible();
	// An area per row, a quarter per column (four past and the open one), a number in each cell that had points.
	expect(await heat.locator('thead th').count()).toBeGreaterThanOrEqual(5);
	const cells = await heat.locator('tbody td').allTextContents();
	expect(cells.filter((c) => /^\d+(\.\d)?%$/.test(c)).length).toBeGreaterThan(10);
	await expect(page.getByRole('list', { name: '颜色图例' }).getByRole('listitem')).toHaveCount(6);
	// The weakest area of the chosen quarter is on top: its share is the smallest in that column.
	const { quarter, examId } = await latestPast();
	await expect(page.getByLabel('季度', { exact: true })).toHaveValue(quarter);
	await expect(page.getByRole('heading', { name: `${quarterName(quarter)}各领域得分率（由弱到强）` })).toBeVisible();
	await expect(page.locator('canvas')).toHaveCount(1);

	await page.goto('/dashboard/tests');
	const list = page.getByRole('table', { name: '正式季度测试（最新的在前）' });
	await expect(list.locator('tbody tr')).toHaveCount(5);
	await list.locator(`a[href="/dashboard/tests/${examId}"]`).click();
	await expect(page).toHaveURL(new RegExp(`/dashboard/tests/${examId}$`));
	await expect(page.getByText('及格线 60 分（满分 100 分），折合百分制 60 分，图中以虚线标出。')).toBeVisible();
	await expect(page.getByRole('heading', { name: '分数分布' })).toBeVisible();
	await expect(page.locator('canvas')).toHaveCount(2);
	await expect(page.getByRole('link', { name: '题目分析' })).toHaveAttribute('href', `/dashboard/tests/${examId}/items`);
	// The histogram's table adds up to the takers; the units compared are the root's own members (the committee's
	// account, expected as the demo tests are for everyone) and its three children.
	await page.getByRole('figure', { name: '分数分布' }).getByText('查看数据表').click();
	const counts = (await page.getByRole('table', { name: '各分数段人数' }).locator('tbody td').allTextContents()).map(Number);
	expect(counts).toHaveLength(10);
	expect(counts.reduce((s, n) => s + n, 0)).toBe(Number(await page.locator('.totals div').nth(1).locator('dd').textContent()));
	await expect(page.getByRole('table', { name: '各单位成绩' }).locator('tbody th')).toHaveText(['某县教育工委（本级党员）', '县第一中学党总支', '县实验小学党支部', '县教育局机关党支部']);
	await page.context().close();
});

test('on a phone the heat map opens on the quarter it is sorted by, beside the area names', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee, { viewport: { width: 360, height: 780 } });
	for (const locale of ['zh-CN', 'en']) {
		await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: page.url() }]);
		// The oldest quarter as well as the default (the latest closed): the box scrolls to either.
		for (const pick of ['default', 'first'] as const) {
			await page.goto('/dashboard/mastery');
			if (pick === 'first') {
				const first = await page.locator('#quarter option').first().getAttribute('value');
				await page.goto(`/dashboard/mastery?quarter=${first}`);
			}
			await page.waitForLoadState('networkidle');
			expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), locale).toBe(0);
			const region = page.getByRole('region', { name: locale === 'en' ? /weakest first in/ : /由弱到强排列$/ });
			const box = await region.boundingBox();
			const chosen = await region.locator('thead th.chosen').boundingBox();
			const areaColumn = await region.locator('thead th.area').boundingBox();
			// Wholly in view, right of the sticky area names.
			expect(chosen?.x ?? 0, `${locale} ${pick}`).toBeGreaterThanOrEqual((areaColumn?.x ?? 0) + (areaColumn?.width ?? 0) - 1);
			expect((chosen?.x ?? 0) + (chosen?.width ?? 0), `${locale} ${pick}`).toBeLessThanOrEqual((box?.x ?? 0) + (box?.width ?? 0) + 1);
		}
		await page.screenshot({ path: `test-results/screens/mastery-360-${locale}.png`, fullPage: true });
	}
	await page.context().close();
});
