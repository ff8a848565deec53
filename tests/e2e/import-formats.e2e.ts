import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { e2eRows } from './db';
import { demo, pageAs } from './helpers';

// Issue 17: question files written by other tools come in as a committee expects. An Aiken file has no
// categories and a GIFT file may have none: the preview asks for an area for the whole file (or per question in a
// small file) instead of refusing every question, and a question repeated in the file is imported once with a note.
// Stems here do not contain "E2E": bank.e2e.ts counts the questions matching it.

const file = (name: string, text: string) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(text, 'utf8') });

/** The content-area codes of the current version of each question whose stem starts with `prefix`. */
async function areasOf(prefix: string): Promise<Record<string, string[]>> {
	const rows = await e2eRows<{ stem: string; code: string }>(
		`select v.stem, a.code from question q
		 join question_version v on v.id = q.current_version_id
		 join question_version_area va on va.version_id = v.id
		 join content_area a on a.id = va.area_id
		 where v.stem like ? order by v.stem, a.code`,
		`${prefix}%`
	);
	const out: Record<string, string[]> = {};
	for (const r of rows) out[r.stem] = [...(out[r.stem] ?? []), r.code];
	return out;
}

async function upload(page: Page, f: ReturnType<typeof file>) {
	await page.goto('/bank/import');
	await page.getByLabel('试题文件', { exact: true }).setInputFiles(f);
	await page.getByRole('button', { name: '检查并预览' }).click();
}

test('an Aiken file takes an area for the whole file; a GIFT file without categories one per question; a repeated question is imported once', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee, { viewport: { width: 390, height: 844 } });
	mkdirSync('test-results/screens', { recursive: true });

	// Aiken: no categories at all. Nothing is wrong with the file, so no error table: it asks for an area.
	await upload(
		page,
		file(
			'aiken.txt',
			[
				'Aiken导入：学习型党组织建设把什么摆在首位？',
				'A. 学习',
				'B. 娱乐',
				'C. 休息',
				'ANSWER: A',
				'',
				'Aiken导入：理论测试按什么周期组织？',
				'A. 每月',
				'B. 每季度',
				'ANSWER: B',
				''
			].join('\n')
		)
	);
	await expect(page.getByText('没有领域的试题：2 道')).toBeVisible();
	await expect(page.getByRole('table', { name: '文件中的问题' })).toHaveCount(0);
	await page.getByLabel('整个文件的学习内容领域').selectOption('learning_org');
	await page.getByRole('button', { name: '确认导入 2 题' }).click();
	// A changed choice is shown before anything is written; then the import goes through.
	await expect(page.getByText('导入选项已更改')).toBeVisible();
	await expect(page.getByText('没有领域的试题')).toHaveCount(0);
	await page.getByRole('button', { name: '确认导入 2 题' }).click();
	await expect(page.getByText('导入完成：新增 2 题，更新 0 题。')).toBeVisible();
	expect(await areasOf('Aiken导入')).toEqual({
		'Aiken导入：学习型党组织建设把什么摆在首位？': ['learning_org'],
		'Aiken导入：理论测试按什么周期组织？': ['learning_org']
	});

	// GIFT without $CATEGORY, one question twice: an area per question, the file's for the rest; feedback goes
	// into the explanation.
	await upload(
		page,
		file(
			'questions.gift',
			[
				// No blank lines between questions: valid GIFT, as Moodle reads it.
				'// 没有分类',
				'::q1::GIFT导入：党委中心组每年集中学习不少于几次？{=12次#对 ~6次#少了 ~4次}',
				'::q2::GIFT导入：党员每年集中学习不少于32学时。{T####见《条例》}',
				'::q3::GIFT导入：党委中心组每年集中学习不少于几次？{=12次 ~6次 ~4次}',
				''
			].join('\n')
		)
	);
	await expect(page.getByText('没有领域的试题：2 道')).toBeVisible();
	await expect(page.getByText(/第 4 行与第 2 行的试题相同，只导入一次。/)).toBeVisible();
	await page.screenshot({ path: 'test-results/screens/import-gift-areas-390.png', fullPage: true });
	await page.getByLabel('第 2 行的试题的领域').selectOption('theory');
	await page.getByLabel('整个文件的学习内容领域').selectOption('learning_org');
	await page.getByRole('button', { name: '确认导入 2 题' }).click();
	await expect(page.getByText('导入选项已更改')).toBeVisible();
	await page.getByRole('button', { name: '确认导入 2 题' }).click();
	await expect(page.getByText('导入完成：新增 2 题，更新 0 题。')).toBeVisible();
	expect(await areasOf('GIFT导入')).toEqual({
		'GIFT导入：党委中心组每年集中学习不少于几次？': ['theory'],
		'GIFT导入：党员每年集中学习不少于32学时。': ['learning_org']
	});
	const explanations = await e2eRows<{ explanation: string }>(
		"select v.explanation from question q join question_version v on v.id = q.current_version_id where v.stem like 'GIFT导入%' order by v.stem"
	);
	expect(explanations.map((e) => e.explanation)).toEqual(['见《条例》', '【A】对\n【B】少了']);
	await page.context().close();
});
