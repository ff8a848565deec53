import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { type AnswerFeedback, falseLabel, joinFeedback, optionLabel, trueLabel } from '../feedback';
import { maxQuestionFileBytes, type ParseResult, type ParsedQuestion, type QuestionDraft } from '../types';
import { categoryPath, htmlToText, questionsToMoodleXml, readMoodleXml, splitHundred } from './moodle-xml';
import { mulberry32 } from '../../testing/random';

const fixture = readFileSync(new URL('./fixtures/moodle-party-theory.xml', import.meta.url), 'utf8');
const feedbackFixture = readFileSync(new URL('./fixtures/moodle-feedback.xml', import.meta.url), 'utf8');

/** The line of the first `<question` after the comment Moodle writes before it. */
function questionLine(xml: string, marker: string): number {
	const lines = xml.split('\n');
	const markerIndex = lines.findIndex((l) => l.includes(marker));
	const offset = lines.slice(markerIndex).findIndex((l) => l.includes('<question'));
	return markerIndex + offset + 1;
}

function quiz(...questions: string[]): string {
	return `<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n${questions.join('\n')}\n</quiz>\n`;
}

function multichoice(stem: string, answers: [number, string][], extra = ''): string {
	return `<question type="multichoice">
  <name><text>题</text></name>
  <questiontext format="html"><text><![CDATA[<p>${stem}</p>]]></text></questiontext>
  ${extra}
${answers.map(([f, t]) => `  <answer fraction="${f}" format="html"><text>${t}</text></answer>`).join('\n')}
</question>`;
}

function codes(result: ParseResult): string[] {
	return result.problems.map((p) => p.code);
}

function draft(overrides: Partial<QuestionDraft> & Pick<QuestionDraft, 'type'>): QuestionDraft {
	const base = { stem: '题干', explanation: '', difficulty: null, areas: [], source: null, reviewBy: null, categories: [] };
	if (overrides.type === 'single') return { ...base, options: ['甲', '乙'], correct: 0, ...overrides } as QuestionDraft;
	if (overrides.type === 'multiple') return { ...base, options: ['甲', '乙', '丙'], correct: [0, 1], ...overrides } as QuestionDraft;
	if (overrides.type === 'true_false') return { ...base, correct: true, ...overrides } as QuestionDraft;
	return { ...base, stem: '党的根本宗旨是____。', blanks: [['全心全意为人民服务']], ...overrides } as QuestionDraft;
}

describe('readMoodleXml: a Moodle export', () => {
	const result = readMoodleXml(fixture);
	const byStem = (start: string): ParsedQuestion => {
		const found = result.questions.find((q) => q.stem.startsWith(start));
		if (!found) throw new Error(`no question starting ${start}`);
		return found;
	};

	it('reads the four supported types and skips the rest', () => {
		expect(result.problems).toEqual([]);
		expect(result.questions.map((q) => q.type)).toEqual(['single', 'multiple', 'true_false', 'fill', 'single']);
		expect(result.skipped).toEqual([
			{ line: questionLine(fixture, 'question: 105'), code: 'unsupported_type', value: 'essay' },
			{ line: questionLine(fixture, 'question: 106'), code: 'unsupported_type', value: 'match' },
			{ line: questionLine(fixture, 'question: 107'), code: 'embedded_file', value: 'multichoice' }
		]);
	});

	it('turns HTML into plain text and keeps the answer brackets', () => {
		const q = byStem('党的最高理想');
		expect(q).toMatchObject({
			type: 'single',
			stem: '党的最高理想和最终目标是（　）。',
			options: ['实现共产主义', '全面建成小康社会', '实现中华民族伟大复兴', '建设社会主义现代化强国'],
			correct: 0,
			// The combined feedbacks are not Moodle's defaults here, so they are kept.
			explanation: '《中国共产党章程》总纲：党的最高理想和最终目标是实现共产主义。\n答对时：你的答案正确。\n部分正确时：你的答案部分正确。\n答错时：你的答案不正确。',
			difficulty: null,
			areas: [],
			source: null,
			reviewBy: null,
			at: { line: questionLine(fixture, 'question: 101') }
		});
	});

	it('gives each question its category path as its category and its tags apart', () => {
		expect(byStem('党的最高理想')).toMatchObject({ categories: ['政治理论/党章'], tags: ['党章', '基础'] });
		expect(byStem('党员要增强')).toMatchObject({ categories: ['政治理论/党章'], tags: [] });
		expect(byStem('遵义会议')).toMatchObject({ categories: ['政治理论/党的历史'], tags: ['党史'] });
		expect(byStem('“三会一课”')).toMatchObject({ categories: ['政治理论/党的历史'], tags: ['组织生活'] });
	});

	it('reads entity-escaped HTML and keeps a <br> as a line break', () => {
		const q = byStem('党员要增强');
		expect(q).toMatchObject({
			type: 'multiple',
			stem: '党员要增强“四个意识”，下列属于“四个意识”的有（　）。',
			options: ['政治意识', '大局意识', '核心意识', '看齐意识', '道路自信'],
			correct: [0, 1, 2, 3],
			explanation: '政治意识、大局意识、核心意识、看齐意识。\n“四个自信”不属于“四个意识”。'
		});
	});

	it('reads true/false and short answer (full marks only, blank marker normalised)', () => {
		expect(byStem('遵义会议')).toMatchObject({ type: 'true_false', correct: true, stem: '遵义会议是党的历史上一个生死攸关的转折点。' });
		expect(byStem('党的根本宗旨')).toMatchObject({ type: 'fill', stem: '党的根本宗旨是____。', blanks: [['全心全意为人民服务', '全心全意为人民服务。']] });
	});

	it('keeps plain_text as typed: angle brackets are characters there', () => {
		expect(byStem('“三会一课”')).toMatchObject({ type: 'single', stem: '“三会一课”中的“一课”指的是 <党课> 还是 <团课>？', correct: 0 });
	});
});

