import { readdirSync, readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxQuestionFileBytes, type FormatProblem, type ParsedQuestion, type QuestionDraft } from '../types';
import {
	questionsToCsv,
	questionsToXlsx,
	questionTemplateXlsx,
	readQuestionSheet,
	templateColumns,
	type TemplateColumnKey
} from './template';

const headerLine =
	'题型,题干,选项A,选项B,选项C,选项D,选项E,选项F,选项G,选项H,答案,解析,难度,学习内容领域,出处,原文摘录,复核日期';
const zhHeader = headerLine.split(',');
const enHeader = [
	'Type',
	'Stem',
	...'ABCDEFGH'.split('').map((l) => `Option ${l}`),
	'Answer',
	'Explanation',
	'Difficulty',
	'Areas',
	'Source',
	'Quote',
	'Review by'
];

type RowCells = Partial<Record<TemplateColumnKey, string>>;

/** A data row in template column order from the cells that matter to a test. */
function cells(row: RowCells): string[] {
	return templateColumns.map((c) => row[c.key] ?? '');
}

function utf8(text: string): Uint8Array {
	return new TextEncoder().encode(text);
}

/** RFC 4180 quoting, written here by hand so the reader is not only tested against Papa's own output. */
function csvLine(values: string[]): string {
	return values.map((v) => (/[",\r\n]/u.test(v) ? `"${v.replace(/"/gu, '""')}"` : v)).join(',');
}

function csv(rows: string[][], header = zhHeader): Uint8Array {
	return utf8([header, ...rows].map(csvLine).join('\r\n') + '\r\n');
}

async function xlsx(
	rows: ExcelJS.CellValue[][],
	extraSheets: string[] = [],
	compression: 'DEFLATE' | 'STORE' = 'DEFLATE'
): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet('Sheet1');
	rows.forEach((values, i) => {
		values.forEach((value, j) => {
			if (value !== null && value !== undefined && value !== '') sheet.getCell(i + 1, j + 1).value = value;
		});
	});
	// Sheets behind the first tab are not read.
	for (const name of extraSheets) workbook.addWorksheet(name).getCell(1, 1).value = '题型';
	return new Uint8Array(await workbook.xlsx.writeBuffer({ zip: { compression } }));
}

const base = { explanation: '', difficulty: null, areas: [], source: null, reviewBy: null, categories: [] };

function at(row: number, draft: QuestionDraft): ParsedQuestion {
	return { ...draft, at: { row } };
}

const singleRow: RowCells = {
	type: '单选',
	stem: '学习型党组织建设的集中学习一般多久一次？',
	optionA: '每周',
	optionB: '每月',
	optionC: '每季度',
	optionD: '每年',
	answer: 'B',
	explanation: '依据原文。',
	difficulty: '易',
	areas: 'learning_org',
	source: '000 三.1',
	quote: '每月集中学习'
};
const singleDraft: QuestionDraft = {
	type: 'single',
	stem: '学习型党组织建设的集中学习一般多久一次？',
	options: ['每周', '每月', '每季度', '每年'],
	correct: 1,
	explanation: '依据原文。',
	difficulty: 'easy',
	areas: ['learning_org'],
	source: { document: '000', section: '三.1', quote: '每月集中学习' },
	reviewBy: null,
	categories: []
};
const multipleRow: RowCells = {
	type: '多选题',
	stem: '以下哪些是学习形式？',
	optionA: '集中学习',
	optionB: '个人自学',
	optionC: '外出旅游',
	optionD: '专题研讨',
	optionE: '聚餐',
	answer: 'A、B、D',
	difficulty: '中等',
	areas: 'learning_org、theory',
	source: '001　四(一) 第2段'
};
const multipleDraft: QuestionDraft = {
	...base,
	type: 'multiple',
	stem: '以下哪些是学习形式？',
	options: ['集中学习', '个人自学', '外出旅游', '专题研讨', '聚餐'],
	correct: [0, 1, 3],
	difficulty: 'medium',
	areas: ['learning_org', 'theory'],
	source: { document: '001', section: '四(一) 第2段', quote: '' }
};
const trueFalseRow: RowCells = {
	type: '判断',
	stem: '党员应当自觉学习党章。',
	answer: '对',
	difficulty: '难',
	areas: '党章党规党纪, learning_org',
	reviewBy: '2027/1/5'
};
const trueFalseDraft: QuestionDraft = {
	...base,
	type: 'true_false',
	stem: '党员应当自觉学习党章。',
	correct: true,
	difficulty: 'hard',
	areas: ['党章党规党纪', 'learning_org'],
	reviewBy: '2027-01-05'
};
const fillRow: RowCells = {
	type: '填空',
	stem: '全年集中学习不少于（　）次，每次不少于___小时。',
	answer: '12/十二|2',
	reviewBy: '2027.12.31'
};
const fillDraft: QuestionDraft = {
	...base,
	type: 'fill',
	stem: '全年集中学习不少于____次，每次不少于____小时。',
	blanks: [['12', '十二'], ['2']],
	reviewBy: '2027-12-31'
};
const goodRows = [singleRow, multipleRow, trueFalseRow, fillRow];
const goodDrafts = [singleDraft, multipleDraft, trueFalseDraft, fillDraft];
const goodParsed = goodDrafts.map((d, i) => at(i + 2, d));

/** Reads one data row (row 2) of a CSV and returns what came back. */
async function readRow(row: RowCells): Promise<{ questions: ParsedQuestion[]; problems: FormatProblem[] }> {
	const { questions, problems } = await readQuestionSheet(csv([cells(row)]), 'q.csv');
	return { questions, problems };
}

async function problemsOf(row: RowCells): Promise<FormatProblem[]> {
	const result = await readRow(row);
	// A row with problems is never half imported.
	if (result.problems.length > 0) expect(result.questions).toEqual([]);
	return result.problems;
}

describe('templateColumns', () => {
	it('lists the 17 columns in template order with Chinese and English headers', () => {
		expect(templateColumns.map((c) => c.zh)).toEqual(zhHeader);
		expect(templateColumns.map((c) => c.en)).toEqual(enHeader);
		expect(templateColumns.filter((c) => c.required).map((c) => c.key)).toEqual(['type', 'stem', 'answer']);
		expect(templateColumns.map((c) => c.key)).toEqual([
			'type',
			'stem',
			'optionA',
			'optionB',
			'optionC',
			'optionD',
			'optionE',
			'optionF',
			'optionG',
			'optionH',
			'answer',
			'explanation',
			'difficulty',
			'areas',
			'source',
			'quote',
			'reviewBy'
		]);
	});
});

describe('readQuestionSheet: good files', () => {
	it('reads a good xlsx (first worksheet), with date, number, rich text and full-width cells', async () => {
		const rows: ExcelJS.CellValue[][] = [zhHeader, ...goodRows.map(cells)];
		const single = rows[1];
		const multiple = rows[2];
		const trueFalse = rows[3];
		if (!single || !multiple || !trueFalse) throw new Error('rows');
		single[10] = ' Ｂ '; // full-width letter with spaces around it
		single[1] = { richText: [{ text: '学习型党组织建设的集中学习' }, { font: { bold: true }, text: '一般多久一次？' }] };
		multiple[10] = 'a,b，d';
		trueFalse[16] = new Date(Date.UTC(2027, 0, 5));
		trueFalse[10] = true; // Excel turns a typed TRUE into a boolean cell
		const numbers: ExcelJS.CellValue[] = cells({ type: 'single', stem: '1+1=？', answer: 'b' });
		numbers[2] = 1;
		numbers[3] = 2;
		rows.push(numbers);
		const result = await readQuestionSheet(await xlsx(rows, ['其他']), 'questions.XLSX');
		expect(result).toEqual({
			questions: [
				...goodParsed,
				at(6, { ...base, type: 'single', stem: '1+1=？', options: ['1', '2'], correct: 1 })
			],
			problems: [],
			skipped: []
		});
	});

	it('reads a UTF-8 CSV with BOM and CRLF', async () => {
		const bytes = utf8('\uFEFF' + [zhHeader, ...goodRows.map(cells)].map(csvLine).join('\r\n') + '\r\n');
		expect(await readQuestionSheet(bytes, 'questions.csv')).toEqual({
			questions: goodParsed,
			problems: [],
			skipped: []
		});
	});

	it('reads a UTF-8 CSV without BOM and with LF line ends', async () => {
		const bytes = utf8([zhHeader, ...goodRows.map(cells)].map(csvLine).join('\n'));
		expect(await readQuestionSheet(bytes, 'QUESTIONS.CSV')).toEqual({
			questions: goodParsed,
			problems: [],
			skipped: []
		});
	});

	it('reads a GBK CSV as saved by Chinese Excel', async () => {
		const bytes = new Uint8Array(readFileSync(new URL('./fixtures/questions-gbk.csv', import.meta.url)));
		// The fixture really is not UTF-8, so this exercises the fallback.
		expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
		expect(await readQuestionSheet(bytes, 'questions-gbk.csv')).toEqual({
			questions: [
				at(2, {
					...base,
					type: 'single',
					stem: '学习型党组织建设的学习时间一般安排在什么时候？',
					options: ['每周', '每月', '每季度', '每年'],
					correct: 1,
					explanation: '依据原文。',
					difficulty: 'easy',
					areas: ['learning_org'],
					source: { document: '000', section: '三.1', quote: '每月集中学习' }
				}),
				at(3, { ...trueFalseDraft, difficulty: 'medium' }),
				at(4, { ...fillDraft, difficulty: 'hard', areas: ['learning_org'], source: { document: '001', section: '四(一)', quote: '' }, reviewBy: null })
			],
			problems: [],
			skipped: []
		});
	});

	it('reads UTF-16 tab-separated text (Excel "Unicode 文本") and semicolon-separated CSV', async () => {
		const text = [zhHeader, ...goodRows.map(cells)].map((r) => r.join('\t')).join('\r\n');
		const utf16 = new Uint8Array(2 + text.length * 2);
		utf16[0] = 0xff;
		utf16[1] = 0xfe;
		for (let i = 0; i < text.length; i++) {
			const code = text.charCodeAt(i);
			utf16[2 + 2 * i] = code & 0xff;
			utf16[3 + 2 * i] = code >> 8;
		}
		expect((await readQuestionSheet(utf16, 'q.csv')).questions).toEqual(goodParsed);
		const semicolons = [zhHeader, ...goodRows.map(cells)]
			.map((r) => r.map((v) => (/[;"]/u.test(v) ? `"${v}"` : v)).join(';'))
			.join('\n');
		expect((await readQuestionSheet(utf8(semicolons), 'q.csv')).questions).toEqual(goodParsed);
	});

	it('accepts English headers in any letter case, reordered, with unknown columns and missing optional ones', async () => {
		const header = ['ANSWER', ' stem ', 'Notes', 'type', 'OptionA', 'option b', 'Review By'];
		const rows = [
			['b', '哪一个？', '随便写', 'Single', '甲', '乙', ''],
			['True', '这是对的。', '', 'TRUE_FALSE', '', '', '2027-3-1'],
			['f', '这是错的。', '', 'true-false', '', '', '']
		];
		expect(await readQuestionSheet(csv(rows, header), 'q.csv')).toEqual({
			questions: [
				at(2, { ...base, type: 'single', stem: '哪一个？', options: ['甲', '乙'], correct: 1 }),
				at(3, { ...base, type: 'true_false', stem: '这是对的。', correct: true, reviewBy: '2027-03-01' }),
				at(4, { ...base, type: 'true_false', stem: '这是错的。', correct: false })
			],
			problems: [],
			skipped: []
		});
		const bytes = await xlsx([enHeader, ...goodRows.map(cells)]);
		expect((await readQuestionSheet(bytes, 'q.xlsx')).questions).toEqual(goodParsed);
	});

	it('skips blank rows (also above the header and with only an unknown column filled) keeping sheet row numbers', async () => {
		const bytes = utf8(
			[
				',,',
				[...zhHeader, '备注'].join(','),
				csvLine(cells(singleRow)),
				'',
				' , ,\u3000',
				csvLine([...cells({}), '只有备注']),
				csvLine(cells(trueFalseRow))
			].join('\r\n')
		);
		expect((await readQuestionSheet(bytes, 'q.csv')).questions).toEqual([
			at(3, singleDraft),
			at(7, trueFalseDraft)
		]);
	});

	it('trims cells, including full-width spaces, NBSP and zero-width spaces, and joins CRLF inside cells to LF', async () => {
		const { questions, problems } = await readRow({
			type: '\u3000判断题 ',
			stem: '\u00a0第一行\r\n第二行\u200b',
			answer: ' √\u3000',
			explanation: '\u3000 '
		});
		expect(problems).toEqual([]);
		expect(questions).toEqual([at(2, { ...base, type: 'true_false', stem: '第一行\n第二行', correct: true })]);
	});

	it('understands every type, true/false and difficulty word', async () => {
		const types: [string, string][] = [
			['单选', 'single'],
			['单选题', 'single'],
			['SINGLE', 'single'],
			['多选', 'multiple'],
			['多选题', 'multiple'],
			['Multiple', 'multiple'],
			['判断', 'true_false'],
			['判断题', 'true_false'],
			['true_false', 'true_false'],
			['True-False', 'true_false'],
			['truefalse', 'true_false'],
			['填空', 'fill'],
			['填空题', 'fill'],
			['FILL', 'fill']
		];
		for (const [word, type] of types) {
			const answer = { single: 'A', multiple: 'AB', true_false: '对', fill: 'x' }[type];
			const { questions, problems } = await readRow({ type: word, stem: '题___', optionA: '甲', optionB: '乙', answer });
			expect(problems, word).toEqual([]);
			expect(questions[0]?.type, word).toBe(type);
		}
		const truths: [string, boolean][] = [
			['对', true],
			['正确', true],
			['√', true],
			['✓', true],
			['T', true],
			['true', true],
			['TRUE', true],
			['是', true],
			['错', false],
			['错误', false],
			['×', false],
			['✗', false],
			['f', false],
			['False', false],
			['否', false]
		];
		for (const [word, correct] of truths) {
			const { questions } = await readRow({ type: '判断', stem: '题', answer: word });
			expect(questions[0], word).toMatchObject({ type: 'true_false', correct });
		}
		const levels: [string, string | null][] = [
			['易', 'easy'],
			['容易', 'easy'],
			['简单', 'easy'],
			['Easy', 'easy'],
			['中', 'medium'],
			['中等', 'medium'],
			['一般', 'medium'],
			['MEDIUM', 'medium'],
			['难', 'hard'],
			['困难', 'hard'],
			['较难', 'hard'],
			['hard', 'hard'],
			['', null]
		];
		for (const [word, difficulty] of levels) {
			const { questions } = await readRow({ type: '判断', stem: '题', answer: '对', difficulty: word });
			expect(questions[0]?.difficulty, word).toBe(difficulty);
		}
	});

	it('reads answer letters in any case, width and separator', async () => {
		const options = { optionA: '甲', optionB: '乙', optionC: '丙', optionD: '丁' };
		for (const answer of ['ACD', 'A,C,D', 'A、C、D', 'a c d', 'Ａ，Ｃ；Ｄ', 'DCA', 'A/C/D', 'ACDA']) {
			const { questions, problems } = await readRow({ type: '多选', stem: '题', ...options, answer });
			expect(problems, answer).toEqual([]);
			expect(questions[0], answer).toMatchObject({ correct: [0, 2, 3] });
		}
		for (const answer of ['c', ' C ', 'Ｃ', 'ｃ']) {
			const { questions } = await readRow({ type: '单选', stem: '题', ...options, answer });
			expect(questions[0], answer).toMatchObject({ correct: 2 });
		}
	});

	it('normalises every blank marker of a fill stem to ____', async () => {
		const cases: [string, string, number][] = [
			['甲___乙', '甲____乙', 1],
			['甲______乙', '甲____乙', 1],
			['甲＿＿＿乙', '甲____乙', 1],
			['甲（　）乙( )丙（）丁【】戊【 】', '甲____乙____丙____丁____戊____', 5],
			['（ ）开头', '____开头', 1],
			// Adjacent markers stay two blanks, and stray underscores next to a marker belong to it.
			['甲（）（）乙', '甲____ ____乙', 2],
			['甲__（）__乙', '甲____乙', 1],
			['甲___（）乙', '甲____ ____乙', 2],
			// Brackets with text inside are not blanks.
			['甲（示例）___', '甲（示例）____', 1]
		];
		for (const [stem, stored, count] of cases) {
			const answer = Array.from({ length: count }, (_, i) => `答${i}`).join('|');
			const { questions, problems } = await readRow({ type: '填空', stem, answer });
			expect(problems, stem).toEqual([]);
			expect(questions[0], stem).toMatchObject({ stem: stored });
			// The stored stem is already normal: it reads back unchanged.
			const again = await readRow({ type: '填空', stem: stored, answer });
			expect(again.questions[0]?.stem, stored).toBe(stored);
		}
		// Only fill stems are touched.
		const { questions } = await readRow({ type: '判断', stem: '甲（　）乙', answer: '对' });
		expect(questions[0]?.stem).toBe('甲（　）乙');
	});

	it('reads fill answers with full-width separators, trimming and dropping empty alternatives', async () => {
		const { questions, problems } = await readRow({
			type: '填空',
			stem: '___和___',
			answer: ' 季度 ／ 季 // ｜ 最后一个月/末月/ '
		});
		expect(problems).toEqual([]);
		expect(questions[0]).toMatchObject({ blanks: [['季度', '季'], ['最后一个月', '末月']] });
	});

	it('ignores option text for true/false and fill questions', async () => {
		const { questions, problems } = await readRow({ type: '判断', stem: '题', optionA: '甲', optionC: '丙', answer: '错' });
		expect(problems).toEqual([]);
		expect(questions).toEqual([at(2, { ...base, type: 'true_false', stem: '题', correct: false })]);
	});

	it('splits areas on 、 , ， ; ； / and line breaks, keeps spaces inside names, and drops repeats', async () => {
		const { questions } = await readRow({
			type: '判断',
			stem: '题',
			answer: '对',
			areas: 'theory、charter,law，values;history；ethics/culture\nPolitical theory ， theory'
		});
		expect(questions[0]?.areas).toEqual(['theory', 'charter', 'law', 'values', 'history', 'ethics', 'culture', 'Political theory']);
	});


	it('reads review dates in the accepted forms', async () => {
		const dates: [string, string][] = [
			['2027-03-01', '2027-03-01'],
			['2027-3-1', '2027-03-01'],
			['2027/3/1', '2027-03-01'],
			['2027.03.01', '2027-03-01'],
			['2027年3月1日', '2027-03-01'],
			['２０２８／２／２９', '2028-02-29'],
			['2000-2-29', '2000-02-29']
		];
		for (const [text, iso] of dates) {
			const { questions, problems } = await readRow({ type: '判断', stem: '题', answer: '对', reviewBy: text });
			expect(problems, text).toEqual([]);
			expect(questions[0]?.reviewBy, text).toBe(iso);
		}
	});
});

describe('readQuestionSheet: problems', () => {
	it('reports each missing required column on the header row and nothing else', async () => {
		const header = ['题干', '选项A', '解析'];
		const result = await readQuestionSheet(csv([['题', '', '']], header), 'q.csv');
		expect(result).toEqual({
			questions: [],
			problems: [
				{ row: 1, code: 'missing_column', column: '题型', value: '' },
				{ row: 1, code: 'missing_column', column: '答案', value: '' }
			],
			skipped: []
		});
		const bytes = await xlsx([['说明', '其他'], ['x', 'y']]);
		expect((await readQuestionSheet(bytes, 'q.xlsx')).problems.map((p) => ['row' in p ? p.row : null, p.code, p.column])).toEqual([
			[1, 'missing_column', '题型'],
			[1, 'missing_column', '题干'],
			[1, 'missing_column', '答案']
		]);
	});

	it('reports a missing answer', async () => {
		expect(await problemsOf({ ...singleRow, answer: '' })).toEqual([
			{ row: 2, code: 'missing_answer', column: '答案', value: '' }
		]);
		expect(await problemsOf({ ...trueFalseRow, answer: ' ' })).toEqual([
			{ row: 2, code: 'missing_answer', column: '答案', value: '' }
		]);
		// A fill answer whose middle blank has no alternative left.
		expect(await problemsOf({ type: '填空', stem: '___、___和___', answer: '甲| / |丙' })).toEqual([
			{ row: 2, code: 'missing_answer', column: '答案', value: '甲| / |丙' }
		]);
	});

	it('reports an answer letter that is not among the options', async () => {
		const options = { optionA: '甲', optionB: '乙', optionC: '丙', optionD: '丁' };
		expect(await problemsOf({ type: '单选', stem: '题', ...options, answer: 'E' })).toEqual([
			{ row: 2, code: 'answer_not_an_option', column: '答案', value: 'E' }
		]);
		expect(await problemsOf({ type: '多选', stem: '题', ...options, answer: 'A,B,F' })).toEqual([
			{ row: 2, code: 'answer_not_an_option', column: '答案', value: 'A,B,F' }
		]);
		expect(await problemsOf({ type: '单选', stem: '题', ...options, answer: 'X' })).toEqual([
			{ row: 2, code: 'answer_not_an_option', column: '答案', value: 'X' }
		]);
		expect(await problemsOf({ type: '单选', stem: '题', ...options, answer: '1' })).toEqual([
			{ row: 2, code: 'answer_not_an_option', column: '答案', value: '1' }
		]);
	});

	it('reports every problem code with its row, Chinese column and value', async () => {
		const long = (n: number) => '长'.repeat(n);
		const options = { optionA: '甲', optionB: '乙', optionC: '丙', optionD: '丁' };
		const cases: [RowCells, FormatProblem[]][] = [
			[{ ...singleRow, type: '' }, [{ row: 2, code: 'required', column: '题型', value: '' }]],
			[{ ...singleRow, type: '问答' }, [{ row: 2, code: 'invalid_type', column: '题型', value: '问答' }]],
			[{ ...singleRow, stem: '' }, [{ row: 2, code: 'required', column: '题干', value: '' }]],
			[
				{ ...trueFalseRow, stem: long(2001) },
				[{ row: 2, code: 'too_long', column: '题干', value: long(100) + '…' }]
			],
			[{ ...trueFalseRow, explanation: long(2001) }, [{ row: 2, code: 'too_long', column: '解析', value: long(100) + '…' }]],
			[{ ...singleRow, optionC: long(501) }, [{ row: 2, code: 'too_long', column: '选项C', value: long(100) + '…' }]],
			[{ ...singleRow, quote: long(501) }, [{ row: 2, code: 'too_long', column: '原文摘录', value: long(100) + '…' }]],
			[
				{ type: '单选', stem: '题', optionA: '甲', answer: 'A' },
				[{ row: 2, code: 'too_few_options', column: '选项B', value: '1' }]
			],
			[
				{ type: '多选', stem: '题', answer: 'AB' },
				[
					{ row: 2, code: 'too_few_options', column: '选项A', value: '0' },
					{ row: 2, code: 'answer_not_an_option', column: '答案', value: 'AB' }
				]
			],
			[
				{ type: '单选', stem: '题', optionA: '甲', optionC: '丙', optionD: '丁', answer: 'C' },
				[{ row: 2, code: 'gap_in_options', column: '选项B', value: '' }]
			],
			[
				{ type: '单选', stem: '题', optionB: '乙', optionD: '丁', answer: 'A' },
				[
					{ row: 2, code: 'gap_in_options', column: '选项A', value: '' },
					{ row: 2, code: 'gap_in_options', column: '选项C', value: '' },
					{ row: 2, code: 'answer_not_an_option', column: '答案', value: 'A' }
				]
			],
			[{ type: '单选', stem: '题', ...options, answer: 'AB' }, [{ row: 2, code: 'answer_needs_one', column: '答案', value: 'AB' }]],
			[{ type: '多选', stem: '题', ...options, answer: 'c' }, [{ row: 2, code: 'answer_needs_two', column: '答案', value: 'c' }]],
			[{ type: '多选', stem: '题', ...options, answer: 'CC' }, [{ row: 2, code: 'answer_needs_two', column: '答案', value: 'CC' }]],
			[{ ...trueFalseRow, answer: '也许' }, [{ row: 2, code: 'invalid_true_false', column: '答案', value: '也许' }]],
			// Words that are properties of every JavaScript object are still just unknown words.
			[
				{ ...trueFalseRow, type: 'constructor', difficulty: '__proto__' },
				[
					{ row: 2, code: 'invalid_type', column: '题型', value: 'constructor' },
					{ row: 2, code: 'invalid_difficulty', column: '难度', value: '__proto__' }
				]
			],
			[{ ...trueFalseRow, answer: 'constructor' }, [{ row: 2, code: 'invalid_true_false', column: '答案', value: 'constructor' }]],
			[{ ...fillRow, answer: '12' }, [{ row: 2, code: 'blank_count_mismatch', column: '答案', value: '12' }]],
			[{ ...fillRow, answer: '1|2|3' }, [{ row: 2, code: 'blank_count_mismatch', column: '答案', value: '1|2|3' }]],
			[{ type: '填空', stem: '没有空', answer: '甲' }, [{ row: 2, code: 'no_blanks', column: '题干', value: '没有空' }]],
			[{ type: '填空', stem: '只有两条__线', answer: '甲' }, [{ row: 2, code: 'no_blanks', column: '题干', value: '只有两条__线' }]],
			[{ ...trueFalseRow, difficulty: '超难' }, [{ row: 2, code: 'invalid_difficulty', column: '难度', value: '超难' }]],
			[{ ...trueFalseRow, reviewBy: '2027-02-29' }, [{ row: 2, code: 'invalid_date', column: '复核日期', value: '2027-02-29' }]],
			[{ ...trueFalseRow, reviewBy: '1900-02-29' }, [{ row: 2, code: 'invalid_date', column: '复核日期', value: '1900-02-29' }]],
			[{ ...trueFalseRow, reviewBy: '2027-04-31' }, [{ row: 2, code: 'invalid_date', column: '复核日期', value: '2027-04-31' }]],
			[{ ...trueFalseRow, reviewBy: '2027/13/1' }, [{ row: 2, code: 'invalid_date', column: '复核日期', value: '2027/13/1' }]],
			[{ ...trueFalseRow, reviewBy: '2027-3/1' }, [{ row: 2, code: 'invalid_date', column: '复核日期', value: '2027-3/1' }]],
			[{ ...trueFalseRow, reviewBy: '明年' }, [{ row: 2, code: 'invalid_date', column: '复核日期', value: '明年' }]],
			[{ ...singleRow, source: '000' }, [{ row: 2, code: 'invalid_source', column: '出处', value: '000' }]],
			[{ ...singleRow, source: '' }, [{ row: 2, code: 'invalid_source', column: '出处', value: '' }]]
		];
		for (const [row, expected] of cases) {
			expect(await problemsOf(row), JSON.stringify(row).slice(0, 120)).toEqual(expected);
		}
	});

	it('reports all problems of a row, leaves the row out and keeps the good rows', async () => {
		const bad: RowCells = {
			type: '单选',
			stem: '题',
			optionA: '甲',
			answer: '',
			difficulty: '?',
			reviewBy: '2027-02-30',
			quote: '没有出处的摘录'
		};
		const result = await readQuestionSheet(csv([cells(singleRow), cells(bad), cells(fillRow)]), 'q.csv');
		expect(result.questions).toEqual([at(2, singleDraft), at(4, fillDraft)]);
		expect(result.problems).toEqual([
			{ row: 3, code: 'missing_answer', column: '答案', value: '' },
			{ row: 3, code: 'too_few_options', column: '选项B', value: '1' },
			{ row: 3, code: 'invalid_difficulty', column: '难度', value: '?' },
			{ row: 3, code: 'invalid_source', column: '出处', value: '' },
			{ row: 3, code: 'invalid_date', column: '复核日期', value: '2027-02-30' }
		]);
	});

	it('reports problems in an xlsx with the spreadsheet row', async () => {
		const bytes = await xlsx([zhHeader, cells(singleRow), [], cells({ ...singleRow, answer: 'E' })]);
		expect(await readQuestionSheet(bytes, 'q.xlsx')).toEqual({
			questions: [at(2, singleDraft)],
			problems: [{ row: 4, code: 'answer_not_an_option', column: '答案', value: 'E' }],
			skipped: []
		});
	});

	it('reports an empty file', async () => {
		const empty = [{ row: 1, code: 'file_empty' }];
		expect((await readQuestionSheet(new Uint8Array(0), 'q.csv')).problems).toEqual(empty);
		expect((await readQuestionSheet(new Uint8Array(0), 'q.xlsx')).problems).toEqual(empty);
		expect((await readQuestionSheet(utf8('\uFEFF \r\n\r\n'), 'q.csv')).problems).toEqual(empty);
		// Only the header, or only blank rows under it: nothing to import.
		expect((await readQuestionSheet(utf8(headerLine + '\r\n,,,\r\n'), 'q.csv')).problems).toEqual(empty);
		expect((await readQuestionSheet(await xlsx([zhHeader]), 'q.xlsx')).problems).toEqual(empty);
		expect((await readQuestionSheet(await xlsx([]), 'q.xlsx')).problems).toEqual(empty);
	});

	it('reports an unreadable file: wrong extension, corrupt xlsx, unclosed quote', async () => {
		const good = csv([cells(singleRow)]);
		expect((await readQuestionSheet(good, 'q.xls')).problems).toEqual([
			{ row: 1, code: 'file_unreadable', value: '.xls' }
		]);
		expect((await readQuestionSheet(good, 'questions')).problems).toEqual([
			{ row: 1, code: 'file_unreadable', value: '' }
		]);
		expect((await readQuestionSheet(good, 'q.xlsx')).problems).toEqual([{ row: 1, code: 'file_unreadable' }]);
		const workbook = await xlsx([zhHeader, cells(singleRow)]);
		expect((await readQuestionSheet(workbook.slice(0, workbook.length / 2), 'q.xlsx')).problems).toEqual([
			{ row: 1, code: 'file_unreadable' }
		]);
		const unclosed = utf8(`${headerLine}\r\n${csvLine(cells(singleRow))}\r\n判断,"没有结尾的引号,,,,,,,,,对\r\n`);
		const result = await readQuestionSheet(unclosed, 'q.csv');
		expect(result.questions).toEqual([]);
		expect(result.problems).toEqual([{ row: 3, code: 'file_unreadable' }]);
	});

	it('refuses more than 20,000 questions with one problem, and accepts 20,000', async () => {
		const line = csvLine(cells(trueFalseRow));
		const make = (n: number) => utf8(headerLine + '\r\n' + Array.from({ length: n }, () => line).join('\r\n'));
		expect(await readQuestionSheet(make(20_001), 'q.csv')).toEqual({
			questions: [],
			problems: [{ row: 1, code: 'file_too_large', value: '>20000' }],
			skipped: []
		});
		const ok = await readQuestionSheet(make(20_000), 'q.csv');
		expect(ok.problems).toEqual([]);
		expect(ok.questions).toHaveLength(20_000);
		expect(ok.questions.at(-1)?.at).toEqual({ row: 20_001 });
	});

	it('refuses a file over the upload limit without parsing it', async () => {
		const bytes = new Uint8Array(maxQuestionFileBytes + 1);
		expect((await readQuestionSheet(bytes, 'q.csv')).problems).toEqual([
			{ row: 1, code: 'file_too_large', value: String(maxQuestionFileBytes + 1) }
		]);
	});

	it('returns a problem for 10 MB of junk, whatever the name', async () => {
		// A fixed xorshift sequence: the same junk on every run.
		let seed = 0x9e3779b9;
		const junk = new Uint8Array(maxQuestionFileBytes);
		for (let i = 0; i < junk.length; i++) {
			seed ^= seed << 13;
			seed ^= seed >>> 17;
			seed ^= seed << 5;
			junk[i] = seed & 0xff;
		}
		// Printable junk with commas and line breaks, under a real header: many rows instead of one.
		const text = new Uint8Array(maxQuestionFileBytes);
		const header = utf8(headerLine + '\n');
		text.set(header);
		const alphabet = utf8('abcA1 ,\n');
		for (let i = header.length; i < text.length; i++) text[i] = alphabet[junk[i]! % alphabet.length]!;
		for (const [bytes, name] of [
			[junk, 'junk.csv'],
			[junk, 'junk.xlsx'],
			[text, 'junk.csv']
		] as const) {
			const result = await readQuestionSheet(bytes, name);
			expect(result.problems.length, name).toBeGreaterThan(0);
			if (bytes === text) expect(result.problems).toEqual([{ row: 1, code: 'file_too_large', value: '>20000' }]);
		}
	});
});

// ---------------------------------------------------------------------------------------------------------------
// Export and round trips

/** The reader's own trimming, so generated text is already what a cell reads as. */
function trimLikeReader(text: string): string {
	return text.replace(/^[\s\u200b]+|[\s\u200b]+$/gu, '');
}

// Characters that stress CSV quoting, the xlsx escapes, the separators and the blank markers.
const tricky = [
	'a',
	'Z',
	'x',
	'0',
	'5',
	'F',
	'中',
	'文',
	'对',
	'，',
	',',
	'"',
	"'",
	'、',
	'|',
	'｜',
	'/',
	'／',
	';',
	'；',
	' ',
	'\u3000',
	'\u00a0',
	'\n',
	'\t',
	'=',
	'+',
	'-',
	'@',
	'😀',
	'_',
	'＿',
	'(',
	')',
	'（',
	'）',
	'【',
	'】',
	'é',
	'#',
	'_x0041_',
	'_x005F_',
	'_x0041_x0042_',
	'____',
	'（　）'
];

function textOf(exclude: RegExp, minLength: number): fc.Arbitrary<string> {
	const units = tricky.filter((u) => !exclude.test(u));
	return fc
		.string({ unit: fc.constantFrom(...units), maxLength: 12 })
		.map(trimLikeReader)
		.filter((s) => [...s].length >= minLength);
}

const nothing = /$^/u;
const anyText = textOf(nothing, 0);
const someText = textOf(nothing, 1);
// Fill stems get their blanks from the generator; the text between must hold no marker of its own.
const fillSafe = /[_＿()（）【】]/u;
const alternative = textOf(/[|｜/／]/u, 1);
const area = textOf(/[、,，;；/／\s]/u, 1);
const documentName = textOf(/\s/u, 1);

const commonFields = fc.record({
	explanation: anyText,
	difficulty: fc.constantFrom(null, 'easy' as const, 'medium' as const, 'hard' as const),
	areas: fc.uniqueArray(area, { maxLength: 3 }),
	source: fc.option(fc.record({ document: documentName, section: someText, quote: anyText }), { nil: null }),
	reviewBy: fc.option(
		fc
			.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
			.map((d) => d.toISOString().slice(0, 10)),
		{ nil: null }
	),
	categories: fc.constant([] as string[])
});

const choiceKey = fc.array(someText, { minLength: 2, maxLength: 8 }).chain((options) =>
	fc.oneof(
		fc.nat(options.length - 1).map((correct) => ({ type: 'single' as const, options, correct })),
		fc
			.uniqueArray(fc.nat(options.length - 1), { minLength: 2, maxLength: options.length })
			.map((correct) => ({ type: 'multiple' as const, options, correct: correct.sort((a, b) => a - b) }))
	)
);

const fillStem = fc
	.tuple(
		textOf(fillSafe, 0),
		fc.array(fc.tuple(textOf(fillSafe, 0), textOf(fillSafe, 1)), { minLength: 1, maxLength: 3 })
	)
	.map(([first, rest]) => {
		// Text between two blanks must not be empty (it would join them), but may be a space.
		const parts = rest.map(([between, after], i) => (i === 0 ? '' : between || ' ') + '____' + after);
		return trimLikeReader(first + parts.join(''));
	});

const draft: fc.Arbitrary<QuestionDraft> = fc.oneof(
	fc.tuple(choiceKey, someText, commonFields).map(([key, stem, common]) => ({ ...key, stem, ...common })),
	fc
		.tuple(fc.boolean(), someText, commonFields)
		.map(([correct, stem, common]) => ({ type: 'true_false' as const, correct, stem, ...common })),
	fc.tuple(fillStem, commonFields).chain(([stem, common]) =>
		fc
			.array(fc.array(alternative, { minLength: 1, maxLength: 3 }), {
				minLength: stem.split('____').length - 1,
				maxLength: stem.split('____').length - 1
			})
			.map((blanks) => ({ type: 'fill' as const, stem, blanks, ...common }))
	)
);

describe('export', () => {
	it('writes the CSV with a BOM, the Chinese header line and the answers as the reader reads them', () => {
		const text = questionsToCsv(goodDrafts);
		expect(text.startsWith('\uFEFF' + headerLine + '\r\n')).toBe(true);
		const lines = text.slice(1).trimEnd().split('\r\n');
		expect(lines.slice(1)).toEqual([
			'单选,学习型党组织建设的集中学习一般多久一次？,每周,每月,每季度,每年,,,,,B,依据原文。,易,learning_org,000 三.1,每月集中学习,',
			'多选,以下哪些是学习形式？,集中学习,个人自学,外出旅游,专题研讨,聚餐,,,,ABD,,中,learning_org、theory,001 四(一) 第2段,,',
			'判断,党员应当自觉学习党章。,,,,,,,,,对,,难,党章党规党纪、learning_org,,,2027-01-05',
			'填空,全年集中学习不少于____次，每次不少于____小时。,,,,,,,,,12/十二|2,,,,,,2027-12-31'
		]);
	});

	it('writes the xlsx: bold frozen header, widths, text cells, 说明 and the area sheet', async () => {
		const areas = [
			{ code: 'theory', name: '政治理论（党的创新理论）' },
			{ code: 'learning_org', name: '学习型组织建设制度' }
		];
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(Buffer.from(await questionsToXlsx(goodDrafts, areas)) as unknown as ExcelJS.Buffer);
		expect(workbook.worksheets.map((s) => s.name)).toEqual(['试题', '说明', '学习内容领域']);
		const sheet = workbook.worksheets[0]!;
		expect(sheet.getRow(1).values).toEqual([undefined, ...zhHeader]);
		expect(sheet.getCell(1, 1).font?.bold).toBe(true);
		expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
		expect(sheet.getColumn(2).width).toBeGreaterThan(sheet.getColumn(1).width ?? 0);
		for (let column = 1; column <= zhHeader.length; column++) {
			expect(sheet.getCell(2, column).numFmt, String(column)).toBe('@');
			const value = sheet.getCell(5, column).value;
			expect(value === null || typeof value === 'string', String(column)).toBe(true);
		}
		expect(sheet.getCell(5, 17).value).toBe('2027-12-31');
		const help = workbook.worksheets[1]!;
		const helpColumns = help.getColumn(1).values.filter((v) => typeof v === 'string');
		expect(helpColumns).toEqual(['列名', ...zhHeader]);
		const areaSheet = workbook.worksheets[2]!;
		expect(areaSheet.getRow(1).values).toEqual([undefined, '代码', '名称']);
		expect(areaSheet.getRow(2).values).toEqual([undefined, 'theory', '政治理论（党的创新理论）']);
		expect(areaSheet.getRow(3).values).toEqual([undefined, 'learning_org', '学习型组织建设制度']);

		const withoutAreas = new ExcelJS.Workbook();
		await withoutAreas.xlsx.load(Buffer.from(await questionsToXlsx([])) as unknown as ExcelJS.Buffer);
		expect(withoutAreas.worksheets.map((s) => s.name)).toEqual(['试题', '说明']);
	});

	it('makes a template with one example per type that reads without problems', async () => {
		const areas = [{ code: 'learning_org', name: '学习型组织建设制度' }];
		const bytes = await questionTemplateXlsx(areas);
		const result = await readQuestionSheet(bytes, '试题导入模板.xlsx');
		expect(result.problems).toEqual([]);
		expect(result.questions.map((q) => q.type)).toEqual(['single', 'multiple', 'true_false', 'fill']);
		for (const q of result.questions) expect(q.source?.document).toBe('示例');
		expect(result.questions.flatMap((q) => q.areas)).toContain('学习型组织建设制度');
		expect(result.questions.flatMap((q) => q.areas)).toContain('learning_org');
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
		expect(workbook.worksheets.map((s) => s.name)).toEqual(['试题', '说明', '学习内容领域']);
		// Without any area yet, the examples still read.
		expect((await readQuestionSheet(await questionTemplateXlsx([]), 't.xlsx')).problems).toEqual([]);
	});

	it('keeps text that looks like formulas, escapes or markers exactly (fixed examples)', async () => {
		const drafts: QuestionDraft[] = [
			{ ...base, type: 'true_false', stem: '=1+1', correct: false, explanation: '_x0041_ 和 _x0041_x0042_ 不是 A' },
			{
				...base,
				type: 'single',
				stem: '选“"引号"”，逗号,以及\n换行',
				options: ['001', '1/2', '2027-1-1', 'TRUE'],
				correct: 3,
				source: { document: '003', section: '第3段 第2句', quote: '摘录,含逗号' }
			},
			{ ...base, type: 'fill', stem: '____ ____和____', blanks: [['a'], ['b', 'B'], ['😀']] }
		];
		const fromCsv = await readQuestionSheet(utf8(questionsToCsv(drafts)), 'q.csv');
		expect(fromCsv).toEqual({ questions: drafts.map((d, i) => at(i + 2, d)), problems: [], skipped: [] });
		const fromXlsx = await readQuestionSheet(await questionsToXlsx(drafts), 'q.xlsx');
		expect(fromXlsx).toEqual({ questions: drafts.map((d, i) => at(i + 2, d)), problems: [], skipped: [] });
	});

	it('drops characters that XML cannot carry, so the xlsx still opens', async () => {
		const draft: QuestionDraft = { ...base, type: 'true_false', stem: '甲\u0001乙\uffff丙\ud800', correct: true };
		const result = await readQuestionSheet(await questionsToXlsx([draft]), 'q.xlsx');
		expect(result.problems).toEqual([]);
		expect(result.questions[0]?.stem).toBe('甲乙丙');
		const fromCsv = await readQuestionSheet(utf8(questionsToCsv([draft])), 'q.csv');
		expect(fromCsv.questions[0]?.stem).toBe('甲乙丙');
	});

	it('round-trips generated drafts through CSV', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(draft, { minLength: 1, maxLength: 8 }), async (drafts) => {
				const result = await readQuestionSheet(utf8(questionsToCsv(drafts)), 'q.csv');
				expect(result.problems).toEqual([]);
				expect(result.questions).toEqual(drafts.map((d, i) => at(i + 2, d)));
			}),
			{ numRuns: 300 }
		);
	});

	it('round-trips generated drafts through xlsx', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(draft, { minLength: 1, maxLength: 8 }), async (drafts) => {
				const result = await readQuestionSheet(await questionsToXlsx(drafts), 'q.xlsx');
				expect(result.problems).toEqual([]);
				expect(result.questions).toEqual(drafts.map((d, i) => at(i + 2, d)));
			}),
			{ numRuns: 100 }
		);
	});
});

