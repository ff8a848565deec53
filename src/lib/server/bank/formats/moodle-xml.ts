// Moodle XML question files (Moodle: Question bank → Export / Import → Moodle XML format).
// Only the four question types the bank knows are read; everything else Moodle can hold (essay, matching,
// numerical, cloze …) and questions carrying images or files are listed as skipped instead of being half
// imported. Feedback, general and per answer, is kept in the explanation as ../feedback.ts lays it out; tags
// are kept apart from the category. The helpers at the top are shared with gift.ts and aiken.ts.
//
// Command-line tasks load this file with tsx, so it must only use relative imports (no $lib, $app, $env).
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { explanationMaxLength, optionMaxLength, stemMaxLength } from '../check';
import { type AnswerFeedback, falseLabel, joinFeedback, optionLabel, splitFeedback, trueLabel } from '../feedback';
import { blankMarker, countBlanks } from '../normalize';
import type { FilePosition, FormatProblem, ParseResult, QuestionDraft } from '../types';
import { maxOptions, maxQuestionFileBytes, minOptions } from '../types';

// ---------------------------------------------------------------------------------------------------------
// Shared by the text formats

/** The refusals every reader makes before parsing, so a huge or empty upload costs nothing. */
export function checkFileText(text: string): ParseResult | null {
	if (text.length > maxQuestionFileBytes) return { questions: [], problems: [{ line: 1, code: 'file_too_large' }], skipped: [] };
	if (stripBom(text).trim() === '') return { questions: [], problems: [{ line: 1, code: 'file_empty' }], skipped: [] };
	return null;
}

export function stripBom(text: string): string {
	return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Lines as editors count them: CRLF, CR and LF all end a line. */
export function splitLines(text: string): string[] {
	return text.split(/\r\n|\r|\n/);
}

/** The fields none of these formats can carry; the import fills in difficulty and maps categories to areas. */
export function noMetadata(): { difficulty: null; areas: string[]; source: null; reviewBy: null } {
	return { difficulty: null, areas: [], source: null, reviewBy: null };
}

/**
 * Plain text as the bank stores it: every run of spaces and tabs becomes one space, lines are trimmed and empty
 * lines dropped. Line breaks the author made on purpose (a `<br>`, a new paragraph) are kept. The ideographic
 * space inside a line is left alone: `（　）` is how Chinese papers draw the answer brackets.
 */
export function tidyText(text: string): string {
	return text
		.replace(/\r\n?/g, '\n')
		.split('\n')
		.map((line) => line.replace(/[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f]+/g, ' ').trim())
		.filter((line) => line !== '')
		.join('\n');
}

const namedEntities: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: ' ',
	ensp: ' ',
	emsp: ' ',
	thinsp: ' ',
	ldquo: '“',
	rdquo: '”',
	lsquo: '‘',
	rsquo: '’',
	laquo: '«',
	raquo: '»',
	mdash: '—',
	ndash: '–',
	hellip: '…',
	middot: '·',
	bull: '•',
	times: '×',
	divide: '÷',
	deg: '°',
	plusmn: '±',
	le: '≤',
	ge: '≥',
	ne: '≠',
	copy: '©',
	reg: '®',
	trade: '™',
	sect: '§',
	para: '¶',
	yen: '¥',
	shy: ''
};

function codePointText(code: number, original: string): string {
	const valid = Number.isInteger(code) && code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
	return valid ? String.fromCodePoint(code) : original;
}

/** One pass, so `&amp;lt;` becomes `&lt;` and not `<`. Unknown names are left as they are. */
export function decodeEntities(text: string, names: Record<string, string> = namedEntities): string {
	if (!text.includes('&')) return text;
	return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/g, (whole, ref: string) => {
		if (ref.startsWith('#x') || ref.startsWith('#X')) return codePointText(parseInt(ref.slice(2), 16), whole);
		if (ref.startsWith('#')) return codePointText(parseInt(ref.slice(1), 10), whole);
		return names[ref] ?? whole;
	});
}

const xmlEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const blockTags = new Set([
	...['br', 'p', 'div', 'li', 'ul', 'ol', 'tr', 'table', 'hr', 'blockquote', 'pre'],
	...['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'dd', 'dt', 'section', 'article']
]);

/** Removes `<!-- … -->` with indexOf, not a lazy regex, so many unclosed `<!--` cannot make it quadratic. */
function removeComments(text: string): string {
	let out = '';
	let from = 0;
	for (;;) {
		const start = text.indexOf('<!--', from);
		if (start < 0) return out + text.slice(from);
		out += text.slice(from, start);
		const end = text.indexOf('-->', start + 4);
		if (end < 0) return out;
		from = end + 3;
	}
}

/**
 * HTML to the bank's plain text. Block elements and `<br>` end a line, inline elements (`<b>`, `<span>`) vanish
 * without a space, which matters for Chinese where `<b>党</b>章` must stay `党章`. Source line breaks are only
 * layout in HTML, so they count as spaces.
 */
export function htmlToText(html: string): string {
	// Only ASCII whitespace is collapsible in HTML; an ideographic space is a character like any other.
	let text = removeComments(html).replace(/[ \t\n\f\r]+/g, ' ');
	// `[^<>]*` rather than `[^>]*`: a stray `<` without `>` must not make every later `<` rescan the rest.
	text = text.replace(/<\/?([a-zA-Z][a-zA-Z0-9]*)(?:[\s/][^<>]*)?>/g, (_tag, name: string) => (blockTags.has(name.toLowerCase()) ? '\n' : ''));
	return tidyText(decodeEntities(text));
}

/**
 * Moodle category paths as the bank shows them: `$course$/top/政治理论/党章` → `政治理论/党章`. The context
 * prefix and the invisible `top` level say where the category lived in Moodle, not what it is about.
 */
export function categoryPath(path: string): string {
	let p = path.trim().replace(/^\$(?:course|system|module|coursecategory|cat[0-9]*)\$(?:\/|$)/, '');
	p = p.replace(/^top(?:\/|$)/, '');
	return p.replace(/\/+$/, '').trim();
}

/** The start of a text, to quote back in a problem without echoing a whole 5,000-character stem. */
export function excerpt(text: string, length = 30): string {
	// Slicing first keeps this cheap on a 10 MB text; two code units per character is the most a character takes.
	const chars = [...text.slice(0, length * 2 + 2)];
	return chars.length > length ? chars.slice(0, length).join('') + '…' : text;
}

function charLength(text: string): number {
	return [...text].length;
}

/** Column names for the problems `draftProblems` finds; each format names its fields its own way. */
export type DraftColumns = { stem?: string; option?: string; answer?: string; explanation?: string };

/**
 * The checks every format makes once it has a draft: lengths, option counts, empty texts and blanks. The
 * answer itself (which options are right) is checked by each reader, which knows how its format marks it.
 */
export function draftProblems(draft: QuestionDraft, at: FilePosition, columns: DraftColumns): FormatProblem[] {
	const problems: FormatProblem[] = [];
	const add = (code: FormatProblem['code'], column: string | undefined, value?: string) => {
		const problem: FormatProblem = { ...at, code };
		if (column !== undefined) problem.column = column;
		if (value !== undefined) problem.value = value;
		problems.push(problem);
	};
	if (draft.stem.trim() === '') add('required', columns.stem);
	else if (charLength(draft.stem) > stemMaxLength) add('too_long', columns.stem, excerpt(draft.stem));
	if (draft.type === 'single' || draft.type === 'multiple') {
		if (draft.options.length < minOptions) add('too_few_options', columns.option, String(draft.options.length));
		else if (draft.options.length > maxOptions) add('too_many_options', columns.option, String(draft.options.length));
		for (const option of draft.options) {
			if (option.trim() === '') add('required', columns.option);
			else if (charLength(option) > optionMaxLength) add('too_long', columns.option, excerpt(option));
		}
	}
	if (draft.type === 'fill') {
		const blanks = countBlanks(draft.stem);
		if (draft.stem.trim() !== '' && blanks === 0) add('no_blanks', columns.stem);
		else if (blanks > 0 && blanks !== draft.blanks.length) add('blank_count_mismatch', columns.stem, String(blanks));
		for (const alternative of draft.blanks.flat()) {
			if (charLength(alternative) > optionMaxLength) add('too_long', columns.answer, excerpt(alternative));
		}
	}
	if (charLength(draft.explanation) > explanationMaxLength) add('too_long', columns.explanation, excerpt(draft.explanation));
	return problems;
}

/**
 * Moodle's fractions for the right options of a multiple-answer question: 100 split evenly, five decimals,
 * the remainder on the last so they add up to exactly 100 (33.33333 / 33.33333 / 33.33334). Moodle matches
 * each to its nearest allowed grade on import.
 */
export function splitHundred(count: number): string[] {
	if (count <= 0) return [];
	const total = 10_000_000; // 100 in units of 0.00001
	const each = Math.floor(total / count);
	const units = Array.from({ length: count }, (_, i) => (i === count - 1 ? total - each * (count - 1) : each));
	return units.map((u) => (u / 100_000).toFixed(5).replace(/\.?0+$/, ''));
}

/** Distinct, in first-seen order, empty ones dropped. */
export function distinct(values: string[]): string[] {
	return [...new Set(values.filter((v) => v !== ''))];
}

// ---------------------------------------------------------------------------------------------------------
// Reading

type XmlNode = { [key: string]: unknown };

const parser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '@_',
	parseTagValue: false,
	parseAttributeValue: false,
	trimValues: false,
	// Texts are taken raw and decoded here: the parser merges CDATA with escaped text, and whether `&lt;b&gt;`
	// is markup or a literal depends on the text's format attribute, which only this module looks at.
	stopNodes: ['*.text'],
	processEntities: false,
	captureMetaData: true,
	isArray: (name) => name === 'question' || name === 'answer' || name === 'tag' || name === 'file'
});
const metaData = XMLParser.getMetaDataSymbol();