describe('readMoodleXml: feedback in the explanation', () => {
	const result = readMoodleXml(feedbackFixture);
	const byStem = (start: string): ParsedQuestion => {
		const found = result.questions.find((q) => q.stem.startsWith(start));
		if (!found) throw new Error(`no question starting ${start}`);
		return found;
	};

	it('reads every question of the file', () => {
		expect(result.problems).toEqual([]);
		expect(result.skipped).toEqual([]);
		expect(result.questions.map((q) => q.type)).toEqual(['single', 'multiple', 'single', 'true_false', 'fill']);
	});

	it('puts the general feedback first, then correct/incorrect feedback, then one line per option by letter', () => {
		expect(byStem('入党誓词')).toMatchObject({
			options: ['叛党', '退缩', '懈怠'],
			correct: 0,
			explanation: [
				'见《中国共产党章程》第六条。',
				'誓词共80个字。',
				'答对时：答对了，誓词要背熟。',
				'答错时：请重读党章第六条， 再做一遍。',
				'【A】对，原文是“永不叛党”。',
				'【C】不对。 誓词里没有这个词。'
			].join('\n'),
			categories: ['政治理论/党章'],
			tags: ['charter', '誓词']
		});
	});

	it('labels a multiple choice’s feedback by option and leaves out Moodle’s default combined feedback', () => {
		expect(byStem('下列属于党的建设')).toMatchObject({
			correct: [0, 1],
			explanation: '【B】思想建设是党的基础性建设。\n【D】这是“五位一体”的一项。'
		});
		// Moodle's Chinese defaults too; plain_text feedback keeps its angle brackets.
		expect(byStem('“三会一课”').explanation).toBe('按时上好党课。\n【A】<团课>是共青团的。');
	});

	it('labels true/false feedback by the answer it belongs to, not by its place', () => {
		expect(byStem('中共一大')).toMatchObject({
			correct: true,
			explanation: '1921年7月。\n【对】正确。\n【错】会议确实转移到了南湖的游船上。',
			categories: ['政治理论/党的历史'],
			tags: ['history']
		});
	});

	it('labels short-answer feedback by the alternative, and says which answer the others are about', () => {
		expect(byStem('党的根本宗旨')).toMatchObject({
			type: 'fill',
			blanks: [['全心全意为人民服务', '全心全意为人民服务。']],
			explanation: ['党章总纲。', '答“为人民服务”：少了“全心全意”。', '答“*”：请再读 党章总纲。', '【全心全意为人民服务】完全正确。'].join('\n')
		});
	});
});