describe('readQuestionSheet never throws', () => {
	it('returns questions or problems for arbitrary bytes under either name', async () => {
		await fc.assert(
			fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), fc.constantFrom('q.csv', 'q.xlsx'), async (bytes, name) => {
				const result = await readQuestionSheet(bytes, name);
				expect(result.questions.length + result.problems.length).toBeGreaterThan(0);
			}),
			{ numRuns: 300 }
		);
	});

	it('returns questions or problems for a damaged xlsx or arbitrary text', async () => {
		// Stored uncompressed, and the zip reader does not check CRCs: the damage reaches the XML parser.
		const stored = await xlsx([zhHeader, ...goodRows.map(cells)], [], 'STORE');
		const compressed = await questionsToXlsx(goodDrafts);
		const xmlish = [...utf8('<>&"\'/=: x0_')];
		const damage = fc.array(
			fc.tuple(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.oneof(fc.constantFrom(...xmlish), fc.integer({ min: 0, max: 255 }))),
			{ minLength: 1, maxLength: 20 }
		);
		await fc.assert(
			fc.asyncProperty(fc.constantFrom(stored, compressed), damage, fc.oneof(fc.constant(1), fc.double({ min: 0.5, max: 1, noNaN: true })), async (good, changes, keep) => {
				const bytes = good.slice(0, Math.max(1, Math.floor(good.length * keep)));
				for (const [where, value] of changes) bytes[Math.floor(where * bytes.length)] = value;
				const result = await readQuestionSheet(bytes, 'q.xlsx');
				expect(result.questions.length + result.problems.length).toBeGreaterThan(0);
			}),
			{ numRuns: 300 }
		);
		await fc.assert(
			fc.asyncProperty(fc.string({ unit: fc.constantFrom(...tricky, '\r\n', headerLine) }), async (text) => {
				const result = await readQuestionSheet(utf8(text), 'q.csv');
				expect(result.questions.length + result.problems.length).toBeGreaterThan(0);
			}),
			{ numRuns: 300 }
		);
	});
});

const starterDirectory = new URL('../starter/', import.meta.url);
const starterFiles = (() => {
	try {
		return readdirSync(starterDirectory).filter((name) => name.endsWith('.csv'));
	} catch {
		return [];
	}
})();

describe('starter questions', () => {
	it.skipIf(starterFiles.length === 0)('read with zero problems', async () => {
		for (const name of starterFiles) {
			const bytes = new Uint8Array(readFileSync(new URL(name, starterDirectory)));
			const result = await readQuestionSheet(bytes, name);
			expect(result.problems, name).toEqual([]);
			expect(result.questions.length, name).toBeGreaterThan(0);
		}
	});
});
