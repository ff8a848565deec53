import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxQuestionFileBytes, type ParseResult, type QuestionDraft } from '../types';
import { questionsToGift, readGift } from './gift';

function codes(result: ParseResult): string[] {
	return result.problems.map((p) => p.code);
}

const partyTest = `// 2024年第三季度理论学习测试（党章部分）
$CATEGORY: $course$/top/政治理论/党章

::Q1:: 党的最高理想和最终目标是（　）。{
	=实现共产主义 # 正确
	~全面建成小康社会 # 这是阶段性目标
	~实现中华民族伟大复兴
	####《中国共产党章程》总纲：党的最高理想和最终目标是实现共产主义。
}

// 判断题
中国共产党是中国工人阶级的先锋队，同时是中国人民和中华民族的先锋队。{TRUE}

党员的党龄从预备期满转为正式党员之日算起。{F#党龄从转正之日算起，说法正确吗？请再读党章。####党章第七条。}

党的根本宗旨是{=全心全意为人民服务 =%100%为人民服务#}。

$CATEGORY: 政治理论/党的历史

下列属于“四个意识”的有（　）。{
	~%25%政治意识
	~%25%大局意识
	~%25%核心意识
	~%25%看齐意识
	~%-100%市场意识
}

[html]<p>遵义会议召开于<b>1935年</b>1月，会议地点在（　）。</p>{
	=贵州遵义
	~[html]江西&nbsp;瑞金
	~陕西延安
}

比例 1\\:2 的写法里，\\{ 和 \\} 要转义，\\~ \\= \\# 也是。{=是}
`;

describe('readGift: good files', () => {
	const result = readGift(partyTest);

	it('reads every question, with the line it starts on', () => {
		expect(result.problems).toEqual([]);
		expect(result.skipped).toEqual([]);
		expect(result.questions.map((q) => [q.type, q.at])).toEqual([
			['single', { line: 4 }],
			['true_false', { line: 12 }],
			['true_false', { line: 14 }],
			['fill', { line: 16 }],
			['multiple', { line: 20 }],
			['single', { line: 28 }],
			['fill', { line: 34 }]
		]);
	});

	it('reads a single choice with title, per-answer feedback and general feedback', () => {
		expect(result.questions[0]).toEqual({
			type: 'single',
			stem: '党的最高理想和最终目标是（　）。',
			options: ['实现共产主义', '全面建成小康社会', '实现中华民族伟大复兴'],
			correct: 0,
			explanation: '《中国共产党章程》总纲：党的最高理想和最终目标是实现共产主义。\n【A】正确\n【B】这是阶段性目标',
			difficulty: null,
			areas: [],
			source: null,
			reviewBy: null,
			categories: ['政治理论/党章'],
			at: { line: 4 }
		});
	});

	it('reads true/false with the feedback for the wrong answer under that answer', () => {
		expect(result.questions[1]).toMatchObject({ correct: true, explanation: '' });
		expect(result.questions[2]).toMatchObject({
			correct: false,
			explanation: '党章第七条。\n【对】党龄从转正之日算起，说法正确吗？请再读党章。',
			stem: '党员的党龄从预备期满转为正式党员之日算起。'
		});
	});

	it('reads a short answer as a fill question with the blank where the braces were', () => {
		expect(result.questions[3]).toMatchObject({ stem: '党的根本宗旨是____。', blanks: [['全心全意为人民服务', '为人民服务']] });
	});

	it('reads weights as a multiple choice and follows $CATEGORY', () => {
		expect(result.questions[4]).toMatchObject({
			type: 'multiple',
			options: ['政治意识', '大局意识', '核心意识', '看齐意识', '市场意识'],
			correct: [0, 1, 2, 3],
			categories: ['政治理论/党的历史']
		});
	});

	it('strips HTML from [html] texts, and answers inherit the format', () => {
		expect(result.questions[5]).toMatchObject({
			stem: '遵义会议召开于1935年1月，会议地点在（　）。',
			options: ['贵州遵义', '江西 瑞金', '陕西延安']
		});
	});

	it('unescapes the special characters', () => {
		expect(result.questions[6]).toMatchObject({ stem: '比例 1:2 的写法里，{ 和 } 要转义，~ = # 也是。____', blanks: [['是']] });
	});

	it('puts a blank in the middle for missing-word questions and reads CRLF with a BOM', () => {
		const crlf = '\uFEFF// 选择\r\n党的十八大以来，全面从严治党{=取得 ~未取得}历史性、开创性成就。\r\n\r\n遵义会议 {T}\r\n';
		const read = readGift(crlf);
		expect(read.problems).toEqual([]);
		expect(read.questions.map((q) => [q.stem, q.at])).toEqual([
			['党的十八大以来，全面从严治党____历史性、开创性成就。', { line: 2 }],
			['遵义会议', { line: 4 }]
		]);
	});

	it('allows a $CATEGORY line directly above a question', () => {
		const read = readGift('$CATEGORY: 时政热点\n二十大报告提出了中国式现代化。{T}');
		expect(read.questions[0]).toMatchObject({ categories: ['时政热点'], at: { line: 2 } });
	});

	it('skips numerical, matching, essay and description', () => {
		const read = readGift(
			['建党年份是？{#1921}', '将会议与地点配对。{=遵义会议 -> 贵州 =古田会议 -> 福建}', '谈谈学习体会。{}', '以下为第二部分。'].join('\n\n')
		);
		expect(read.questions).toEqual([]);
		expect(read.skipped).toEqual([
			{ line: 1, code: 'unsupported_type', value: 'numerical' },
			{ line: 3, code: 'unsupported_type', value: 'matching' },
			{ line: 5, code: 'unsupported_type', value: 'essay' },
			{ line: 7, code: 'unsupported_type', value: 'description' }
		]);
	});
});