describe('readMoodleXml: small files', () => {
	it('reads a single choice with entities, CDATA and a BOM', () => {
		const xml = '\uFEFF' + quiz(multichoice('下列说法&amp;正确的是&#xFF08;&#12288;&#xFF09;', [[100, '党&lt;章&gt;'], [0, '&#20013;国']]));
		const result = readMoodleXml(xml);
		expect(result.problems).toEqual([]);
		expect(result.questions[0]).toMatchObject({ stem: '下列说法&正确的是（　）', options: ['党<章>', '中国'], correct: 0, at: { line: 3 } });
	});

	it('counts lines in CRLF files', () => {
		const xml = quiz(multichoice('甲', [[100, 'a'], [0, 'b']]), multichoice('乙', [[100, 'a'], [0, 'b']])).replace(/\n/g, '\r\n');
		expect(readMoodleXml(xml).questions.map((q) => q.at)).toEqual([{ line: 3 }, { line: 10 }]);
	});

	it('treats an absent <single> as single and <single>false</single> as multiple', () => {
		const result = readMoodleXml(
			quiz(multichoice('甲', [[100, 'a'], [0, 'b']]), multichoice('乙', [[50, 'a'], [50, 'b'], [-100, 'c']], '<single>false</single>'))
		);
		expect(result.questions.map((q) => q.type)).toEqual(['single', 'multiple']);
	});

	it('appends a blank to a short-answer stem without one', () => {
		const xml = quiz(`<question type="shortanswer"><questiontext format="html"><text>党的根本宗旨是什么？</text></questiontext>
<answer fraction="100"><text>全心全意为人民服务</text></answer><answer fraction="100"><text>5\\*5</text></answer></question>`);
		expect(readMoodleXml(xml).questions[0]).toMatchObject({ stem: '党的根本宗旨是什么？ ____', blanks: [['全心全意为人民服务', '5*5']] });
	});

	it('skips the types the bank cannot hold, with the type named', () => {
		const types = ['numerical', 'multianswer', 'description', 'calculated', 'calculatedmulti', 'ddwtos', 'gapselect', 'ordering', 'random'];
		const xml = quiz(...types.map((t) => `<question type="${t}"><questiontext><text>题</text></questiontext></question>`));
		const result = readMoodleXml(xml);
		expect(result.skipped.map((s) => s.value)).toEqual(types);
		expect(result.skipped.every((s) => s.code === 'unsupported_type')).toBe(true);
	});

	it('skips questions with images or files anywhere in their texts', () => {
		const result = readMoodleXml(
			quiz(
				multichoice('看图', [[100, '&lt;img src="a.png"&gt;'], [0, 'b']]),
				multichoice('看图', [[100, 'a'], [0, 'b']], '<generalfeedback><text>@@PLUGINFILE@@/x.pdf</text></generalfeedback>')
			)
		);
		expect(result.questions).toEqual([]);
		expect(result.skipped.map((s) => s.code)).toEqual(['embedded_file', 'embedded_file']);
	});

	it('keeps tags apart from the category: trimmed, distinct, in file order', () => {
		const tags = `<tags>
    <tag><text>  党史 </text></tag>
    <tag><text>theory</text></tag>
    <tag><text></text></tag>
    <tag><text>党史</text></tag>
    <tag><text>政治理论/党章</text></tag>
    <tag><text>组织
      生活</text></tag>
    <tag><text>&lt;b&gt;</text></tag>
  </tags>`;
		const result = readMoodleXml(
			quiz(
				multichoice('没有类别', [[100, 'a'], [0, 'b']], tags),
				'<question type="category"><category><text>$course$/top/政治理论/党章</text></category></question>',
				multichoice('有类别', [[100, 'a'], [0, 'b']], tags),
				multichoice('没有标签', [[100, 'a'], [0, 'b']])
			)
		);
		expect(result.problems).toEqual([]);
		expect(result.questions.map((q) => [q.categories, q.tags])).toEqual([
			[[], ['党史', 'theory', '政治理论/党章', '组织 生活', '<b>']],
			[['政治理论/党章'], ['党史', 'theory', '政治理论/党章', '组织 生活', '<b>']],
			[['政治理论/党章'], []]
		]);
	});

	it('gives answers that share a label one feedback line, and places odd true/false answers as Moodle does', () => {
		const fb = (text: string) => `<feedback format="html"><text>${text}</text></feedback>`;
		const result = readMoodleXml(
			quiz(
				`<question type="shortanswer"><questiontext><text>填____</text></questiontext>
<answer fraction="100"><text>甲</text>${fb('一')}</answer>
<answer fraction="100.0000000"><text> 甲 </text>${fb('二')}</answer>
<answer fraction="100"><text>乙</text>${fb('一')}</answer>
<answer fraction="100"><text>丙</text>${fb('')}</answer>
<answer fraction="100"><text></text>${fb('空')}</answer>
<answer fraction="0"><text>甲</text>${fb('到不了')}</answer></question>`,
				`<question type="truefalse"><questiontext><text>判断</text></questiontext>
<answer fraction="100"><text>true</text>${fb('是')}</answer>
<answer fraction="0"><text>不是</text>${fb('否')}</answer></question>`
			)
		);
		expect(result.problems).toEqual([]);
		expect(result.questions.map((q) => q.explanation)).toEqual([
			'答“”：空\n答“甲”：到不了\n【甲】一 二\n【乙】一',
			'【对】是\n【错】否'
		]);
	});

	it('strips category prefixes', () => {
		expect(categoryPath('$course$/top/政治理论/党章')).toBe('政治理论/党章');
		expect(categoryPath('$system$/top/Default for 系统')).toBe('Default for 系统');
		expect(categoryPath('$course$/top')).toBe('');
		expect(categoryPath('党章')).toBe('党章');
	});

	it('drops inline tags without adding spaces between Chinese characters', () => {
		expect(htmlToText('<p><b>中国</b>共产党<span style="x">章程</span></p><p>第二段&nbsp;文字</p>')).toBe('中国共产党章程\n第二段 文字');
		expect(htmlToText('a <!-- note --> b<br/>c')).toBe('a b\nc');
	});
});

