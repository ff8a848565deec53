import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { freshDatabase, makeMember, makeUnit } from '../testing/db';
import { setAreaRetired, listAreas } from './areas';
import { readQuestionSheet } from './formats/template';
import { applyQuestionImport, planQuestionImport, type ImportOptions } from './import';
import { listQuestions } from './questions';

let db: Db;
let editor: number;
beforeEach(async () => {
	db = (await freshDatabase()).db;
	editor = await makeMember(db, { unitId: await makeUnit(db), roles: ['committee'] });
});
afterEach(() => db.destroy());

const header = '题型,题干,选项A,选项B,选项C,选项D,选项E,选项F,选项G,选项H,答案,解析,难度,学习内容领域,出处,原文摘录,复核日期';
const options: ImportOptions = { duplicates: 'skip', defaultDifficulty: 'medium', status: 'active', categoryAreas: {}, fileArea: null, questionAreas: {} };
const sheet = (lines: string[]) => readQuestionSheet(new TextEncoder().encode([header, ...lines].join('\n')), 'q.csv');

const good = [
	'单选,多久组织一次理论测试？,每月,每季度,每半年,每年,,,,,B,每季度。,易,learning_org,001 四(一),每季度组织理论知识测试,',
	'判断,测试在每季度最后一个月组织。,,,,,,,,,对,,,学习型组织建设制度,001 四(一),,',
	'填空,每____最后一个月组织测试。,,,,,,,,,季度,,难,learning_org、charter,001 四(一),,'
];

async function count() {
	return (await listQuestions(db)).total;
}

