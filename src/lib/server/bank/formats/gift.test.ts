import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { falseLabel, joinFeedback, optionLabel, trueLabel } from '../feedback';
import { countBlanks } from '../normalize';
import { maxQuestionFileBytes, type FilePosition, type ParseResult, type ParsedQuestion, type QuestionDraft } from '../types';
import { questionsToGift, readGift } from './gift';
import { mulberry32 } from '../../testing/random';

function codes(result: ParseResult): string[] {
	return result.problems.map((p) => p.code);
}

function fixture(name: string): string {
	return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

function lineOf(at: FilePosition): number {
	return 'line' in at ? at.line : -1;
}

/** Problems and skipped questions as [code, line], the way the import preview lists them. */
function where(items: ({ code: string } & FilePosition)[]): [string, number][] {
	return items.map((p) => [p.code, lineOf(p)]);
}

/** What a question says, without the fields GIFT cannot carry. */
function said(q: ParsedQuestion) {
	const { difficulty: _d, areas: _a, source: _s, reviewBy: _r, categories: _c, ...rest } = q;
	return rest;
}

function only(text: string): ParsedQuestion {
	const result = readGift(text);
	expect(result.problems).toEqual([]);
	expect(result.skipped).toEqual([]);
	expect(result.questions).toHaveLength(1);
	return result.questions[0] as ParsedQuestion;
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

describe('readGift: questions one after another without blank lines', () => {
	const result = readGift(fixture('gift-no-blank-lines.gift'));

	it('ends each question with its answer block and starts the next on the following line', () => {
		expect(result.problems).toEqual([]);
		expect(result.skipped).toEqual([]);
		expect(result.questions.map((q) => [q.type, lineOf(q.at)])).toEqual([
			['single', 3],
			['true_false', 4],
			['multiple', 6],
			['fill', 12],
			['single', 14],
			['single', 16],
			['single', 21],
			['true_false', 24]
		]);
	});

	it('drops titles and comment lines, also inside an answer block', () => {
		expect(result.questions.slice(0, 3).map(said)).toEqual([
			{ type: 'single', stem: '党的最高理想和最终目标是（　）。', options: ['实现共产主义', '全面建成小康社会', '实现中华民族伟大复兴'], correct: 0, explanation: '', at: { line: 3 } },
			{ type: 'true_false', stem: '中国共产党是中国工人阶级的先锋队。', correct: true, explanation: '', at: { line: 4 } },
			{ type: 'multiple', stem: '党员的权利包括（　）。', options: ['参加党的有关会议', '在党的会议上参加讨论', '拒绝执行党的决议'], correct: [0, 1], explanation: '', at: { line: 6 } }
		]);
	});

	it('keeps the sentence going after the braces as a missing word, on the same line or the lines up to a blank one', () => {
		expect(result.questions[3]).toMatchObject({ stem: '党的根本宗旨是____。', blanks: [['全心全意为人民服务']] });
		expect(result.questions[4]).toMatchObject({ stem: '遵义会议召开于（　）年。', options: ['1935', '1921', '1949'] });
		expect(result.questions[5]).toMatchObject({ stem: '中国共产党第一次全国代表大会在____\n召开，后转移到嘉兴南湖的红船上。', options: ['上海', '北京', '广州'] });
		expect(result.questions[6]).toMatchObject({ stem: '党的十八大以来，全面从严治党____历史性、开创性成就。', correct: 1 });
	});

	it('applies each $CATEGORY line to the questions after it', () => {
		expect(result.questions.map((q) => q.categories)).toEqual([
			['政治理论/党章'],
			['政治理论/党章'],
			['政治理论/党章'],
			['政治理论/党章'],
			['政治理论/党史'],
			['政治理论/党史'],
			['政治理论/党史'],
			['时政热点']
		]);
	});

	it('reads the same questions as the file with blank lines between them', () => {
		// A blank line after every closing brace but the one whose sentence goes on (`召开，…`), and before categories.
		const spaced = fixture('gift-no-blank-lines.gift')
			.replace(/\}\n(?!召开)/g, '}\n\n')
			.replace(/\n(?=\$CATEGORY)/g, '\n\n');
		const again = readGift(spaced);
		expect(again.problems).toEqual([]);
		expect(again.questions.map(said).map(({ at: _at, ...q }) => q)).toEqual(result.questions.map(said).map(({ at: _at, ...q }) => q));
	});
});

describe('readGift: feedback', () => {
	const result = readGift(fixture('gift-feedback.gift'));

	it('reads every question of the feedback file', () => {
		expect(result.problems).toEqual([]);
		expect(result.skipped).toEqual([]);
		expect(result.questions.map((q) => lineOf(q.at))).toEqual([2, 9, 11, 13, 15, 24]);
	});

	it('puts the general feedback first and each option’s feedback after it, labelled by letter', () => {
		expect(result.questions[0]?.explanation).toBe('党的最高理想和最终目标是实现共产主义。\n【A】正确，见党章总纲。\n【B】这是阶段性目标。');
		expect(result.questions[4]).toMatchObject({
			type: 'multiple',
			stem: '下列属于“四个意识”的有（　）。',
			correct: [0, 1, 2, 3],
			explanation: '见十八届六中全会公报。\n【A】对\n【E】不属于。'
		});
	});

	it('gives true/false feedback to the answer it is shown for: {T#for false#for true}, {F#for true#for false}', () => {
		expect(result.questions[1]).toMatchObject({ correct: true, explanation: '一大在上海召开。\n【对】对，1921年7月。\n【错】错了，再读党史。' });
		expect(result.questions[2]).toMatchObject({ correct: false, explanation: '【对】党龄从转为正式党员之日算起。\n【错】对。' });
		expect(result.questions[5]).toMatchObject({ correct: false, explanation: '【错】说得对，这是错误说法。' });
	});

	it('labels a short answer’s feedback by the accepted answer, and says which wrong answer the others are for', () => {
		expect(result.questions[3]).toMatchObject({
			type: 'fill',
			stem: '党的根本宗旨是____。',
			blanks: [['全心全意为人民服务', '为人民服务']],
			explanation: '语出党章总纲。\n答“服务人民”：意思对，但不完整。\n答“当官做老爷”：恰恰相反。\n【全心全意为人民服务】完全正确。'
		});
	});

	it('writes the feedback back out so that the file reads the same again', () => {
		const { gift, skipped } = questionsToGift(result.questions);
		expect(skipped).toEqual([]);
		const again = readGift(gift);
		expect(again.problems).toEqual([]);
		expect(again.questions.map(said).map(({ at: _at, ...q }) => q)).toEqual(result.questions.map(said).map(({ at: _at, ...q }) => q));
	});
});

describe('readGift: questions Moodle reads and the bank cannot hold', () => {
	it('skips each with its line and the kind, and reads the rest of the file', () => {
		const result = readGift(fixture('gift-skipped.gift'));
		expect(result.problems).toEqual([]);
		expect(result.skipped).toEqual([
			{ line: 2, code: 'unsupported_type', value: 'numerical' },
			{ line: 4, code: 'unsupported_type', value: 'matching' },
			{ line: 10, code: 'unsupported_type', value: 'essay' },
			{ line: 12, code: 'unsupported_type', value: 'description' },
			{ line: 14, code: 'unsupported_type', value: 'one-answer multichoice with 2 right answers' },
			{ line: 16, code: 'unsupported_type', value: 'multiple-answer multichoice with 1 right answer' },
			{ line: 18, code: 'unsupported_type', value: 'short answer with 2 blanks' },
			{ line: 20, code: 'embedded_file', value: 'img' }
		]);
		expect(result.questions.map((q) => [q.type, lineOf(q.at)])).toEqual([['true_false', 22]]);
	});

	it('takes a text followed by a titled line or a category as a description', () => {
		const result = readGift('以下为判断题。\n::Q1:: 遵义会议召开于1935年。{T}\n\n第二部分。\n$CATEGORY: 党史\n古田会议召开于1929年。{T}');
		expect(result.skipped).toEqual([
			{ line: 1, code: 'unsupported_type', value: 'description' },
			{ line: 4, code: 'unsupported_type', value: 'description' }
		]);
		expect(result.questions.map((q) => [q.stem, lineOf(q.at), q.categories])).toEqual([
			['遵义会议召开于1935年。', 2, []],
			['古田会议召开于1929年。', 6, ['党史']]
		]);
	});

	it('ends the sentence after the braces at a category or titled line, which start something new', () => {
		const result = readGift('遵义会议{T}\n召开于1935年。\n$CATEGORY: 党史\n古田会议{T}\n召开于1929年。\n::Q3:: 八七会议召开于1927年。{T}');
		expect(result.questions.map((q) => [q.stem, lineOf(q.at), q.categories])).toEqual([
			['遵义会议____\n召开于1935年。', 1, []],
			['古田会议____\n召开于1929年。', 4, ['党史']],
			['八七会议召开于1927年。', 6, ['党史']]
		]);
	});
});

describe('readGift: the rules one by one', () => {
	it('unescapes \\~ \\= \\# \\{ \\} \\: \\\\ and \\n, and leaves any other backslash as typed', () => {
		expect(only('比例 1\\:2，换行\\n第二行，反斜杠 \\\\ 与 \\% 照写。{=甲\\=乙#说明\\#1 ~丙\\~丁 ~\\{戊\\}}')).toMatchObject({
			stem: '比例 1:2，换行\n第二行，反斜杠 \\ 与 \\% 照写。',
			options: ['甲=乙', '丙~丁', '{戊}'],
			explanation: '【A】说明#1'
		});
		expect(only('::第\\:1题:: 题干{T}')).toMatchObject({ stem: '题干' });
		expect(only('::题名::\n题干写在\n下面两行{F}')).toMatchObject({ stem: '题干写在\n下面两行', at: { line: 1 } });
	});

	it('reads weights: positive ones are right in a multiple choice, partial ones are wrong in a single choice', () => {
		expect(only('多选{~%33.333%甲 ~%33.333%乙 ~%33.334%丙 ~%-50%丁 ~戊}')).toMatchObject({ type: 'multiple', correct: [0, 1, 2] });
		expect(only('多选{~%100%甲 ~%100%乙 ~%0%丙}')).toMatchObject({ type: 'multiple', correct: [0, 1] });
		expect(only('单选{~%50%甲 =乙 ~%-100%丙}')).toMatchObject({ type: 'single', options: ['甲', '乙', '丙'], correct: 1 });
		// Moodle reads no weight after `=` in a choice: it is part of the option.
		expect(only('单选{=%50%甲 ~乙}')).toMatchObject({ type: 'single', options: ['%50%甲', '乙'], correct: 0 });
	});

	it('reads text before the first = or ~ as Moodle does: a wrong option, or an accepted answer', () => {
		expect(only('开头多字{甲 =乙 ~丙}')).toMatchObject({ type: 'single', options: ['甲', '乙', '丙'], correct: 1 });
		expect(only('党的宗旨是{全心全意为人民服务 =为人民服务}')).toMatchObject({ type: 'fill', blanks: [['全心全意为人民服务', '为人民服务']] });
	});

	it('reads every way of writing true and false', () => {
		const result = readGift(['甲{T}', '乙{TRUE}', '丙{F}', '丁{FALSE}', '戊{ true }', '己{false#错}'].join('\n'));
		expect(result.problems).toEqual([]);
		expect(result.questions.map((q) => q.type === 'true_false' && q.correct)).toEqual([true, true, false, false, true, false]);
		expect(result.questions[5]?.explanation).toBe('【对】错');
	});

	it('reads a short answer as a fill question with one blank', () => {
		const fillStem = (text: string) => {
			const q = only(text);
			expect(q).toMatchObject({ type: 'fill', blanks: [['全心全意为人民服务']] });
			return q.stem;
		};
		expect(fillStem('党的根本宗旨是{=全心全意为人民服务}。')).toBe('党的根本宗旨是____。');
		expect(fillStem('党的根本宗旨是什么？{=全心全意为人民服务}')).toBe('党的根本宗旨是什么？____');
		// A blank the author drew takes the box; three underscores are not a blank in the bank.
		expect(fillStem('党的根本宗旨是______。{=全心全意为人民服务}')).toBe('党的根本宗旨是____。');
		expect(fillStem('党的___宗旨是什么？{=全心全意为人民服务}')).toBe('党的___宗旨是什么？____');
		// Partial credit does not exist in the bank: a half-right answer is not accepted.
		expect(only('党的宗旨是{=全心全意为人民服务 =%50%服务 =%100%为人民服务}')).toMatchObject({ blanks: [['全心全意为人民服务', '为人民服务']] });
	});

	it('reads the text formats: [html] as HTML, [plain], [markdown] and [moodle] as typed, answers inheriting the question’s', () => {
		expect(only('[markdown]**党章**是根本大法。{T}')).toMatchObject({ stem: '**党章**是根本大法。' });
		expect(only('[plain]<b>不是标签</b>{T}')).toMatchObject({ stem: '<b>不是标签</b>' });
		expect(only('[moodle]题干{T}')).toMatchObject({ stem: '题干' });
		expect(only('[html]<p>题&amp;干</p>{=<b>甲</b> ~[plain]<i>乙</i>#<br>反馈 ####[plain]<b>总</b>}')).toMatchObject({
			stem: '题&干',
			options: ['甲', '<i>乙</i>'],
			explanation: '<b>总</b>\n【B】反馈'
		});
	});

	it('reads CRLF, CR and a BOM', () => {
		const result = readGift('\uFEFF// 注释\r\n甲{T}\r乙{F}\r\n\r\n丙{T}');
		expect(result.questions.map((q) => [q.stem, lineOf(q.at)])).toEqual([
			['甲', 2],
			['乙', 3],
			['丙', 5]
		]);
	});

	it('ends a question only at a line that is blank for Moodle: one of ideographic spaces is not', () => {
		const result = readGift('党员的权利包括（　）。{\n　　\n\t~%50%参加党的有关会议\n\t~%50%在党的会议上参加讨论\n}\n　　\n遵义会议召开于1935年。{T}');
		expect(result.problems).toEqual([]);
		expect(result.questions.map((q) => [q.type, lineOf(q.at)])).toEqual([
			['multiple', 1],
			['true_false', 7]
		]);
	});

	it('keeps a comment line inside the sentence after the braces out of the stem', () => {
		expect(only('党的十八大以来，全面从严治党{~未取得 =取得}\n// 注释\n历史性、开创性成就。')).toMatchObject({
			stem: '党的十八大以来，全面从严治党____\n历史性、开创性成就。'
		});
	});
});

describe('readGift: broken files', () => {
	it('reports brace errors in later questions at their own line and reads on', () => {
		const result = readGift(fixture('gift-errors.gift'));
		expect(result.problems).toEqual([
			{ line: 4, code: 'syntax', value: '党员的权利包括（　）。{' },
			{ line: 9, code: 'syntax', value: '集合{1,2}的元素个数是{=2}' },
			{ line: 10, code: 'syntax', value: '民主集中制是党的根本组织原则}。{T}' },
			{ line: 11, code: 'missing_answer' },
			{ line: 13, code: 'required' }
		]);
		expect(result.questions.map((q) => lineOf(q.at))).toEqual([2, 3, 8, 16]);
	});

	it('reports a length or option problem at the line the question starts on', () => {
		const result = readGift(`甲{T}\n乙{F}\n// 注释\n::长::\n${'长'.repeat(2001)}{=甲 ~乙}\n选项{~甲}`);
		expect(where(result.problems)).toEqual([
			['too_long', 4],
			['missing_answer', 6],
			['too_few_options', 6]
		]);
	});

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

	it('writes the explanation as feedback: the general part after ####, each answer’s line after its answer', () => {
		const drafts: QuestionDraft[] = [
			{ ...base, type: 'single', stem: '党的最高理想是（　）。', options: ['实现共产主义', '小康'], correct: 0, explanation: '见党章总纲。\n【A】正确。\n【B】阶段性目标。' },
			{ ...base, type: 'multiple', stem: '属于“四个意识”的有', options: ['政治意识', '大局意识', '市场意识'], correct: [0, 1], explanation: '【C】不属于。' },
			{ ...base, type: 'true_false', stem: '遵义会议召开于1935年。', correct: true, explanation: '见党史。\n【对】对。\n【错】再想想。' },
			{ ...base, type: 'true_false', stem: '党龄从预备期满算起。', correct: false, explanation: '【错】说得对。' },
			{ ...base, type: 'fill', stem: '党的根本宗旨是____。', blanks: [['全心全意为人民服务', '为人民服务']], explanation: '语出党章。\n答“服务人民”：不完整。\n【为人民服务】可以。' }
		];
		const { gift } = questionsToGift(drafts);
		expect(gift).toBe(
			[
				'党的最高理想是（　）。{',
				'\t=实现共产主义#正确。',
				'\t~小康#阶段性目标。',
				'\t####见党章总纲。',
				'}',
				'',
				'属于“四个意识”的有{',
				'\t~%50%政治意识',
				'\t~%50%大局意识',
				'\t~%-100%市场意识#不属于。',
				'}',
				'',
				'遵义会议召开于1935年。{T#再想想。#对。####见党史。}',
				'',
				'党龄从预备期满算起。{F##说得对。}',
				'',
				'党的根本宗旨是{=全心全意为人民服务 =为人民服务#可以。 ####语出党章。\\n答“服务人民”：不完整。}。',
				''
			].join('\n')
		);
		expect(readGift(gift).questions.map((q) => q.explanation)).toEqual(drafts.map((d) => d.explanation));
	});

	it('escapes feedback like any other text, and writes HTML-looking feedback as [html]', () => {
		const drafts: QuestionDraft[] = [
			{ ...base, type: 'single', stem: '题', options: ['甲', '乙'], correct: 0, explanation: '[html]开头 #1 {x} ~ = :\n【A】a#b\\c' },
			{ ...base, type: 'fill', stem: '____', blanks: [['甲']], explanation: '【甲】从 A->B' }
		];
		const { gift } = questionsToGift(drafts);
		expect(gift).toContain('\t=甲#a\\#b\\\\c\n');
		expect(gift).toContain('\t####[moodle][html]开头 \\#1 \\{x\\} \\~ \\= \\:\n');
		// `->` in a short answer's block would make it a matching question; as HTML it is `-&gt;`.
		expect(gift).toContain('[html]{=甲#从 A-&gt;B}');
		expect(readGift(gift).questions.map((q) => q.explanation)).toEqual(drafts.map((d) => d.explanation));
	});

	it('writes an explanation whose answer lines would not come back the same as general feedback', () => {
		const drafts: QuestionDraft[] = [
			{ ...base, type: 'single', stem: '顺序', options: ['甲', '乙'], correct: 0, explanation: '【B】乙。\n【A】甲。' },
			{ ...base, type: 'single', stem: '两次', options: ['甲', '乙'], correct: 0, explanation: '【A】一。\n【A】二。' },
			{ ...base, type: 'true_false', stem: '空', correct: true, explanation: '【对】' }
		];
		const { gift } = questionsToGift(drafts);
		expect(gift).toContain('\t####【B】乙。\\n【A】甲。\n');
		expect(gift).toContain('\t####【A】一。\\n【A】二。\n');
		expect(gift).toContain('空{T####【对】}');
		expect(readGift(gift).questions.map((q) => q.explanation)).toEqual(drafts.map((d) => d.explanation));
	});

	it('writes a right option that looks like a weight as it is, since Moodle reads no weight after = in a choice', () => {
		const { gift } = questionsToGift([{ ...base, type: 'single', stem: '百分比', options: ['%50%甲', '%乙'], correct: 0 }]);
		expect(gift).toContain('\t=%50%甲\n\t~%0%%乙\n');
		expect(only(gift)).toMatchObject({ options: ['%50%甲', '%乙'], correct: 0 });
	});
});

// ---------------------------------------------------------------------------------------------------------
// Properties


type Random = () => number;

function int(random: Random, below: number): number {
	return Math.floor(random() * below);
}

function pick<T>(random: Random, items: readonly T[]): T {
	return items[int(random, items.length)] as T;
}

/** Pieces chosen to collide with GIFT, HTML and the explanation's answer lines, mixed with Chinese. */
const pieces = [
	'党', '的', '建设', '中国共产党', '为人民服务', '（　）', 'a', 'B', '1', ' ', '  ', '\n', '_', '__',
	'{', '}', '~', '=', '#', ':', '<', '>', '&', '"', "'", '\\', '%', '[', ']', '/', '*', '-', ';', '$',
	'&amp;', '&lt;', '&#20013;', '<b>', '<br>', '\\n', '\\{', '::', '####', '->', '$CATEGORY:', '//', '[html]', '[moodle]',
	'%50%', '%-100%', 'T', 'TRUE', '@', '【', '】', '【A】', '【对】', '答“', '”：'
];

/** Text as the bank stores it: lines trimmed, runs of spaces single, no empty lines. */
function tidy(text: string): string {
	return text
		.split('\n')
		.map((l) => l.replace(/ +/g, ' ').trim())
		.filter((l) => l !== '')
		.join('\n');
}

function randomText(random: Random): string {
	for (;;) {
		const text = tidy(Array.from({ length: 1 + int(random, 10) }, () => pick(random, pieces)).join(''));
		if (text !== '') return text;
	}
}

function randomLine(random: Random): string {
	return tidy(randomText(random).replace(/\n/g, ' '));
}

function randomExplanation(random: Random, labels: string[]): string {
	const general = random() < 0.5 ? '' : randomText(random);
	return joinFeedback(
		general,
		labels.map((label) => ({ label, text: random() < 0.5 ? '' : randomLine(random) }))
	);
}

const areaChoices: string[][] = [[], ['政治理论'], ['theory', '党史'], ['党章 & 党规'], ['时政/热点']];

function randomDraft(random: Random): QuestionDraft {
	const common = { stem: randomText(random), difficulty: null, areas: pick(random, areaChoices), source: null, reviewBy: null, categories: [] };
	const options = Array.from({ length: 2 + int(random, 7) }, () => randomText(random));
	const letters = options.map((_, i) => optionLabel(i));
	switch (int(random, 5)) {
		case 0:
			return { ...common, type: 'single', options, correct: int(random, options.length), explanation: randomExplanation(random, letters) };
		case 1: {
			const correct = options.flatMap((_, i) => (random() < 0.5 ? [i] : []));
			if (correct.length < 2) correct.splice(0, correct.length, 0, options.length - 1);
			return { ...common, type: 'multiple', options, correct, explanation: randomExplanation(random, letters) };
		}
		case 2:
			return { ...common, type: 'true_false', correct: random() < 0.5, explanation: randomExplanation(random, [trueLabel, falseLabel]) };
		case 3: {
			const alternatives = [...new Set(Array.from({ length: 1 + int(random, 3) }, () => randomLine(random)))];
			const before = random() < 0.3 ? '' : randomText(random);
			const after = random() < 0.3 ? '' : randomText(random);
			return { ...common, type: 'fill', stem: tidy(`${before}____${after}`), blanks: [alternatives], explanation: randomExplanation(random, alternatives) };
		}
		default: {
			const alternatives = [randomLine(random)];
			return { ...common, type: 'fill', stem: `${common.stem}____和____`, blanks: [alternatives, alternatives], explanation: randomExplanation(random, alternatives) };
		}
	}
}

function content(q: QuestionDraft) {
	if (q.type === 'single' || q.type === 'multiple') return { type: q.type, stem: q.stem, explanation: q.explanation, options: q.options, correct: q.correct };
	if (q.type === 'true_false') return { type: q.type, stem: q.stem, explanation: q.explanation, correct: q.correct };
	return { type: q.type, stem: q.stem, explanation: q.explanation, blanks: q.blanks };
}

function notWritable(q: QuestionDraft): boolean {
	return q.type === 'fill' && (q.blanks.length !== 1 || countBlanks(q.stem) !== 1 || q.blanks.some((b) => b.some((a) => a.includes('->'))));
}

describe('GIFT properties', () => {
	it('gives back what it wrote, with or without blank lines between questions: stem, options, key, explanation, category', () => {
		const kinds = new Map<string, number>();
		for (let seed = 1; seed <= 400; seed++) {
			const random = mulberry32(seed);
			const drafts = Array.from({ length: int(random, 9) }, () => randomDraft(random));
			const { gift, skipped } = questionsToGift(drafts);
			expect(skipped, `seed ${seed}`).toEqual(drafts.flatMap((d, i) => (notWritable(d) ? [i] : [])));
			const expected = drafts.filter((_, i) => !skipped.includes(i));
			for (const d of expected) kinds.set(d.type, (kinds.get(d.type) ?? 0) + 1);
			// A $CATEGORY line holds until the next one, so a question without an area keeps the one before.
			let category = '';
			const categories = expected.map((d) => {
				category = d.areas[0] ?? category;
				return category === '' ? [] : [category];
			});
			for (const text of [gift, gift.replace(/\n\n+/g, '\n'), gift.replace(/\n/g, '\r\n')]) {
				const result = readGift(text);
				if (expected.length === 0) {
					expect(result.problems, `seed ${seed}`).toEqual([{ line: 1, code: 'file_empty' }]);
					continue;
				}
				expect(result.problems, `seed ${seed}`).toEqual([]);
				expect(result.skipped, `seed ${seed}`).toEqual([]);
				expect(result.questions.map(content), `seed ${seed}`).toEqual(expected.map(content));
				expect(result.questions.map((q) => q.categories), `seed ${seed}`).toEqual(categories);
			}
		}
		// Every supported type came through often enough to mean something.
		for (const type of ['single', 'multiple', 'true_false', 'fill']) expect(kinds.get(type) ?? 0).toBeGreaterThan(200);
	});

	it('never throws, whatever the text', () => {
		const giftish = fc
			.array(
				fc.constantFrom(
					'{', '}', '=', '~', '#', '####', '%50%', '%-', '::', '\\', '\\n', '->', '[html]', '[plain]', '$CATEGORY:', '//',
					'T', 'FALSE', '党', '<p>', '<img>', '&amp;', '____', '\n', '\n\n', '\r\n', ' ', '\t'
				),
				{ maxLength: 40 }
			)
			.map((p) => p.join(''));
		fc.assert(
			fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), giftish), (input) => {
				const result = readGift(input);
				expect(Array.isArray(result.questions) && Array.isArray(result.problems) && Array.isArray(result.skipped)).toBe(true);
				const lines = input.split(/\r\n|\r|\n/).length;
				for (const p of [...result.problems, ...result.skipped, ...result.questions.map((q) => q.at)]) {
					expect('line' in p && p.line >= 1 && p.line <= lines).toBe(true);
				}
			}),
			{ numRuns: 1000 }
		);
	});
});