describe('readMoodleXml: broken files', () => {
	it('reports malformed XML once, with its line', () => {
		const xml = '<?xml version="1.0"?>\n<quiz>\n<question type="multichoice">\n<questiontext><text>甲</text>\n</quiz>\n';
		const result = readMoodleXml(xml);
		expect(result.questions).toEqual([]);
		expect(result.problems).toHaveLength(1);
		expect(result.problems[0]).toMatchObject({ code: 'syntax', line: 5 });
	});

	it('refuses XML that is not a quiz, and text that is not XML', () => {
		expect(codes(readMoodleXml('<html><body>题库</body></html>'))).toEqual(['file_unreadable']);
		expect(codes(readMoodleXml('党的最高理想是{=共产主义}'))).toEqual(['file_unreadable']);
	});

	it('reports an empty file and a quiz without questions as empty', () => {
		expect(codes(readMoodleXml(''))).toEqual(['file_empty']);
		expect(codes(readMoodleXml(' \n\t\r\n'))).toEqual(['file_empty']);
		expect(codes(readMoodleXml('\uFEFF'))).toEqual(['file_empty']);
		expect(codes(readMoodleXml('<quiz></quiz>'))).toEqual(['file_empty']);
		expect(codes(readMoodleXml(quiz('<question type="category"><category><text>$course$/top/a</text></category></question>')))).toEqual([
			'file_empty'
		]);
	});

	it('refuses a file over the size limit at once', () => {
		const result = readMoodleXml('<'.repeat(maxQuestionFileBytes + 1));
		expect(result.problems).toEqual([{ line: 1, code: 'file_too_large' }]);
	});

	it('checks the answers', () => {
		const result = readMoodleXml(
			quiz(
				multichoice('没有正确答案', [[0, 'a'], [0, 'b']]),
				multichoice('两个满分', [[100, 'a'], [100, 'b']]),
				multichoice('多选只有一个', [[100, 'a'], [0, 'b']], '<single>false</single>'),
				multichoice('只有一个选项', [[100, 'a']]),
				multichoice('九个选项', [[100, 'a'], ...[...'bcdefghi'].map((c): [number, string] => [0, c])]),
				multichoice('空选项', [[100, 'a'], [0, '  ']]),
				`<question type="truefalse"><questiontext><text>判断</text></questiontext><answer fraction="100"><text>对</text></answer></question>`,
				`<question type="shortanswer"><questiontext><text>填空____</text></questiontext><answer fraction="50"><text>半对</text></answer></question>`,
				`<question type="shortanswer"><questiontext><text>两个空____和____</text></questiontext><answer fraction="100"><text>甲</text></answer></question>`,
				multichoice('', [[100, 'a'], [0, 'b']])
			)
		);
		expect(result.questions).toEqual([]);
		expect(codes(result)).toEqual([
			'missing_answer',
			'answer_needs_one',
			'answer_needs_two',
			'too_few_options',
			'too_many_options',
			'required',
			'invalid_true_false',
			'missing_answer',
			'blank_count_mismatch',
			'required'
		]);
		expect(result.problems.map((p) => ('line' in p ? p.line : 0))).toEqual([3, 10, 17, 24, 30, 44, 51, 52, 53, 54]);
	});

	it('checks lengths', () => {
		const result = readMoodleXml(quiz(multichoice('长'.repeat(2001), [[100, 'a'], [0, '选'.repeat(501)]])));
		expect(result.problems).toMatchObject([
			{ code: 'too_long', column: 'questiontext' },
			{ code: 'too_long', column: 'answer' }
		]);
	});

	it('reads a large file just under the limit', () => {
		const question = multichoice('党的最高理想和最终目标是<b>（　）</b>。', [[100, '实现共产主义'], [0, '&lt;p&gt;全面建成小康社会&lt;/p&gt;']]) + '\n';
		const big = quiz(question.repeat(Math.floor((maxQuestionFileBytes - 100) / question.length)));
		const result = readMoodleXml(big);
		expect(result.problems).toEqual([]);
		expect(result.questions.length).toBeGreaterThan(30_000);
	});

	it('survives nesting deeper than the parser allows', () => {
		const deep = `<quiz>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</quiz>`;
		expect(() => readMoodleXml(deep)).not.toThrow();
	});
});