describe('planQuestionImport', () => {
	it('counts new questions by type and area, applies the default difficulty, and resolves area names', async () => {
		const plan = await planQuestionImport(db, await sheet(good), options);
		expect(plan.problems).toEqual([]);
		expect(plan.creates.map((c) => c.type)).toEqual(['single', 'true_false', 'fill']);
		expect(plan.byType).toEqual({ single: 1, true_false: 1, fill: 1 });
		expect(plan.byArea).toEqual({ learning_org: 3, charter: 1 });
	});

	it('reports unknown and retired areas and missing areas with rows; a question repeated in the file is a warning', async () => {
		const charter = (await listAreas(db)).find((a) => a.code === 'charter');
		await setAreaRetired(db, charter?.id ?? 0, true);
		const plan = await planQuestionImport(
			db,
			await sheet([
				'单选,甲？,a,b,,,,,,,A,,易,没有的领域,001 一,,',
				'单选,乙？,a,b,,,,,,,A,,易,charter,001 一,,',
				'单选,丙？,a,b,,,,,,,A,,易,,001 一,,',
				'单选,丁？,a,b,,,,,,,A,,易,theory,001 一,,',
				'单选,丁 ？,a,b,,,,,,,A,,易,theory,001 一,,'
			]),
			options
		);
		expect(plan.problems.map((p) => [('row' in p ? p.row : 0), p.code, p.value])).toEqual([
			[2, 'unknown_area', '没有的领域'],
			[3, 'area_retired', 'charter'],
			[4, 'no_area', undefined]
		]);
		// 丁 twice (rows 5 and 6, spaces ignored): imported once, at row 5, and both rows are named.
		expect(plan.warnings).toEqual([{ row: 6, code: 'duplicate_in_file', first: { row: 5 } }]);
		expect(plan.creates.map((c) => c.stem)).toEqual(['丁？']);
		expect(plan.arealess).toEqual([{ at: { row: 4 }, key: 'row:4', stem: '丙？', assigned: false }]);
	});

	it('gives questions without an area the file’s area, or one chosen per question, which comes first', async () => {
		const parsed = await sheet(['单选,甲？,a,b,,,,,,,A,,易,,001 一,,', '单选,乙？,a,b,,,,,,,A,,易,,001 一,,', '单选,丙？,a,b,,,,,,,A,,易,theory,001 一,,']);
		expect((await planQuestionImport(db, parsed, options)).problems.map((p) => p.code)).toEqual(['no_area', 'no_area']);
		const fileWide = await planQuestionImport(db, parsed, { ...options, fileArea: 'charter' });
		expect(fileWide.problems).toEqual([]);
		expect(fileWide.creates.map((c) => c.areas)).toEqual([['charter'], ['charter'], ['theory']]);
		const chosen: ImportOptions = { ...options, fileArea: 'charter', questionAreas: { 'row:3': 'learning_org', 'row:4': 'charter' } };
		const perQuestion = await planQuestionImport(db, parsed, chosen);
		expect(perQuestion.creates.map((c) => c.areas)).toEqual([['charter'], ['learning_org'], ['charter']]);
		// Still offered one by one with what was chosen, so that confirming sends the same choices again.
		expect(perQuestion.arealess.map((q) => [q.key, q.assigned])).toEqual([
			['row:2', true],
			['row:3', true]
		]);
		// An unknown code chosen (a stale page) is no area at all, not a crash.
		expect((await planQuestionImport(db, parsed, { ...options, fileArea: 'nope' })).problems.map((p) => p.code)).toEqual(['no_area', 'no_area']);
		expect(await applyQuestionImport(db, editor, parsed, chosen, perQuestion.fingerprint)).toEqual({ ok: true, created: 3, updated: 0, unchanged: 0 });
	});

	it('tags a question with the area a Moodle tag names, and lists the other tags as information', async () => {
		const parsed = await sheet(['单选,甲？,a,b,,,,,,,A,,易,,001 一,,', '单选,乙？,a,b,,,,,,,A,,易,,001 一,,']);
		const charter = (await listAreas(db)).find((a) => a.code === 'charter');
		const tagged = {
			...parsed,
			questions: parsed.questions.map((q, i) => ({ ...q, tags: i === 0 ? ['charter', '第三单元'] : [charter?.nameZh ?? '', '重点'] }))
		};
		const plan = await planQuestionImport(db, tagged, options);
		expect(plan.problems).toEqual([]);
		expect(plan.byArea).toEqual({ charter: 2 });
		expect(plan.tags).toEqual(['重点', '第三单元'].sort());
		expect(plan.categories).toEqual([]);
	});

	it('maps file categories to areas', async () => {
		const parsed = await sheet(['单选,甲？,a,b,,,,,,,A,,易,,001 一,,']);
		const withCategory = { ...parsed, questions: parsed.questions.map((q) => ({ ...q, categories: ['$course$/党章'] })) };
		expect((await planQuestionImport(db, withCategory, options)).problems.map((p) => p.code)).toEqual(['no_area']);
		const mapped = await planQuestionImport(db, withCategory, { ...options, categoryAreas: { '$course$/党章': 'charter' } });
		expect(mapped.problems).toEqual([]);
		expect(mapped.categories).toEqual(['$course$/党章']);
		expect(mapped.byArea).toEqual({ charter: 1 });
	});
});