function isNode(value: unknown): value is XmlNode {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function childNode(node: XmlNode, name: string): XmlNode | undefined {
	const value = node[name];
	const first = Array.isArray(value) ? (value as unknown[])[0] : value;
	return isNode(first) ? first : undefined;
}

function childNodes(node: XmlNode, name: string): XmlNode[] {
	const value = node[name];
	const list: unknown[] = Array.isArray(value) ? value : value === undefined ? [] : [value];
	// An empty element such as `<answer/>` comes back as '' rather than an object; it still counts.
	return list.map((item) => (isNode(item) ? item : {}));
}

function attribute(node: XmlNode, name: string): string | undefined {
	const value = node[`@_${name}`];
	return typeof value === 'string' ? value : undefined;
}

/** The text of a simple element such as `<single>true</single>`. */
function leafText(node: XmlNode, name: string): string | undefined {
	const value = node[name];
	const first = Array.isArray(value) ? (value as unknown[])[0] : value;
	if (typeof first === 'string') return first;
	if (isNode(first) && typeof first['#text'] === 'string') return first['#text'];
	return undefined;
}

/** The raw inner XML of `node`'s `<text>` child, CDATA markers and entities still in place. */
function rawText(node: XmlNode | undefined): string {
	return node ? (leafText(node, 'text') ?? '') : '';
}

/**
 * Raw inner XML to a string: CDATA sections are taken as they are, everything between them has its XML
 * comments removed and its entities decoded. Done with indexOf so an unclosed `<![CDATA[` stays linear.
 */
function decodeXmlText(raw: string): string {
	let out = '';
	let from = 0;
	const decodeOutside = (part: string) => decodeEntities(removeComments(part), xmlEntities);
	for (;;) {
		const start = raw.indexOf('<![CDATA[', from);
		if (start < 0) return out + decodeOutside(raw.slice(from));
		out += decodeOutside(raw.slice(from, start));
		const end = raw.indexOf(']]>', start + 9);
		if (end < 0) return out + raw.slice(start + 9);
		out += raw.slice(start + 9, end);
		from = end + 3;
	}
}

/** A Moodle text element (`questiontext`, `answer`, `generalfeedback`) as plain text, following its format. */
function formattedText(node: XmlNode | undefined): string {
	if (!node) return '';
	const text = decodeXmlText(rawText(node));
	// html, moodle_auto_format and markdown may all carry markup; only plain_text is shown as typed.
	return attribute(node, 'format') === 'plain_text' ? tidyText(text) : htmlToText(text);
}

/** Short-answer and true/false answers are compared as typed by Moodle, never rendered: no HTML here. */
function answerText(node: XmlNode): string {
	return tidyText(decodeXmlText(rawText(node)));
}

function fraction(node: XmlNode): number {
	const value = Number.parseFloat(attribute(node, 'fraction') ?? '0');
	return Number.isFinite(value) ? value : 0;
}

/** Moodle writes full marks as 100, and sometimes as 100.0000000. */
function isFullMarks(value: number): boolean {
	return Math.abs(value - 100) < 1e-6;
}

function hasEmbeddedFile(value: unknown): boolean {
	if (typeof value === 'string') return value.includes('@@PLUGINFILE@@') || /(?:<|&lt;)img\b/i.test(value);
	if (Array.isArray(value)) return value.some(hasEmbeddedFile);
	if (!isNode(value)) return false;
	for (const [key, child] of Object.entries(value)) {
		if (key === 'file') return true;
		if (hasEmbeddedFile(child)) return true;
	}
	return false;
}

/** Start offset of each line, for turning the parser's character offsets into line numbers. */
function lineStarts(text: string): number[] {
	const starts = [0];
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 10) starts.push(i + 1);
		else if (c === 13) {
			if (text.charCodeAt(i + 1) === 10) i++;
			starts.push(i + 1);
		}
	}
	return starts;
}