describe('questionsToMoodleXml', () => {
	it('writes valid XML that Moodle can import, one category per first area', () => {
		const { xml, skipped } = questionsToMoodleXml([
			draft({ type: 'single', areas: ['政治理论'] }),
			draft({ type: 'true_false', areas: [] }),
			draft({ type: 'fill', areas: ['党史', '政治理论'] }),
			draft({ type: 'multiple', areas: ['政治理论'] })
		]);
		expect(skipped).toEqual([]);
		expect(XMLValidator.validate(xml)).toBe(true);
		expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')).toBe(true);
		const categories = [...xml.matchAll(/<category><text>(.*?)<\/text><\/category>/g)].map((m) => m[1]);
		expect(categories).toEqual(['$course$/top/政治理论', '$course$/top/党史']);
		expect([...xml.matchAll(/<question type="(\w+)">/g)].map((m) => m[1])).toEqual([
			'truefalse',
			'category',
			'multichoice',
			'multichoice',
			'category',
			'shortanswer'
		]);
		expect(xml).toContain('<shuffleanswers>1</shuffleanswers>');
		expect(xml).toContain('<answernumbering>ABCD</answernumbering>');
	});

	it('drops characters XML cannot hold instead of writing a file Moodle refuses', () => {
		const { xml } = questionsToMoodleXml([draft({ type: 'single', stem: '题\u0001干\uD800', options: ['甲\u001F', '乙'], areas: ['a\u0000'] })]);
		expect(XMLValidator.validate(xml)).toBe(true);
		expect(readMoodleXml(xml).questions[0]).toMatchObject({ stem: '题干', options: ['甲', '乙'] });
	});

	it('leaves out fill questions with more than one blank', () => {
		const { skipped } = questionsToMoodleXml([
			draft({ type: 'single' }),
			draft({ type: 'fill', stem: '____和____', blanks: [['甲'], ['乙']] }),
			draft({ type: 'fill' })
		]);
		expect(skipped).toEqual([1]);
	});

	it('splits 100 among the right options of a multiple choice', () => {
		const { xml } = questionsToMoodleXml([draft({ type: 'multiple', options: ['a', 'b', 'c', 'd'], correct: [0, 2, 3] })]);
		const fractions = [...xml.matchAll(/<answer fraction="([^"]+)"/g)].map((m) => Number(m[1]));
		expect(fractions).toEqual([33.33333, 0, 33.33333, 33.33334]);
		for (let n = 1; n <= 8; n++) {
			const shares = splitHundred(n).map(Number);
			expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 9);
			expect(Math.max(...shares) - Math.min(...shares)).toBeLessThan(0.0001);
		}
	});

	/** The general feedback, then each answer's, of every question, as written (CDATA and all). */
	function writtenFeedback(xml: string): string[][] {
		return xml
			.split('<question type=')
			.filter((block) => block.includes('<generalfeedback'))
			.map((block) => [...block.matchAll(/<(?:generalfeedback|feedback) format="html"><text>(.*?)<\/text>/g)].map((m) => m[1] ?? ''));
	}

	it('writes the general part as general feedback and each answer line as that answer’s feedback', () => {
		const drafts = [
			draft({ type: 'single', options: ['甲', '乙', '丙'], explanation: '见第五条。\n答对时：好。\n【A】原文如此。\n【C】不是 <这个> & ]]>' }),
			draft({ type: 'multiple', options: ['甲', '乙', '丙'], correct: [0, 2], explanation: '【B】乙不是。' }),
			draft({ type: 'true_false', correct: false, explanation: '第十条。\n【错】正是。' }),
			draft({ type: 'fill', blanks: [['全心全意为人民服务', '为人民*服务']], explanation: '总纲。\n答“为人民”：少了。\n【为人民*服务】也算对。' })
		];
		const { xml } = questionsToMoodleXml(drafts);
		expect(XMLValidator.validate(xml)).toBe(true);
		expect(writtenFeedback(xml)).toEqual([
			['<![CDATA[见第五条。<br>答对时：好。]]>', '<![CDATA[原文如此。]]>', '', '<![CDATA[不是 &lt;这个&gt; &amp; ]]&gt;]]>'],
			['', '', '<![CDATA[乙不是。]]>', ''],
			['<![CDATA[第十条。]]>', '', '<![CDATA[正是。]]>'],
			['<![CDATA[总纲。<br>答“为人民”：少了。]]>', '', '<![CDATA[也算对。]]>']
		]);
		expect(readMoodleXml(xml).questions.map((q) => q.explanation)).toEqual(drafts.map((d) => d.explanation));
	});

	it('keeps answer lines it cannot place whole in the general feedback, so they read back the same', () => {
		const explanations = [
			'【B】先说乙\n【A】再说甲', // not in answer order
			'【A】一\n【A】二', // two lines for one answer
			'【A】\n【B】空的', // a line without text
			'总结\n【A】 前有空格', // not as the reader writes it
			'【C】没有这个选项\n【A】甲' // a label the question does not have ends the answer lines
		];
		const drafts = explanations.map((explanation) => draft({ type: 'single', options: ['甲', '乙'], explanation }));
		const { xml } = questionsToMoodleXml(drafts);
		expect(writtenFeedback(xml).map((f) => f.slice(1).every((text) => text === ''))).toEqual([true, true, true, true, false]);
		expect(writtenFeedback(xml)[4]).toEqual(['<![CDATA[【C】没有这个选项]]>', '<![CDATA[甲]]>', '']);
		expect(readMoodleXml(xml).questions.map((q) => q.explanation)).toEqual(explanations);
	});
});

