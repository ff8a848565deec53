import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxQuestionFileBytes, type ParseResult } from '../types';
import { readAiken } from './aiken';

function problems(result: ParseResult): [string, number][] {
	return result.problems.map((p) => [p.code, 'line' in p ? p.line : 0]);
}

const moodleStyle = `党的最高理想和最终目标是（　）。
A. 实现共产主义
B. 全面建成小康社会
C. 实现中华民族伟大复兴
D. 建设社会主义现代化强国
ANSWER: A

“三会一课”中的“三会”不包括（　）。
A) 支部党员大会
B) 支部委员会
C) 党小组会
D) 职工代表大会
ANSWER: D
`;

describe('readAiken: good files', () => {
	it('reads Moodle’s own layout', () => {
		const result = readAiken(moodleStyle);
		expect(result.problems).toEqual([]);
		expect(result.skipped).toEqual([]);
		expect(result.questions).toEqual([
			{
				type: 'single',
				stem: '党的最高理想和最终目标是（　）。',
				options: ['实现共产主义', '全面建成小康社会', '实现中华民族伟大复兴', '建设社会主义现代化强国'],
				correct: 0,
				explanation: '',
				difficulty: null,
				areas: [],
				source: null,
				reviewBy: null,
				categories: [],
				at: { line: 1 }
			},
			expect.objectContaining({ stem: '“三会一课”中的“三会”不包括（　）。', correct: 3, at: { line: 8 } })
		]);
	});

	it('reads what Chinese input methods type: full-width letters and marks, 、, no space, ANSWER：, lower-case answer', () => {
		const text = '\uFEFF  新时代党的建设总要求中，\r\n把党的（　）摆在首位。\r\nＡ．政治建设\r\nB、思想建设\r\nC.组织建设\r\nＤ）作风建设\r\nanswer：ｂ\r\n';
		const result = readAiken(text);
		expect(result.problems).toEqual([]);
		expect(result.questions[0]).toMatchObject({
			stem: '新时代党的建设总要求中，\n把党的（　）摆在首位。',
			options: ['政治建设', '思想建设', '组织建设', '作风建设'],
			correct: 1,
			at: { line: 1 }
		});
	});

	it('needs no blank line after an ANSWER line', () => {
		const text = '第一题？\nA. 甲\nB. 乙\nANSWER: B\n第二题？\nA. 丙\nB. 丁\nANSWER: A';
		expect(readAiken(text).questions.map((q) => [q.stem, q.type === 'single' ? q.correct : null, q.at])).toEqual([
			['第一题？', 1, { line: 1 }],
			['第二题？', 0, { line: 5 }]
		]);
	});
});