describe('applyQuestionImport', () => {
	it('writes everything or nothing', async () => {
		const parsed = await sheet([...good, '单选,坏题？,a,b,,,,,,,C,,易,learning_org,001 一,,']);
		const plan = await planQuestionImport(db, parsed, options);
		expect(plan.problems.length).toBeGreaterThan(0);
		const result = await applyQuestionImport(db, editor, parsed, options, plan.fingerprint);
		expect(result).toMatchObject({ ok: false, reason: 'has_problems' });
		expect(await count()).toBe(0);
	});

	it('imports, then skips duplicates (spaces and punctuation ignored) or saves them as new versions', async () => {
		const parsed = await sheet(good);
		const plan = await planQuestionImport(db, parsed, options);
		expect(await applyQuestionImport(db, editor, parsed, options, plan.fingerprint)).toEqual({ ok: true, created: 3, updated: 0, unchanged: 0 });

		const again = await sheet([
			'单选,多久组织一次 理论测试?,每月,每季度,每半年,每年,,,,,B,每季度（见方案）。,中,learning_org,001 四(一),,'
		]);
		const skipPlan = await planQuestionImport(db, again, options);
		expect(skipPlan.creates).toHaveLength(0);
		expect(skipPlan.duplicatesSkipped).toHaveLength(1);
		const updateOptions: ImportOptions = { ...options, duplicates: 'update' };
		const updatePlan = await planQuestionImport(db, again, updateOptions);
		expect(updatePlan.updates).toHaveLength(1);
		expect(await applyQuestionImport(db, editor, again, updateOptions, updatePlan.fingerprint)).toEqual({ ok: true, created: 0, updated: 1, unchanged: 0 });
		const [updated] = (await listQuestions(db, { type: 'single' })).items;
		expect(updated?.version).toBe(2);
		expect(updated?.difficulty).toBe('medium');
		expect(await count()).toBe(3);
	});

	it('refuses a stale preview and writes nothing', async () => {
		const parsed = await sheet(good);
		const plan = await planQuestionImport(db, parsed, options);
		// Someone imports one of the questions in between: the plan is no longer what was previewed.
		const one = await sheet([good[0] ?? '']);
		const onePlan = await planQuestionImport(db, one, options);
		await applyQuestionImport(db, editor, one, options, onePlan.fingerprint);
		const result = await applyQuestionImport(db, editor, parsed, options, plan.fingerprint);
		expect(result).toMatchObject({ ok: false, reason: 'stale' });
		expect(await count()).toBe(1);
	});

	it('imports as drafts when asked', async () => {
		const parsed = await sheet(good);
		const drafts: ImportOptions = { ...options, status: 'draft' };
		await applyQuestionImport(db, editor, parsed, drafts, (await planQuestionImport(db, parsed, drafts)).fingerprint);
		expect((await listQuestions(db, { status: 'draft' })).total).toBe(3);
	});
});

describe('updating questions from formats that say less', () => {
	it('keeps the difficulty, source, review date and areas a file does not give', async () => {
		const parsed = await sheet(['单选,多久组织一次理论测试？,每月,每季度,每半年,每年,,,,,B,每季度。,难,charter,001 四(一),每季度组织理论知识测试,2027-06-30']);
		await applyQuestionImport(db, editor, parsed, options, (await planQuestionImport(db, parsed, options)).fingerprint);
		// The same question as a Moodle/GIFT file would carry it: no difficulty, areas, source or date.
		const bare = { ...parsed, questions: parsed.questions.map((q) => ({ ...q, difficulty: null, areas: [], source: null, reviewBy: null, explanation: '每季度组织一次。' })) };
		const update: ImportOptions = { ...options, duplicates: 'update' };
		const plan = await planQuestionImport(db, bare, update);
		expect(plan.problems).toEqual([]);
		expect(plan.updates.map((u) => u.changed)).toEqual([['explanation']]);
		await applyQuestionImport(db, editor, bare, update, plan.fingerprint);
		const [q] = (await listQuestions(db)).items;
		expect(q).toMatchObject({ version: 2, difficulty: 'hard', reviewBy: '2027-06-30', explanation: '每季度组织一次。' });
		expect(q?.source?.quote).toBe('每季度组织理论知识测试');
		expect(q?.areaIds).toEqual([(await listAreas(db)).find((a) => a.code === 'charter')?.id]);
	});

	it('treats an update that changes nothing as a skip, and an edit after the preview as stale', async () => {
		const parsed = await sheet(good);
		await applyQuestionImport(db, editor, parsed, options, (await planQuestionImport(db, parsed, options)).fingerprint);
		const update: ImportOptions = { ...options, duplicates: 'update' };
		const same = await planQuestionImport(db, parsed, update);
		expect(same.updates).toEqual([]);
		expect(same.duplicatesSkipped).toHaveLength(3);
		const changedFile = await sheet([(good[0] ?? '').replace('每季度。', '按季度。')]);
		const plan = await planQuestionImport(db, changedFile, update);
		const [q] = (await listQuestions(db, { type: 'single' })).items;
		const { reviseQuestion } = await import('./questions');
		if (q) await reviseQuestion(db, editor, q.id, { ...q, explanation: '有人先改了。' });
		expect(await applyQuestionImport(db, editor, changedFile, update, plan.fingerprint)).toMatchObject({ ok: false, reason: 'stale' });
	});
});