// ---------------------------------------------------------------------------------------------------------
// Properties

/** Pieces chosen to collide with XML, HTML, GIFT and Aiken syntax, mixed with Chinese. */
const pieces = [
	'党', '的', '建设', '中国共产党', '为人民服务', '（　）', 'a', 'B', '1', ' ', '  ', '\n',
	'{', '}', '~', '=', '#', ':', '<', '>', '&', '"', "'", '\\', '%', '[', ']', '/', '*', '-', ';', '$',
	'&amp;', '&lt;', '\\*', '&#20013;', '&nbsp;', '<b>', '</p>', '<br>', ']]>', '<![CDATA[', '<!--', '\\n', '::', '####',
	'->', '$CATEGORY:', '//', '[html]', '%50%', 'ANSWER:', 'T', '@'
];

/** What every reader does to text: spaces collapsed, lines trimmed, empty lines gone. */
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

/** The part of a question the round trip must keep. */
function content(q: QuestionDraft) {
	if (q.type === 'single' || q.type === 'multiple') return { type: q.type, stem: q.stem, explanation: q.explanation, options: q.options, correct: q.correct };
	if (q.type === 'true_false') return { type: q.type, stem: q.stem, explanation: q.explanation, correct: q.correct };
	return { type: q.type, stem: q.stem, explanation: q.explanation, blanks: q.blanks };
}