describe('readGift: broken files', () => {
	it('reports unbalanced braces at the line of the brace', () => {
		const read = readGift('// 注释\n党的最高理想是（　）。{\n=实现共产主义\n~小康\n\n第二题{=甲}}\n\n第三题}{=甲');
		expect(read.questions).toEqual([]);
		expect(read.problems.map((p) => [p.code, 'line' in p ? p.line : 0])).toEqual([
			['syntax', 2],
			['syntax', 6],
			['syntax', 8]
		]);
	});

	it('reports an answer block without a right answer', () => {
		const read = readGift('党的最高理想是{~共产主义 ~小康}\n\n党的宗旨是{=%50%为人民服务}\n\n党的宗旨是{=}');
		expect(read.problems.map((p) => [p.code, 'line' in p ? p.line : 0])).toEqual([
			['missing_answer', 1],
			['missing_answer', 3],
			['missing_answer', 5]
		]);
	});

	it('reports option counts and lengths', () => {
		const nine = Array.from({ length: 9 }, (_, i) => `~选项${i}`).join(' ');
		const read = readGift(`一个选项{=甲 ~}\n\n九个选项{=对 ${nine}}\n\n${'长'.repeat(2001)}{=甲 ~乙}`);
		expect(codes(read)).toEqual(['required', 'too_many_options', 'too_long']);
	});

	it('reports empty files', () => {
		expect(codes(readGift(''))).toEqual(['file_empty']);
		expect(codes(readGift('\uFEFF  \r\n\t'))).toEqual(['file_empty']);
		expect(codes(readGift('// 只有注释\n$CATEGORY: 党章'))).toEqual(['file_empty']);
	});

	it('refuses a file over the size limit at once', () => {
		const result = readGift('{'.repeat(maxQuestionFileBytes + 1));
		expect(result.problems).toEqual([{ line: 1, code: 'file_too_large' }]);
	});

	it('reads a large file just under the limit', () => {
		const question = '党的最高理想是（　）。{\n\t=实现共产主义\n\t~全面建成小康社会\n}\n\n';
		const big = question.repeat(Math.floor((maxQuestionFileBytes - 1) / question.length));
		const result = readGift(big);
		expect(result.problems).toEqual([]);
		expect(result.questions.length).toBeGreaterThan(100_000);
	});
});