describe('readAiken: broken files', () => {
	it('reports a missing ANSWER line at the question', () => {
		const text = '党的最高理想是（　）。\nA. 实现共产主义\nB. 小康\n\n第二题\nA. 甲\nB. 乙\nANSWER: A';
		const result = readAiken(text);
		expect(problems(result)).toEqual([['missing_answer', 1]]);
		expect(result.questions.map((q) => q.stem)).toEqual(['第二题']);
	});

	it('takes a stem line right after the options as the next question, as Moodle does', () => {
		const text = '第一题\nA. 甲\nB. 乙\n第二题\nA. 丙\nB. 丁\nANSWER: B';
		const result = readAiken(text);
		expect(problems(result)).toEqual([['missing_answer', 1]]);
		expect(result.questions.map((q) => [q.stem, q.at])).toEqual([['第二题', { line: 4 }]]);
	});

	it('reports an answer letter that is not an option at the ANSWER line', () => {
		const result = readAiken('党的最高理想是（　）。\nA. 实现共产主义\nB. 小康\nANSWER: E\n\n题\nA. 甲\nB. 乙\nANSWER: 甲');
		expect(result.problems).toEqual([
			{ line: 4, code: 'answer_not_an_option', column: 'ANSWER', value: 'E' },
			{ line: 9, code: 'answer_not_an_option', column: 'ANSWER', value: '甲' }
		]);
	});

	it('reports two answer letters and an empty answer', () => {
		const result = readAiken('题一\nA. 甲\nB. 乙\nANSWER: AB\n\n题二\nA. 甲\nB. 乙\nANSWER:');
		expect(problems(result)).toEqual([
			['answer_needs_one', 4],
			['missing_answer', 9]
		]);
	});

	it('reports too few and too many options', () => {
		const nine = [...'ABCDEFGHI'].map((l) => `${l}. 选项${l}`).join('\n');
		const result = readAiken(`一个选项\nA. 甲\nANSWER: A\n\n九个选项\n${nine}\nANSWER: A\n\n没有选项\nANSWER: A`);
		expect(problems(result)).toEqual([
			['too_few_options', 1],
			['too_many_options', 5],
			['answer_not_an_option', 18],
			['too_few_options', 17]
		]);
	});

	it('reports options that do not run A, B, C …', () => {
		const result = readAiken('题\nA. 甲\nC. 丙\nD. 丁\nANSWER: A');
		expect(result.problems).toEqual([
			{ line: 3, code: 'gap_in_options', column: '选项', value: 'C' },
			{ line: 4, code: 'gap_in_options', column: '选项', value: 'D' }
		]);
	});

	it('reports options before any stem once, and an ANSWER line with no question', () => {
		const result = readAiken('A. 甲\nB. 乙\nANSWER: A\n\nANSWER: B\n\n正常的题\nA. 甲\nB. 乙\nANSWER: B');
		expect(problems(result)).toEqual([
			['syntax', 1],
			['syntax', 5]
		]);
		expect(result.questions).toHaveLength(1);
	});

	it('reports empty options and lengths', () => {
		const result = readAiken(`${'长'.repeat(2001)}\nA.\nB. ${'选'.repeat(501)}\nANSWER: A`);
		expect(result.problems.map((p) => [p.code, p.column])).toEqual([
			['too_long', '题干'],
			['required', '选项'],
			['too_long', '选项']
		]);
	});

	it('reports empty files', () => {
		expect(readAiken('').problems).toEqual([{ line: 1, code: 'file_empty' }]);
		expect(readAiken('\uFEFF\r\n  \r\n').problems).toEqual([{ line: 1, code: 'file_empty' }]);
	});

	it('refuses a file over the size limit at once', () => {
		const result = readAiken('A. 甲\n'.repeat(Math.ceil((maxQuestionFileBytes + 1) / 5)));
		expect(result.problems).toEqual([{ line: 1, code: 'file_too_large' }]);
	});

	it('reads a large file just under the limit', () => {
		const question = '党的最高理想和最终目标是（　）。\nA. 实现共产主义\nB. 全面建成小康社会\nANSWER: A\n\n';
		const big = question.repeat(Math.floor((maxQuestionFileBytes - 1) / question.length));
		const result = readAiken(big);
		expect(result.problems).toEqual([]);
		expect(result.questions.length).toBeGreaterThan(100_000);
	});
});

describe('Aiken properties', () => {
	// Stems and options that cannot be mistaken for option or ANSWER lines.
	const word = fc
		.array(fc.constantFrom('党', '的', '建设', '中国共产党', '（　）', '1', ' ', '{', '}', '=', '#', ':', '<', '&', '%'), { minLength: 1, maxLength: 8 })
		.map((p) => p.join('').replace(/ +/g, ' ').trim())
		.filter((t) => t !== '');

	it('reads back single-choice questions written in Aiken', () => {
		const question = fc
			.tuple(fc.array(word, { minLength: 1, maxLength: 3 }), fc.array(word, { minLength: 2, maxLength: 8 }), fc.nat())
			.map(([stem, options, n]) => ({ stem: stem.join('\n'), options, correct: n % options.length }));
		fc.assert(
			fc.property(fc.array(question, { minLength: 1, maxLength: 6 }), fc.boolean(), (questions, crlf) => {
				const text = questions
					.map((q) => [q.stem, ...q.options.map((o, i) => `${String.fromCharCode(65 + i)}. ${o}`), `ANSWER: ${String.fromCharCode(65 + q.correct)}`].join('\n'))
					.join('\n\n');
				const result = readAiken(crlf ? text.replace(/\n/g, '\r\n') : text);
				expect(result.problems).toEqual([]);
				expect(result.questions.map((q) => (q.type === 'single' ? { stem: q.stem, options: q.options, correct: q.correct } : null))).toEqual(questions);
			}),
			{ numRuns: 300 }
		);
	});

	it('never throws, whatever the text', () => {
		const aikenish = fc
			.array(fc.constantFrom('A. ', 'B) ', 'Ｃ．', 'D、', 'ANSWER: ', 'answer：', 'A', 'Z', '党', '\n', '\n\n', '\r\n', ' ', '\t', '\uFEFF'), { maxLength: 40 })
			.map((p) => p.join(''));
		fc.assert(
			fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), aikenish), (input) => {
				const result = readAiken(input);
				expect(Array.isArray(result.questions) && Array.isArray(result.problems) && Array.isArray(result.skipped)).toBe(true);
				for (const p of result.problems) expect('line' in p && p.line >= 1).toBe(true);
			}),
			{ numRuns: 1000 }
		);
	});
});
