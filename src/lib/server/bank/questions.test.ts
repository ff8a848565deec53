import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { freshDatabase, makeMember, makeUnit } from '../testing/db';
import { areaResolver, createArea, listAreas, renameArea, setAreaRetired } from './areas';
import { fingerprint, normalizeAnswer } from './normalize';
import {
	coverage,
	getQuestion,
	getVersion,
	insertQuestion,
	listQuestions,
	questionHistory,
	reviseMany,
	reviseQuestion,
	setQuestionStatus,
	type QuestionContent
} from './questions';

let db: Db;
let editor: number;
let area: Record<string, number>;

beforeEach(async () => {
	db = (await freshDatabase()).db;
	editor = await makeMember(db, { unitId: await makeUnit(db), name: '组织委员', roles: ['committee'] });
	area = Object.fromEntries((await listAreas(db)).map((a) => [a.code, a.id]));
});
afterEach(() => db.destroy());

function single(overrides: Partial<QuestionContent> = {}): QuestionContent {
	return {
		type: 'single',
		options: ['每月', '每季度', '每半年', '每年'],
		correct: 1,
		stem: '许昌市教育局多久组织一次理论知识测试？',
		explanation: '001 四(一)：每季度组织理论知识测试。',
		difficulty: 'easy',
		areaIds: [area.learning_org ?? 0],
		source: { document: '001', section: '四(一)', quote: '每季度组织理论知识测试' },
		reviewBy: null,
		...overrides
	} as QuestionContent;
}

/** A true/false or fill-in question: the same fields as single() but no options. */
function withoutOptions(key: Record<string, unknown>): QuestionContent {
	const { options: _options, correct: _correct, ...rest } = single() as QuestionContent & { options: string[]; correct: number };
	return { ...rest, ...key } as QuestionContent;
}

describe('content areas', () => {
	it('come with the 13 areas of DESIGN.md, codes and both names', async () => {
		const areas = await listAreas(db);
		expect(areas.map((a) => a.code)).toEqual([
			'theory', 'charter', 'law', 'edu_policy', 'values', 'history', 'integrity', 'ethics', 'profession', 'culture', 'local', 'ecology', 'learning_org'
		]);
		expect(areas.every((a) => a.nameZh && a.nameEn && a.sources)).toBe(true);
	});

	it('are found by code, Chinese name, short Chinese name or English name', async () => {
		const find = areaResolver(await listAreas(db));
		expect(find('theory')?.code).toBe('theory');
		expect(find('政治理论')?.code).toBe('theory');
		expect(find('政治理论（党的创新理论）')?.code).toBe('theory');
		expect(find(' Party constitution, rules and discipline ')?.code).toBe('charter');
		expect(find('没有这个领域')).toBeUndefined();
	});

	it('can be added, renamed and retired; a retired area keeps its questions', async () => {
		const created = await createArea(db, { code: 'safety', nameZh: '校园安全', nameEn: 'School safety', sources: '' });
		expect(created.ok).toBe(true);
		expect(await createArea(db, { code: 'safety', nameZh: '安全', nameEn: 'Safety', sources: '' })).toEqual({ ok: false, field: 'code', problem: 'code_taken' });
		expect(await createArea(db, { code: 'Bad Code', nameZh: 'x', nameEn: 'x', sources: '' })).toMatchObject({ problem: 'invalid_code' });
		// Too long is refused, never cut to fit: the sources too, which used to be shortened without a word.
		const long = (n: number) => '长'.repeat(n);
		expect(await createArea(db, { code: 'long_zh', nameZh: long(41), nameEn: 'x', sources: '' })).toEqual({ ok: false, field: 'nameZh', problem: 'too_long' });
		expect(await createArea(db, { code: 'long_src', nameZh: '出处长', nameEn: 'x', sources: long(201) })).toEqual({ ok: false, field: 'sources', problem: 'too_long' });
		expect((await createArea(db, { code: 'full_src', nameZh: '出处满', nameEn: 'x', sources: long(200) })).ok).toBe(true);
		if (!created.ok) return;
		expect((await renameArea(db, created.id, { nameZh: '平安校园', nameEn: 'Safe schools' })).ok).toBe(true);
		const id = await insertQuestion(db, editor, single({ areaIds: [created.id] }), 'active');
		await setAreaRetired(db, created.id, true);
		expect((await listAreas(db)).some((a) => a.id === created.id)).toBe(false);
		expect((await listAreas(db, { includeRetired: true })).find((a) => a.id === created.id)).toMatchObject({ nameZh: '平安校园', retired: true });
		expect((await getQuestion(db, id))?.areaIds).toEqual([created.id]);
	});
});