describe('questionsToGift', () => {
	const base = { explanation: '', difficulty: null, areas: [], source: null, reviewBy: null, categories: [] };

	it('writes categories when the first area changes, weights and general feedback', () => {
		const { gift, skipped } = questionsToGift([
			{ ...base, areas: ['政治理论'], type: 'single', stem: '党的最高理想是（　）。', options: ['实现共产主义', '小康'], correct: 0, explanation: '见党章总纲。' },
			{ ...base, areas: ['政治理论', '党史'], type: 'multiple', stem: '属于“四个意识”的有', options: ['政治意识', '大局意识', '市场意识'], correct: [0, 1] },
			{ ...base, areas: ['党史'], type: 'true_false', stem: '遵义会议召开于1935年。', correct: true },
			{ ...base, areas: ['党史'], type: 'fill', stem: '党的根本宗旨是____。', blanks: [['全心全意为人民服务', '为人民服务']] },
			{ ...base, type: 'fill', stem: '____和____', blanks: [['甲'], ['乙']] }
		]);
		expect(skipped).toEqual([4]);
		expect(gift).toBe(
			[
				'$CATEGORY: 政治理论',
				'',
				'党的最高理想是（　）。{',
				'\t=实现共产主义',
				'\t~小康',
				'\t####见党章总纲。',
				'}',
				'',
				'属于“四个意识”的有{',
				'\t~%50%政治意识',
				'\t~%50%大局意识',
				'\t~%-100%市场意识',
				'}',
				'',
				'$CATEGORY: 党史',
				'',
				'遵义会议召开于1935年。{T}',
				'',
				'党的根本宗旨是{=全心全意为人民服务 =为人民服务}。',
				''
			].join('\n')
		);
	});

	it('escapes GIFT characters and writes HTML-looking text as [html]', () => {
		const { gift } = questionsToGift([
			{ ...base, type: 'single', stem: '比例 1:2 与 {x} ~ = #', options: ['a<b', '//c'], correct: 0 },
			{ ...base, type: 'true_false', stem: '//开头的题干', correct: false }
		]);
		expect(gift).toContain('[html]比例 1\\:2 与 \\{x\\} \\~ \\= \\#{');
		expect(gift).toContain('\t=a&lt;b');
		expect(gift).toContain('[moodle]//开头的题干{F}');
		expect(readGift(gift).questions.map((q) => q.stem)).toEqual(['比例 1:2 与 {x} ~ = #', '//开头的题干']);
	});
});

// ---------------------------------------------------------------------------------------------------------
// Properties

/** Pieces chosen to collide with GIFT, HTML and XML syntax, mixed with Chinese. */
const pieces = [
	'党', '的', '建设', '中国共产党', '为人民服务', '（　）', 'a', 'B', '1', ' ', '  ', '\n',
	'{', '}', '~', '=', '#', ':', '<', '>', '&', '"', "'", '\\', '%', '[', ']', '/', '*', '-', ';', '$',
	'&amp;', '&lt;', '&#20013;', '<b>', '<br>', '\\n', '\\{', '::', '####', '->', '$CATEGORY:', '//', '[html]', '[moodle]',
	'%50%', '%-100%', 'T', 'TRUE', '@'
];

function tidy(text: string): string {
	return text
		.split('\n')
		.map((l) => l.replace(/ +/g, ' ').trim())
		.filter((l) => l !== '')
		.join('\n');
}

const text = fc
	.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 10 })
	.map((p) => tidy(p.join('')))
	.filter((t) => t !== '');
const oneLine = text.map((t) => t.replace(/\n/g, ' '));
const explanation = fc.oneof(fc.constant(''), text);
const areas = fc.oneof(fc.constant<string[]>([]), fc.constantFrom<string[]>(['政治理论'], ['theory', '党史'], ['党章 & 党规'], ['时政/热点']));
const common = fc.record({ stem: text, explanation, areas });
const meta = { difficulty: null, source: null, reviewBy: null, categories: [] as string[] };