/** The order the writer puts questions in: grouped by first area, questions without one first. */
function writtenOrder(drafts: QuestionDraft[]): QuestionDraft[] {
	const order = ['', ...new Set(drafts.map((d) => d.areas[0] ?? '').filter((a) => a !== ''))];
	return order.flatMap((area) => drafts.filter((d) => (d.areas[0] ?? '') === area));
}


/** Besides the XML and HTML pieces: the feedback labels and the lines the reader adds, to confuse the split. */
const feedbackPieces = [...pieces, '【', '】', '【A】', '【B】', '【对】', '【错】', '答对时：', '答“', '”：', ']]]]>', ']]]]><![CDATA[>', 'CDATA'];

/** `placed`: how many answers get a feedback of their own, unless a general line looks like an answer line. */
type GeneratedQuestion = { draft: QuestionDraft; placed: number | undefined };

/**
 * Questions of every type with feedback on random answers. Most explanations are as the reader writes them
 * (general part, then answer lines in answer order); some have answer lines the writer cannot place
 * (out of order, doubled, empty), which must come back the same too.
 */
function generatedQuestions(seed: number, count: number): GeneratedQuestion[] {
	const random = mulberry32(seed);
	const below = (n: number) => Math.floor(random() * n);
	const pick = <T>(list: readonly T[]): T => list[below(list.length)] as T;
	const line = (): string => {
		const t = tidy(Array.from({ length: 1 + below(8) }, () => pick(feedbackPieces)).join('').replace(/\n/g, ' '));
		return t === '' ? pick(['党', '【', ']]>']) : t;
	};
	const lines = (): string => Array.from({ length: 1 + below(3) }, line).join('\n');
	const areaChoices: string[][] = [[], [], ['政治理论'], ['theory', '党史'], ['党章 & 党规'], ['<时政>/"热点"']];
	return Array.from({ length: count }, (_, n): GeneratedQuestion => {
		const type = (['single', 'multiple', 'true_false', 'fill'] as const)[n % 4] ?? 'single';
		const options = Array.from({ length: 2 + below(7) }, line);
		const alternatives = [...new Set(Array.from({ length: 1 + below(3) }, line))];
		const labels = type === 'true_false' ? [trueLabel, falseLabel] : type === 'fill' ? alternatives : options.map((_o, i) => optionLabel(i));
		const perAnswer: AnswerFeedback[] = labels.flatMap((label) => (random() < 0.5 ? [{ label, text: line() }] : []));
		const general = random() < 0.3 ? '' : lines();
		let explanation = joinFeedback(general, perAnswer);
		// A general line such as `【A】…` just before the answer lines is taken as one of them, and a line for an
		// alternative with `】` in it is not taken as an answer line at all: fine for the round trip, but then the
		// count of placed feedbacks is not simply the answers with feedback.
		const unclear = general.split('\n').some((l) => l.startsWith('【')) || perAnswer.some((f) => f.label.includes('】'));
		let placed = unclear ? undefined : perAnswer.length;
		if (random() < 0.2 && perAnswer.length > 0) {
			const shuffled = [...perAnswer].reverse();
			const doubled = [...perAnswer, ...perAnswer.slice(-1)];
			const handWritten = pick([shuffled, doubled]).map((f) => `【${f.label}】${f.text}`);
			if (handWritten.length > 1) {
				explanation = [general, ...handWritten].filter((part) => part !== '').join('\n');
				if (placed !== undefined) placed = 0;
			}
		}
		const common = { stem: lines(), explanation, difficulty: null, areas: pick(areaChoices), source: null, reviewBy: null, categories: [] };
		if (type === 'single') return { draft: { ...common, type, options, correct: below(options.length) }, placed };
		if (type === 'multiple') {
			const correct = options.flatMap((_o, i) => (i < 2 || random() < 0.4 ? [i] : []));
			return { draft: { ...common, type, options, correct }, placed };
		}
		if (type === 'true_false') return { draft: { ...common, type, correct: random() < 0.5 }, placed };
		const stem = tidy(`${random() < 0.5 ? lines() : ''}____${random() < 0.5 ? line() : ''}`);
		return { draft: { ...common, type, stem, blanks: [alternatives] }, placed };
	});
}