describe('questions and versions', () => {
	it('stores and reads back every type', async () => {
		const contents: QuestionContent[] = [
			single(),
			single({ type: 'multiple', options: ['学习', '工作', '娱乐', '调研'], correct: [0, 1, 3] } as Partial<QuestionContent>),
			withoutOptions({ type: 'true_false', correct: false }),
			withoutOptions({ type: 'fill', stem: '每____最后一个月组织测试。', blanks: [['季度', '个季度']] })
		];
		for (const content of contents) {
			const id = await insertQuestion(db, editor, content, 'active');
			const { id: _id, status, version, versionId: _v, updatedAt: _u, ...back } = (await getQuestion(db, id))!;
			expect(back).toEqual(content);
			expect([status, version]).toEqual(['active', 1]);
		}
	});

	it('keeps the version a paper drew when an active question is edited', async () => {
		const id = await insertQuestion(db, editor, single(), 'active');
		const first = (await getQuestion(db, id))!;
		const result = await reviseQuestion(db, editor, id, single({ stem: '许昌市教育局每隔多久组织一次理论测试？' }));
		expect(result).toEqual({ ok: true, version: 2, newVersion: true });
		const now = (await getQuestion(db, id))!;
		expect(now.version).toBe(2);
		expect(now.versionId).not.toBe(first.versionId);
		// Version 1 is untouched: what a member saw stays what they saw.
		expect((await getVersion(db, first.versionId))?.stem).toBe('许昌市教育局多久组织一次理论知识测试？');
	});

	it('edits a draft in place, and saving unchanged content writes nothing', async () => {
		const id = await insertQuestion(db, editor, single(), 'draft');
		expect(await reviseQuestion(db, editor, id, single({ difficulty: 'hard' }))).toEqual({ ok: true, version: 1, newVersion: false });
		expect(await reviseQuestion(db, editor, id, single({ difficulty: 'hard' }))).toEqual({ ok: false, problem: 'unchanged' });
		expect(await db.selectFrom('question_version').select('id').execute()).toHaveLength(1);
	});

	it('records who changed what and when', async () => {
		const id = await insertQuestion(db, editor, single(), 'active', 1000);
		await reviseQuestion(db, editor, id, single({ explanation: '见 001 四(一)。', difficulty: 'medium' }), 2000);
		await setQuestionStatus(db, editor, [id], 'retired', 3000);
		expect(await questionHistory(db, id)).toEqual([
			{ kind: 'version', version: 1, at: 1000, by: '组织委员', changed: [] },
			{ kind: 'version', version: 2, at: 2000, by: '组织委员', changed: ['explanation', 'difficulty'] },
			{ kind: 'status', status: 'retired', at: 3000, by: '组织委员' }
		]);
	});

	it('retags and sets difficulty in bulk as new versions', async () => {
		const a = await insertQuestion(db, editor, single(), 'active');
		const b = await insertQuestion(db, editor, withoutOptions({ stem: '另一道题____？', type: 'fill', blanks: [['答']] }), 'active');
		expect(await reviseMany(db, editor, [a, b], (q) => ({ ...q, areaIds: [area.theory ?? 0, area.charter ?? 0] }))).toBe(2);
		expect((await getQuestion(db, a))?.areaIds.sort()).toEqual([area.theory, area.charter].sort());
		expect((await getQuestion(db, b))?.version).toBe(2);
		expect(await reviseMany(db, editor, [a], (q) => ({ ...q, difficulty: 'hard' }))).toBe(1);
		expect((await getQuestion(db, a))?.difficulty).toBe('hard');
	});
});