const generatedDraft: fc.Arbitrary<QuestionDraft> = fc.oneof(
	fc
		.tuple(common, fc.array(text, { minLength: 2, maxLength: 8 }), fc.nat())
		.map(([c, options, n]): QuestionDraft => ({ ...c, ...meta, type: 'single', options, correct: n % options.length })),
	fc
		.tuple(common, fc.array(text, { minLength: 2, maxLength: 8 }))
		.chain(([c, options]) =>
			fc
				.uniqueArray(fc.nat({ max: options.length - 1 }), { minLength: 2, maxLength: options.length })
				.map((picked): QuestionDraft => ({ ...c, ...meta, type: 'multiple', options, correct: [...picked].sort((a, b) => a - b) }))
		),
	fc.tuple(common, fc.boolean()).map(([c, correct]): QuestionDraft => ({ ...c, ...meta, type: 'true_false', correct })),
	fc
		.tuple(common, fc.option(text, { nil: '' }), fc.option(text, { nil: '' }), fc.uniqueArray(oneLine, { minLength: 1, maxLength: 3 }))
		.map(([c, before, after, alternatives]): QuestionDraft => ({ ...c, ...meta, type: 'fill', stem: tidy(`${before}____${after}`), blanks: [alternatives] })),
	fc
		.tuple(common, fc.uniqueArray(oneLine, { minLength: 1, maxLength: 2 }))
		.map(([c, alternatives]): QuestionDraft => ({ ...c, ...meta, type: 'fill', stem: `${c.stem}____和____`, blanks: [alternatives, alternatives] }))
);

function content(q: QuestionDraft) {
	if (q.type === 'single' || q.type === 'multiple') return { type: q.type, stem: q.stem, explanation: q.explanation, options: q.options, correct: q.correct };
	if (q.type === 'true_false') return { type: q.type, stem: q.stem, explanation: q.explanation, correct: q.correct };
	return { type: q.type, stem: q.stem, explanation: q.explanation, blanks: q.blanks };
}

describe('GIFT properties', () => {
	it('gives back what it wrote: stem, options, key, explanation, category', () => {
		fc.assert(
			fc.property(fc.array(generatedDraft, { maxLength: 8 }), (drafts) => {
				const { gift, skipped } = questionsToGift(drafts);
				expect(skipped).toEqual(
					drafts.flatMap((d, i) => (d.type === 'fill' && (d.blanks.length > 1 || d.blanks.some((b) => b.some((a) => a.includes('->')))) ? [i] : []))
				);
				const expected = drafts.filter((_, i) => !skipped.includes(i));
				const result = readGift(gift);
				if (expected.length === 0) {
					expect(result.problems).toEqual([{ line: 1, code: 'file_empty' }]);
					return;
				}
				expect(result.problems).toEqual([]);
				expect(result.skipped).toEqual([]);
				expect(result.questions.map(content)).toEqual(expected.map(content));
				// A $CATEGORY line holds until the next one, so a question without an area keeps the one before.
				let category = '';
				const categories = expected.map((d) => {
					category = d.areas[0] ?? category;
					return category === '' ? [] : [category];
				});
				expect(result.questions.map((q) => q.categories)).toEqual(categories);
			}),
			{ numRuns: 300 }
		);
	});

	it('never throws, whatever the text', () => {
		const giftish = fc
			.array(
				fc.constantFrom(
					'{', '}', '=', '~', '#', '####', '%50%', '%-', '::', '\\', '\\n', '->', '[html]', '[plain]', '$CATEGORY:', '//',
					'T', 'FALSE', '党', '<p>', '&amp;', '____', '\n', '\n\n', '\r\n', ' ', '\t'
				),
				{ maxLength: 40 }
			)
			.map((p) => p.join(''));
		fc.assert(
			fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), giftish), (input) => {
				const result = readGift(input);
				expect(Array.isArray(result.questions) && Array.isArray(result.problems) && Array.isArray(result.skipped)).toBe(true);
				for (const p of [...result.problems, ...result.skipped]) expect('line' in p && p.line >= 1).toBe(true);
			}),
			{ numRuns: 1000 }
		);
	});
});