describe('Moodle XML round trip with feedback', () => {
	it('gives back the explanation, stem, options and key of every type, feedback placed on its answers', () => {
		for (const seed of [1, 17, 2024, 0x5eed]) {
			const generated = generatedQuestions(seed, 400);
			const drafts = generated.map((g) => g.draft);
			const { xml, skipped } = questionsToMoodleXml(drafts);
			expect(skipped).toEqual([]);
			expect(XMLValidator.validate(xml)).toBe(true);
			const result = readMoodleXml(xml);
			expect(result.problems).toEqual([]);
			expect(result.skipped).toEqual([]);
			const expected = writtenOrder(drafts);
			expect(result.questions.map(content)).toEqual(expected.map(content));
			expect(result.questions.map((q) => q.tags)).toEqual(expected.map((d) => d.areas));
			// Each answer line went to its answer's <feedback>, not into the general feedback.
			const placed = new Map(generated.map((g) => [g.draft, g.placed]));
			const answerFeedbacks = xml
				.split('<question type=')
				.filter((block) => block.includes('<generalfeedback'))
				.map((block) => block.match(/<feedback format="html"><text><!\[CDATA\[/g)?.length ?? 0);
			const checked = expected.flatMap((d, i) => (placed.get(d) === undefined ? [] : [i]));
			expect(checked.length).toBeGreaterThan(300);
			expect(checked.map((i) => answerFeedbacks[i])).toEqual(checked.map((i) => placed.get(expected[i] as QuestionDraft)));
		}
	});
});

describe('Moodle XML properties', () => {
	it('gives back what it wrote: stem, options, key, explanation, first area as category, areas as tags', () => {
		fc.assert(
			fc.property(fc.array(generatedDraft, { maxLength: 8 }), (drafts) => {
				const { xml, skipped } = questionsToMoodleXml(drafts);
				expect(XMLValidator.validate(xml)).toBe(true);
				const kept = drafts.filter((d, i) => !skipped.includes(i));
				expect(skipped).toEqual(drafts.flatMap((d, i) => (d.type === 'fill' && d.blanks.length > 1 ? [i] : [])));
				const expected = writtenOrder(kept);
				const result = readMoodleXml(xml);
				if (expected.length === 0) {
					expect(result.problems).toEqual([{ line: 1, code: 'file_empty' }]);
					return;
				}
				expect(result.problems).toEqual([]);
				expect(result.skipped).toEqual([]);
				expect(result.questions.map(content)).toEqual(expected.map(content));
				// The category is the first area and every area is a tag.
				expect(result.questions.map((q) => q.categories)).toEqual(expected.map((d) => d.areas.slice(0, 1)));
				expect(result.questions.map((q) => q.tags)).toEqual(expected.map((d) => [...new Set(d.areas)]));
			}),
			{ numRuns: 300 }
		);
	});

	it('never throws, whatever the text', () => {
		const xmlish = fc
			.array(
				fc.constantFrom(
					'<quiz>', '</quiz>', '<question type="multichoice">', '<question type="shortanswer">', '<question type="truefalse">',
					'<question type="category">', '</question>', '<questiontext format="html">', '</questiontext>', '<text>', '</text>',
					'<answer fraction="100">', '<answer fraction="x">', '</answer>', '<![CDATA[', ']]>', '<single>false</single>', '<text/>',
					'<file>', '&amp;', '&#0;', '&#x110000;', '<!--', '-->', '<?xml version="1.0"?>', '<!DOCTYPE x [<!ENTITY a "b">]>', '&a;',
					'@@PLUGINFILE@@', '____', '党', '\n', '\r', ' ', '<', '>', '"'
				),
				{ maxLength: 40 }
			)
			.map((p) => p.join(''));
		fc.assert(
			fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), xmlish), (input) => {
				const result = readMoodleXml(input);
				expect(Array.isArray(result.questions) && Array.isArray(result.problems) && Array.isArray(result.skipped)).toBe(true);
				for (const p of [...result.problems, ...result.skipped]) expect('line' in p && p.line >= 1).toBe(true);
			}),
			{ numRuns: 1000 }
		);
	});
});