describe('listing, search and coverage', () => {
	beforeEach(async () => {
		await insertQuestion(db, editor, single(), 'active');
		await insertQuestion(db, editor, single({ stem: '述学评学采取什么方式？', options: ['座谈和无记名测评表', '点名', '抽查', '考勤'], correct: 0, difficulty: 'hard', areaIds: [area.learning_org ?? 0, area.charter ?? 0], source: { document: '000', section: '四.5', quote: '' } }), 'active');
		await insertQuestion(db, editor, single({ stem: '草稿题：１００％_测试？', reviewBy: '2026-01-01' }), 'draft');
	});

	it('finds Chinese substrings in stems, options and explanations, width-folded', async () => {
		expect((await listQuestions(db, { query: '测评表' })).items.map((q) => q.stem)).toEqual(['述学评学采取什么方式？']);
		expect((await listQuestions(db, { query: '四(一)' })).total).toBe(3); // all three explanations cite it
		expect((await listQuestions(db, { query: '100%_' })).total).toBe(1); // full-width in the stem, LIKE wildcards literal
		expect((await listQuestions(db, { query: '%' })).total).toBe(1);
	});

	it('filters by area, type, difficulty, status, document and review date', async () => {
		expect((await listQuestions(db, { areaId: area.charter })).total).toBe(1);
		expect((await listQuestions(db, { difficulty: 'hard' })).total).toBe(1);
		expect((await listQuestions(db, { status: 'draft' })).total).toBe(1);
		expect((await listQuestions(db, { document: '000' })).total).toBe(1);
		expect((await listQuestions(db, { dueBy: '2026-11-22' })).total).toBe(1);
		expect((await listQuestions(db, { dueBy: '2025-12-31' })).total).toBe(0);
		expect((await listQuestions(db, { type: 'fill' })).total).toBe(0);
		expect((await listQuestions(db, { limit: 1, offset: 1 })).items).toHaveLength(1);
	});

	it('counts active questions per area × type × difficulty', async () => {
		const cells = await coverage(db);
		expect(cells.sort((x, y) => x.areaId - y.areaId || x.difficulty.localeCompare(y.difficulty))).toEqual(
			[
				{ areaId: area.charter, type: 'single', difficulty: 'hard', count: 1 },
				{ areaId: area.learning_org, type: 'single', difficulty: 'easy', count: 1 },
				{ areaId: area.learning_org, type: 'single', difficulty: 'hard', count: 1 }
			].sort((x, y) => (x.areaId ?? 0) - (y.areaId ?? 0) || x.difficulty.localeCompare(y.difficulty))
		);
	});
});

describe('normalisation', () => {
	it('treats stems differing only in spaces, punctuation and width as the same question', () => {
		expect(fingerprint('single', '许昌市教育局，多久组织一次测试？', ['每月', '每季度'])).toBe(fingerprint('single', '许昌市教育局 多久组织一次测试?', ['每月 ', '每季度']));
		expect(fingerprint('true_false', '每季度测试。', [])).not.toBe(fingerprint('fill', '每季度测试。', []));
		expect(fingerprint('fill', 'ＡＢＣ', [])).toBe(fingerprint('fill', 'abc', []));
		expect(fingerprint('fill', '每季度', [])).not.toBe(fingerprint('fill', '每月', []));
	});

	it('matches typed blanks ignoring surrounding spaces and full-width forms', () => {
		expect(normalizeAnswer('  ＡＢ１２ ')).toBe(normalizeAnswer('ab12'));
		expect(normalizeAnswer('季度')).not.toBe(normalizeAnswer('月'));
	});
});

describe('editing conflicts', () => {
	it('refuses a save based on a version that is no longer current', async () => {
		const id = await insertQuestion(db, editor, single(), 'active');
		const base = (await getQuestion(db, id))!.versionId;
		expect((await reviseQuestion(db, editor, id, single({ difficulty: 'hard' }), Date.now(), base)).ok).toBe(true);
		expect(await reviseQuestion(db, editor, id, single({ difficulty: 'medium' }), Date.now(), base)).toEqual({ ok: false, problem: 'conflict' });
		expect((await getQuestion(db, id))?.difficulty).toBe('hard');
	});
});