function lineAt(starts: number[], offset: number): number {
	let low = 0;
	let high = starts.length - 1;
	while (low < high) {
		const mid = (low + high + 1) >> 1;
		if ((starts[mid] ?? 0) <= offset) low = mid;
		else high = mid - 1;
	}
	return low + 1;
}

function startOffset(node: XmlNode): number | undefined {
	const meta: unknown = (node as Record<symbol, unknown>)[metaData as symbol];
	if (isNode(meta) && typeof meta.startIndex === 'number') return meta.startIndex;
	return undefined;
}

/** A question's `<tags>`: trimmed, one line each, distinct, in file order. */
function questionTags(question: XmlNode): string[] {
	const tagsNode = childNode(question, 'tags');
	if (!tagsNode) return [];
	return distinct(childNodes(tagsNode, 'tag').map((tag) => answerText(tag).replace(/\n/g, ' ')));
}

const supportedTypes = new Set(['multichoice', 'truefalse', 'shortanswer']);
const columns: DraftColumns = { stem: 'questiontext', option: 'answer', answer: 'answer', explanation: 'generalfeedback' };

/** A feedback that must fit on one line of the explanation: a line break inside it becomes a space. */
function oneLine(text: string): string {
	return text.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * The line for feedback on a short answer the bank does not accept (fraction below 100, wrong or partly right):
 * the key has no alternative to label it with, so it goes to the general part, saying which answer it is about.
 */
export function unplacedAnswerFeedback(answer: string, feedback: string): string {
	return `答“${oneLine(answer)}”：${oneLine(feedback)}`;
}

const combinedFeedback = [
	['correctfeedback', '答对时：'],
	['partiallycorrectfeedback', '部分正确时：'],
	['incorrectfeedback', '答错时：']
] as const;

/**
 * Moodle's question form fills the three combined feedbacks with these texts (lang/en and lang/zh_cn
 * question.php, `*feedbackdefault`), and most authors leave them. Said after every question they tell a member
 * nothing the result does not, so they are not copied into the explanation.
 */
const moodleDefaultFeedback = new Set([
	...['Your answer is correct.', 'Your answer is partially correct.', 'Your answer is incorrect.'],
	...['您的答案是正确的。', '您的答案部分正确。', '您的答案不正确']
]);

/** A multiple choice's correct / partially correct / incorrect feedback, each a line of the general part. */
function combinedFeedbackLines(question: XmlNode): string[] {
	return combinedFeedback.flatMap(([name, prefix]) => {
		const text = oneLine(formattedText(childNode(question, name)));
		return text === '' || moodleDefaultFeedback.has(text) ? [] : [`${prefix}${text}`];
	});
}

function answerFeedback(answer: XmlNode): string {
	return formattedText(childNode(answer, 'feedback'));
}

/**
 * One feedback per label, in the labels' order; the texts of answers sharing a label are joined. A Map, not a
 * filter per label: a file may hold one short answer with tens of thousands of alternatives.
 */
function feedbackByLabel(labels: string[], feedback: AnswerFeedback[]): AnswerFeedback[] {
	const texts = new Map<string, string[]>();
	for (const f of feedback) {
		const list = texts.get(f.label);
		if (list) list.push(oneLine(f.text));
		else texts.set(f.label, [oneLine(f.text)]);
	}
	return labels.map((label) => ({ label, text: distinct(texts.get(label) ?? []).join(' ') }));
}

type Built = { draft: QuestionDraft; problems: FormatProblem[] };

function buildQuestion(type: string, question: XmlNode, at: FilePosition, categories: string[]): Built {
	const problems: FormatProblem[] = [];
	const stem = formattedText(childNode(question, 'questiontext'));
	const common = { stem, ...noMetadata(), categories };
	const answers = childNodes(question, 'answer');
	const problem = (code: FormatProblem['code'], value?: string): void => {
		problems.push(value === undefined ? { ...at, code, column: 'answer' } : { ...at, code, column: 'answer', value });
	};
	// The explanation: general feedback, then the lines the type adds to it, then one line per answer.
	const generalFeedback = formattedText(childNode(question, 'generalfeedback'));
	const explain = (moreGeneral: string[], perAnswer: AnswerFeedback[]): string =>
		joinFeedback([generalFeedback, ...moreGeneral].filter((part) => part !== '').join('\n'), perAnswer);
	if (type === 'multichoice') {
		const options = answers.map(formattedText);
		const explanation = explain(
			combinedFeedbackLines(question),
			answers.map((a, i) => ({ label: optionLabel(i), text: answerFeedback(a) }))
		);
		const single = (leafText(question, 'single') ?? 'true').trim().toLowerCase();
		if (single === 'false' || single === '0') {
			const correct = answers.flatMap((a, i) => (fraction(a) > 0 ? [i] : []));
			if (correct.length === 0) problem('missing_answer');
			else if (correct.length < 2) problem('answer_needs_two', String(correct.length));
			return { draft: { type: 'multiple', options, correct, ...common, explanation }, problems };
		}
		const correct = answers.flatMap((a, i) => (isFullMarks(fraction(a)) ? [i] : []));
		if (correct.length === 0) problem('missing_answer');
		else if (correct.length > 1) problem('answer_needs_one', String(correct.length));
		return { draft: { type: 'single', options, correct: correct[0] ?? 0, ...common, explanation }, problems };
	}
	if (type === 'truefalse') {
		const right = answers.find((a) => isFullMarks(fraction(a)));
		const written = right ? answerText(right) : '';
		const word = written.toLowerCase();
		if (!right) problem('missing_answer');
		else if (word !== 'true' && word !== 'false') problem('invalid_true_false', excerpt(written));
		// A feedback belongs to the answer it is written under. Moodle's importer reads an answer that says
		// neither true nor false by its place, the first as true; so does this.
		const label = (a: XmlNode, i: number): string => {
			const says = answerText(a).toLowerCase();
			if (says === 'true' || says === 'false') return says === 'true' ? trueLabel : falseLabel;
			return i === 0 ? trueLabel : falseLabel;
		};
		const perAnswer = feedbackByLabel([trueLabel, falseLabel], answers.map((a, i) => ({ label: label(a, i), text: answerFeedback(a) })));
		return { draft: { type: 'true_false', correct: word === 'true', ...common, explanation: explain([], perAnswer) }, problems };
	}
	// shortanswer. Moodle reads `*` as "any text" and `\*` as a literal star; the bank has no wildcards, so a
	// `*` is kept as a character either way.
	const typed = (a: XmlNode): string => answerText(a).replace(/\\\*/g, '*');
	const accepted = answers.filter((a) => isFullMarks(fraction(a)) && typed(a) !== '');
	const isAccepted = new Set(accepted);
	const alternatives = distinct(accepted.map(typed));
	if (alternatives.length === 0) problem('missing_answer');
	// An accepted alternative's feedback is labelled by the alternative itself; every other answer's feedback
	// has no alternative to sit under.
	const perAnswer = feedbackByLabel(alternatives, accepted.map((a) => ({ label: typed(a), text: answerFeedback(a) })));
	const unplaced = answers.flatMap((a) => {
		const feedback = answerFeedback(a);
		return feedback === '' || isAccepted.has(a) ? [] : [unplacedAnswerFeedback(typed(a), feedback)];
	});
	// Chinese authors draw blanks of any length (___, ______); the bank's marker is exactly four.
	let fillStem = stem.replace(/_{3,}/g, blankMarker);
	if (countBlanks(fillStem) === 0 && fillStem !== '') fillStem = `${fillStem} ${blankMarker}`;
	return { draft: { type: 'fill', blanks: [alternatives], ...common, stem: fillStem, explanation: explain(unplaced, perAnswer) }, problems };
}

function readQuiz(text: string): ParseResult {
	const result: ParseResult = { questions: [], problems: [], skipped: [] };
	const validation = XMLValidator.validate(text);
	if (validation !== true) {
		const line = Number.isInteger(validation.err.line) && validation.err.line > 0 ? validation.err.line : 1;
		const found = splitLines(text)[line - 1]?.trim() ?? '';
		const problem: FormatProblem = { line, code: 'syntax' };
		if (found !== '') problem.value = excerpt(found, 80);
		return { ...result, problems: [problem] };
	}
	const parsed: unknown = parser.parse(text);
	const quiz = isNode(parsed) ? parsed.quiz : undefined;
	if (quiz === undefined) return { ...result, problems: [{ line: 1, code: 'file_unreadable' }] };
	const questions = isNode(quiz) ? childNodes(quiz, 'question') : [];
	const starts = lineStarts(text);
	let category = '';
	let lastLine = 1;
	for (const question of questions) {
		const offset = startOffset(question);
		const line = offset === undefined ? lastLine : lineAt(starts, offset);
		lastLine = line;
		const at = { line };
		const type = attribute(question, 'type') ?? '';
		if (type === 'category') {
			category = categoryPath(answerText(childNode(question, 'category') ?? {}));
			continue;
		}
		if (!supportedTypes.has(type)) {
			result.skipped.push({ ...at, code: 'unsupported_type', value: type });
			continue;
		}
		if (hasEmbeddedFile(question)) {
			result.skipped.push({ ...at, code: 'embedded_file', value: type });
			continue;
		}
		const { draft, problems } = buildQuestion(type, question, at, distinct([category]));
		problems.push(...draftProblems(draft, at, columns));
		if (problems.length > 0) result.problems.push(...problems);
		else result.questions.push({ ...draft, tags: questionTags(question), at });
	}
	// No questions at all, or only categories: as good as empty.
	if (result.questions.length + result.problems.length + result.skipped.length === 0) return { ...result, problems: [{ line: 1, code: 'file_empty' }] };
	return result;
}

/** Reads a Moodle XML export. Never throws: whatever is wrong with the file comes back as problems. */
export function readMoodleXml(text: string): ParseResult {
	const refused = checkFileText(text);
	if (refused) return refused;
	const body = stripBom(text);
	// Not markup at all (a GIFT or Aiken file given the wrong name): no XML error message would help.
	if (!body.trimStart().startsWith('<')) return { questions: [], problems: [{ line: 1, code: 'file_unreadable' }], skipped: [] };
	try {
		return readQuiz(body);
	} catch {
		// The validator passed but the parser refused (nesting limit, a reserved name): still not a file we read.
		return { questions: [], problems: [{ line: 1, code: 'file_unreadable' }], skipped: [] };
	}
}

// ---------------------------------------------------------------------------------------------------------
// Writing

/** Characters XML 1.0 cannot hold at all, not even as references, and unpaired surrogates. */
const notXmlChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function xmlEscape(text: string): string {
	return text.replace(notXmlChars, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Plain text as the HTML Moodle stores, in CDATA so the file stays readable. Line breaks become `<br>`. */
function htmlText(text: string): string {
	const html = text
		.replace(notXmlChars, '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/\r\n|\r|\n/g, '<br>');
	// Escaping `>` already rules out `]]>`; splitting it anyway keeps the CDATA safe if that ever changes.
	return `<![CDATA[${html.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

function questionName(stem: string): string {
	const name = excerpt(stem.replace(/\s+/g, ' ').trim(), 50);
	return name === '' ? '题目' : name;
}

/** The labels the reader gives each answer's feedback, in the order the answers are written. */
function answerLabels(q: QuestionDraft): string[] {
	if (q.type === 'single' || q.type === 'multiple') return q.options.map((_, i) => optionLabel(i));
	if (q.type === 'true_false') return [trueLabel, falseLabel];
	return q.blanks[0] ?? [];
}

/**
 * The explanation split into Moodle's general feedback and the answers' own. Only trailing lines exactly as
 * the reader writes them (one per answer, in answer order) go to the answers; anything else, such as a
 * hand-written 【B】 line after a 【C】 line or two lines for one answer, stays whole in the general feedback,
 * so the file reads back to the same explanation either way.
 */
function feedbackFields(explanation: string, labels: string[]): { general: string; perAnswer: Map<string, string> } {
	const { general, perAnswer } = splitFeedback(explanation, labels);
	const placeOf = new Map(labels.map((label, i) => [label, i] as const).reverse());
	const places = perAnswer.map((f) => placeOf.get(f.label) ?? -1);
	const inAnswerOrder = places.every((place, i) => i === 0 || place > (places[i - 1] ?? place));
	if (!inAnswerOrder || joinFeedback(general, perAnswer) !== explanation) return { general: explanation, perAnswer: new Map() };
	return { general, perAnswer: new Map(perAnswer.map((f) => [f.label, f.text])) };
}

function writeQuestion(q: QuestionDraft): string[] {
	const out: string[] = [];
	const qtype = q.type === 'single' || q.type === 'multiple' ? 'multichoice' : q.type === 'true_false' ? 'truefalse' : 'shortanswer';
	const labels = answerLabels(q);
	const feedback = feedbackFields(q.explanation, labels);
	const feedbackText = (text: string) => (text === '' ? '' : htmlText(text));
	out.push(`  <question type="${qtype}">`);
	out.push(`    <name><text>${xmlEscape(questionName(q.stem))}</text></name>`);
	out.push(`    <questiontext format="html"><text>${htmlText(q.stem)}</text></questiontext>`);
	out.push(`    <generalfeedback format="html"><text>${feedbackText(feedback.general)}</text></generalfeedback>`);
	out.push('    <defaultgrade>1</defaultgrade>');
	out.push(`    <penalty>${q.type === 'true_false' ? '1' : '0.3333333'}</penalty>`);
	out.push('    <hidden>0</hidden>');
	const answer = (fractionValue: string, text: string, format: 'html' | 'moodle_auto_format', label: string) => {
		out.push(`    <answer fraction="${fractionValue}" format="${format}">`);
		out.push(`      <text>${format === 'html' ? htmlText(text) : xmlEscape(text)}</text>`);
		out.push(`      <feedback format="html"><text>${feedbackText(feedback.perAnswer.get(label) ?? '')}</text></feedback>`);
		out.push('    </answer>');
	};
	if (q.type === 'single' || q.type === 'multiple') {
		out.push(`    <single>${q.type === 'single' ? 'true' : 'false'}</single>`);
		out.push('    <shuffleanswers>1</shuffleanswers>');
		out.push('    <answernumbering>ABCD</answernumbering>');
		const right = q.type === 'single' ? [q.correct] : [...new Set(q.correct)].sort((a, b) => a - b);
		const shares = q.type === 'single' ? ['100'] : splitHundred(right.length);
		q.options.forEach((option, i) => {
			const share = right.indexOf(i);
			answer(share < 0 ? '0' : (shares[share] ?? '0'), option, 'html', optionLabel(i));
		});
	} else if (q.type === 'true_false') {
		answer(q.correct ? '100' : '0', 'true', 'moodle_auto_format', trueLabel);
		answer(q.correct ? '0' : '100', 'false', 'moodle_auto_format', falseLabel);
	} else {
		out.push('    <usecase>0</usecase>');
		// A literal `*` must be escaped or Moodle takes it as "matches anything".
		for (const alternative of labels) answer('100', alternative.replace(/\*/g, '\\*'), 'moodle_auto_format', alternative);
	}
	if (q.areas.length > 0) {
		out.push('    <tags>');
		for (const area of q.areas) out.push(`      <tag><text>${xmlEscape(area)}</text></tag>`);
		out.push('    </tags>');
	}
	out.push('  </question>');
	return out;
}

/**
 * Writes questions as Moodle XML. Questions are grouped by their first area, each group under a category
 * `$course$/top/<area>`; questions without an area come first, in whatever category the importer picks. Every
 * area is also a tag. The explanation's general part becomes the general feedback and its answer lines the
 * answers' own feedback, so `readMoodleXml` gives back the same explanation. A fill question with more than one
 * blank would need Moodle's cloze type, which the bank cannot read back, so such questions are left out and their
 * indexes returned in `skipped`.
 */
export function questionsToMoodleXml(questions: QuestionDraft[]): { xml: string; skipped: number[] } {
	const skipped: number[] = [];
	const groups = new Map<string, QuestionDraft[]>([['', []]]);
	questions.forEach((q, i) => {
		if (q.type === 'fill' && q.blanks.length !== 1) {
			skipped.push(i);
			return;
		}
		const area = q.areas[0] ?? '';
		const group = groups.get(area);
		if (group) group.push(q);
		else groups.set(area, [q]);
	});
	const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<quiz>'];
	for (const [area, group] of groups) {
		if (area !== '') {
			out.push('  <question type="category">');
			out.push(`    <category><text>${xmlEscape(`$course$/top/${area}`)}</text></category>`);
			out.push('  </question>');
		}
		for (const q of group) out.push(...writeQuestion(q));
	}
	out.push('</quiz>', '');
	return { xml: out.join('\n'), skipped };
}
