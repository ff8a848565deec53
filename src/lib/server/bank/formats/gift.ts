// GIFT question files (Moodle's plain-text format: https://docs.moodle.org/en/GIFT_format). The reader follows
// Moodle's own importer (question/format/gift/format.php): which answer block is which type, `=` and `~` answers
// with `%50%` weights and `#` feedback, `####` general feedback taken at its last occurrence, `[html]` and the
// other text formats, and Moodle's escapes (`\~ \= \# \{ \} \: \\` and `\n` for a line break; any other
// backslash stays as typed).
//
// Where the reader goes its own way, and why:
// - Moodle cuts a file into questions at blank lines only, so two questions on consecutive lines are one broken
//   question there. Here a question ends with the line its answer block closes on, and the lines after it up to
//   the next blank line belong to it only when none of them holds a brace (Moodle's missing-word form, where the
//   sentence goes on after the block). A file Moodle reads is read the same way; a file without blank lines
//   between questions is read too. A `$CATEGORY:` line or a `::title::` line always starts something new.
// - A brace out of place is a syntax problem at the line it is on (an unclosed `{` at its own line), and the
//   reader carries on with the next question, so one slip does not hide the rest of the file's problems.
// - `{true}` is true/false here, as in the docs; Moodle takes only upper case and would read a short answer.
// - Questions Moodle accepts but the bank cannot hold are skipped with the reason, never refused: matching,
//   numerical, essay, description, a one-answer choice with two full-mark answers, a multiple-answer choice with
//   one right answer, a short answer whose text draws more blanks than the one box. Partial credit does not exist
//   in the bank: a choice option or a short answer worth less than 100% is a wrong one.
//
// Command-line tasks load this file with tsx, so it must only use relative imports (no $lib, $app, $env).
import { falseLabel, joinFeedback, optionLabel, splitFeedback, trueLabel, type AnswerFeedback } from '../feedback';
import { blankMarker, countBlanks } from '../normalize';
import type { FilePosition, FormatProblem, ParseResult, QuestionDraft } from '../types';
import { categoryPath, checkFileText, distinct, draftProblems, excerpt, htmlToText, noMetadata, splitHundred, splitLines, stripBom, tidyText } from './moodle-xml';

type TextFormat = 'moodle' | 'html' | 'plain' | 'markdown';

// ---------------------------------------------------------------------------------------------------------
// Text: escapes, formats

/**
 * The text with every escape (`\{`, `\\`, `\n` …) replaced by two neutral characters. Searching this for `{`,
 * `~`, `=`, `#`, `::` finds only the unescaped ones, and since it has the same length, the positions found cut
 * the original text in the same places. Only Moodle's escapes count: `\%` or `\-` are a backslash and a character.
 */
function mask(raw: string): string {
	return raw.replace(/\\[\\:#={}~n]/g, '\u0001\u0001');
}

const escapes: Record<string, string> = { '\\': '\\', ':': ':', '#': '#', '=': '=', '{': '{', '}': '}', '~': '~', n: '\n' };

function unescape(raw: string): string {
	return raw.replace(/\\([\\:#={}~n])/g, (_pair, char: string) => escapes[char] ?? char);
}

/** A piece of the question: the raw text and its mask, always cut at the same positions. */
type Piece = { raw: string; masked: string };

function piece(raw: string): Piece {
	return { raw, masked: mask(raw) };
}

function cut(p: Piece, start: number, end = p.raw.length): Piece {
	return { raw: p.raw.slice(start, end), masked: p.masked.slice(start, end) };
}

function trimPiece(p: Piece): Piece {
	const start = p.masked.length - p.masked.trimStart().length;
	const end = p.masked.trimEnd().length;
	return start >= end ? piece('') : cut(p, start, end);
}

function positions(masked: string, chars: string): number[] {
	const found: number[] = [];
	for (let i = 0; i < masked.length; i++) if (chars.includes(masked.charAt(i))) found.push(i);
	return found;
}

const formatPrefix = /^\[(moodle|html|plain|markdown)\]/;

/** `[html]` and friends at the start of a text; Moodle reads only these four, in lower case. */
function splitFormat(raw: string, inherited: TextFormat): { format: TextFormat; rest: string } {
	const m = formatPrefix.exec(raw);
	return m ? { format: m[1] as TextFormat, rest: raw.slice(m[0].length) } : { format: inherited, rest: raw };
}

/** Question, option and feedback text: HTML only when the author said `[html]`, as Moodle shows it. */
function giftText(raw: string, inherited: TextFormat): string {
	const { format, rest } = splitFormat(raw.trim(), inherited);
	const text = unescape(rest);
	return format === 'html' ? htmlToText(text) : tidyText(text);
}

/** Short-answer alternatives are compared with what the student types, never rendered: no HTML. */
function alternativeText(raw: string): string {
	return tidyText(unescape(splitFormat(raw.trim(), 'plain').rest));
}

/** A feedback is one line of the explanation; a line break inside it would end the line. */
function oneLine(text: string): string {
	return text.replace(/\s*\n\s*/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------------------
// Cutting the file into questions

type Line = { text: string; masked: string; number: number };

type Chunk = { kind: 'category'; path: string } | { kind: 'question'; lines: Line[] } | { kind: 'syntax'; line: Line };

/**
 * Blank as Moodle (PHP's trim) sees it: spaces and tabs only. A line of ideographic spaces, which Chinese editors
 * indent with, is not blank, so it does not end a question in the middle of its answer block.
 */
function isBlank(line: Line): boolean {
	return /^[ \t\0\v]*$/.test(line.text);
}

/** Nothing to read, ideographic spaces included: skipped between questions. */
function isEmpty(line: Line): boolean {
	return line.text.trim() === '';
}

function trimStart(text: string): string {
	return text.replace(/^[ \t\0\v]+/, '');
}

/** Moodle drops every line that starts with `//`, wherever it is in a question. */
function isComment(line: Line): boolean {
	return trimStart(line.text).startsWith('//');
}

function isCategory(line: Line): boolean {
	return trimStart(line.text).startsWith('$CATEGORY:');
}

/** Where the text after a `::title::` at the start of the line begins, or after a lone `::`; 0 without a title. */
function afterTitle(masked: string): number {
	const start = masked.length - masked.trimStart().length;
	if (!masked.startsWith('::', start)) return 0;
	const end = masked.indexOf('::', start + 2);
	return end < 0 ? start + 2 : end + 2;
}

function isTitled(line: Line): boolean {
	const text = line.masked.trimStart();
	return text.startsWith('::') && text.indexOf('::', 2) >= 0;
}

function hasBrace(line: Line): boolean {
	return /[{}]/.test(line.masked);
}

/**
 * The lines after a closed answer block that still belong to its question: up to a blank line, when none of
 * them holds a brace (then they are the rest of a missing-word sentence, as Moodle reads them); none otherwise.
 */
function tailOf(lines: Line[], from: number): { tail: Line[]; next: number } {
	const tail: Line[] = [];
	let k = from;
	for (; k < lines.length; k++) {
		const line = lines[k] as Line;
		if (isBlank(line) || isCategory(line) || isTitled(line)) break;
		if (isComment(line)) continue;
		if (hasBrace(line)) return { tail: [], next: from };
		tail.push(line);
	}
	return { tail, next: k };
}

function endOfParagraph(lines: Line[], from: number): number {
	let k = from;
	while (k < lines.length && !isBlank(lines[k] as Line)) k++;
	return k;
}

/** Reads the question starting at line index `start` into `chunks`; returns the index the next one may start at. */
function scanQuestion(lines: Line[], start: number, chunks: Chunk[]): number {
	const taken: Line[] = [];
	let state: 'stem' | 'answers' | 'closed' = 'stem';
	let opened: Line | null = null;
	let broken: Line | null = null;
	let j = start;
	for (; j < lines.length; j++) {
		const line = lines[j] as Line;
		if (isBlank(line)) break;
		if (isComment(line)) continue;
		// Text without braces followed by a category or a titled line was a description; the new line starts anew.
		if (j > start && state === 'stem' && (isCategory(line) || isTitled(line))) break;
		const from = j === start ? afterTitle(line.masked) : 0;
		for (const at of positions(line.masked.slice(from), '{}')) {
			const char = line.masked.charAt(from + at);
			if (state === 'stem') {
				if (char === '{') {
					state = 'answers';
					opened = line;
				} else broken ??= line;
			} else if (state === 'answers') {
				if (char === '}') state = 'closed';
				else {
					// A `{` inside an open block: the block before was never closed. When the new `{` is on a later
					// line, that line most likely starts the next question, so reading goes on from there.
					chunks.push({ kind: 'syntax', line: opened ?? line });
					return opened === line ? endOfParagraph(lines, j) : j;
				}
			} else broken ??= line;
		}
		taken.push(line);
		if (state === 'closed') {
			j++;
			break;
		}
	}
	if (state === 'answers') {
		chunks.push({ kind: 'syntax', line: opened ?? (taken[0] as Line) });
		return j;
	}
	if (broken) {
		chunks.push({ kind: 'syntax', line: broken });
		return j;
	}
	if (state === 'closed') {
		const { tail, next } = tailOf(lines, j);
		taken.push(...tail);
		j = next;
	}
	if (taken.length > 0) chunks.push({ kind: 'question', lines: taken });
	return Math.max(j, start + 1);
}

function scan(text: string): Chunk[] {
	const lines: Line[] = splitLines(text).map((t, i) => ({ text: t, masked: mask(t), number: i + 1 }));
	const chunks: Chunk[] = [];
	let i = 0;
	while (i < lines.length) {
		const line = lines[i] as Line;
		if (isEmpty(line) || isComment(line)) i++;
		else if (isCategory(line)) {
			chunks.push({ kind: 'category', path: trimStart(line.text).slice('$CATEGORY:'.length) });
			i++;
		} else i = scanQuestion(lines, i, chunks);
	}
	return chunks;
}

// ---------------------------------------------------------------------------------------------------------
// Reading one question

/** Moodle's weight: `%50%`, `%-100%`, `%33.333%` at the start of an answer. */
const weightPattern = /^%(-*)([0-9]{1,2}\.?[0-9]*)%/;

type Answer = { kind: '=' | '~'; weight: number; text: string; feedback: string };

type AnswerRules = {
	/** `=` answers of a choice are full marks whatever follows; `~` answers and short answers read a weight. */
	weighs: (kind: '=' | '~') => boolean;
	/** Without a weight: full marks for `=` and short answers, none for `~`. */
	weightOf: (kind: '=' | '~') => number;
	text: (raw: string) => string;
};

/** One answer: its weight (`%50%`) off the front, then its text and its own feedback (after the first `#`). */
function readAnswer(kind: '=' | '~', p: Piece, rules: AnswerRules, format: TextFormat): Answer {
	let part = trimPiece(p);
	let weight = rules.weightOf(kind);
	const weighed = rules.weighs(kind) ? weightPattern.exec(part.raw) : null;
	if (weighed) {
		weight = Number(weighed[2]) * (weighed[1] === '' ? 1 : -1);
		part = cut(part, weighed[0].length);
	}
	const hash = part.masked.indexOf('#');
	const feedback = hash >= 0 ? giftText(cut(part, hash + 1).raw, format) : '';
	return { kind, weight, text: rules.text(hash >= 0 ? cut(part, 0, hash).raw : part.raw), feedback };
}

/**
 * Splits an answer block at its unescaped markers. Text before the first marker is an answer too, as Moodle
 * reads it: a wrong option in a choice (`{甲 =乙 ~丙}`), an accepted answer in a short answer (`{北京}`).
 */
function splitAnswers(body: Piece, markers: string, leadingKind: '=' | '~', rules: AnswerRules, format: TextFormat): Answer[] {
	const at = positions(body.masked, markers);
	const leading = trimPiece(cut(body, 0, at[0] ?? body.raw.length));
	const answers = leading.raw === '' ? [] : [readAnswer(leadingKind, leading, rules, format)];
	at.forEach((start, i) => {
		const kind = body.masked.charAt(start) === '=' ? '=' : '~';
		answers.push(readAnswer(kind, cut(body, start + 1, at[i + 1] ?? body.raw.length), rules, format));
	});
	return answers;
}

type Outcome =
	| { kind: 'question'; draft: QuestionDraft; problems: FormatProblem[] }
	| { kind: 'skipped'; code: 'unsupported_type' | 'embedded_file'; value: string };

/** What readQuestion works from: the stem around the answer block, the block, and the shared fields. */
type Parts = {
	before: string;
	after: string;
	/** The block ends the question: no blank is drawn where it stood (Moodle: the text ends with `}`). */
	atEnd: boolean;
	body: Piece;
	format: TextFormat;
	general: string;
	at: FilePosition;
	categories: string[];
};

function choiceStem(parts: Parts): string {
	return giftText(parts.atEnd ? parts.before : `${parts.before}${blankMarker}${parts.after}`, 'moodle');
}

function common(parts: Parts, explanation: string) {
	return { explanation, ...noMetadata(), categories: parts.categories };
}

function problemAt(at: FilePosition, code: FormatProblem['code'], value?: string): FormatProblem {
	return value === undefined ? { ...at, code } : { ...at, code, value };
}

function readChoice(parts: Parts): Outcome {
	const rules: AnswerRules = { weighs: (kind) => kind === '~', weightOf: (kind) => (kind === '=' ? 100 : 0), text: (raw) => giftText(raw, parts.format) };
	const answers = splitAnswers(parts.body, '~=', '~', rules, parts.format);
	const options = answers.map((a) => a.text);
	const explanation = joinFeedback(
		parts.general,
		answers.map((a, i) => ({ label: optionLabel(i), text: a.feedback }))
	);
	const base = { options, stem: choiceStem(parts), ...common(parts, explanation) };
	// Any `=` makes it a one-answer question in Moodle, right when a full-mark answer is chosen.
	if (answers.some((a) => a.kind === '=')) {
		const full = answers.flatMap((a, i) => (a.weight >= 100 ? [i] : []));
		if (full.length > 1) return { kind: 'skipped', code: 'unsupported_type', value: `one-answer multichoice with ${full.length} right answers` };
		return { kind: 'question', draft: { type: 'single', correct: full[0] ?? 0, ...base }, problems: [] };
	}
	const correct = answers.flatMap((a, i) => (a.weight > 0 ? [i] : []));
	if (correct.length === 0) return { kind: 'question', draft: { type: 'multiple', correct, ...base }, problems: [problemAt(parts.at, 'missing_answer')] };
	if (correct.length === 1) return { kind: 'skipped', code: 'unsupported_type', value: 'multiple-answer multichoice with 1 right answer' };
	return { kind: 'question', draft: { type: 'multiple', correct, ...base }, problems: [] };
}

/** `{T}` `{TRUE}` `{F}` `{FALSE}`, then `#feedback for the wrong answer#feedback for the right answer`. */
function readTrueFalse(parts: Parts, correct: boolean): Outcome {
	const hashes = positions(parts.body.masked, '#');
	const first = hashes[0];
	const second = hashes[1];
	const wrong = first === undefined ? '' : giftText(cut(parts.body, first + 1, second ?? parts.body.raw.length).raw, parts.format);
	const right = second === undefined ? '' : giftText(cut(parts.body, second + 1).raw, parts.format);
	const explanation = joinFeedback(parts.general, [
		{ label: trueLabel, text: correct ? right : wrong },
		{ label: falseLabel, text: correct ? wrong : right }
	]);
	return { kind: 'question', draft: { type: 'true_false', correct, stem: choiceStem(parts), ...common(parts, explanation) }, problems: [] };
}

/**
 * Where the answer box goes in a short answer's stem: where the braces were, or, when they close the question,
 * on the blank the author drew (`______`, four or more) if there is one, else at the end. A stem that draws
 * more blanks than that one comes back with them all, for the caller to turn away.
 */
function fillStem(parts: Parts): string {
	if (!parts.atEnd) return giftText(`${parts.before}${blankMarker}${parts.after}`, 'moodle');
	const drawn = parts.before.match(/_{4,}/g) ?? [];
	if (drawn.length === 0) return giftText(`${parts.before}${blankMarker}`, 'moodle');
	return giftText(drawn.length === 1 ? parts.before.replace(/_{4,}/, blankMarker) : parts.before, 'moodle');
}

function readShortAnswer(parts: Parts): Outcome {
	const rules: AnswerRules = { weighs: () => true, weightOf: () => 100, text: alternativeText };
	const answers = splitAnswers(parts.body, '=', '=', rules, parts.format);
	const right = answers.filter((a) => a.weight >= 100);
	const alternatives = distinct(right.map((a) => a.text));
	// A wrong answer's feedback has no alternative to go with: it joins the general part, saying which answer.
	const wrong = answers.filter((a) => a.weight < 100 && a.feedback !== '').map((a) => `答“${oneLine(a.text)}”：${oneLine(a.feedback)}`);
	const perAnswer: AnswerFeedback[] = alternatives.map((alternative) => ({
		label: alternative,
		text: right.find((a) => a.text === alternative && a.feedback !== '')?.feedback ?? ''
	}));
	const explanation = joinFeedback([parts.general, ...wrong].filter((t) => t !== '').join('\n'), perAnswer);
	const stem = fillStem(parts);
	const blanks = countBlanks(stem);
	if (blanks !== 1) return { kind: 'skipped', code: 'unsupported_type', value: `short answer with ${blanks} blanks` };
	const problems = alternatives.length === 0 ? [problemAt(parts.at, 'missing_answer')] : [];
	return { kind: 'question', draft: { type: 'fill', blanks: [alternatives], stem, ...common(parts, explanation) }, problems };
}

/** One question's text, with exactly one `{…}` block or none (the scan made sure of that). */
function readQuestion(text: string, at: FilePosition, categories: string[]): Outcome {
	let q = trimPiece(piece(text));
	if (q.masked.startsWith('::')) {
		// The title ends on its own line; it says what the question is called, not what it asks.
		const lineEnd = q.masked.indexOf('\n');
		const end = q.masked.slice(0, lineEnd < 0 ? undefined : lineEnd).indexOf('::', 2);
		q = trimPiece(cut(q, end < 0 ? 2 : end + 2));
	}
	const open = q.masked.indexOf('{');
	const close = q.masked.indexOf('}');
	// No answer block at all is Moodle's "description", a text shown between questions.
	if (open < 0 || close < open) return { kind: 'skipped', code: 'unsupported_type', value: 'description' };
	// Pictures would be lost on the way to plain text; the question goes to the skipped list with the reason.
	if (/<img\b/i.test(unescape(q.raw))) return { kind: 'skipped', code: 'embedded_file', value: 'img' };
	let body = cut(q, open + 1, close);
	let generalRaw = '';
	const general = body.masked.lastIndexOf('####');
	if (general >= 0) {
		generalRaw = cut(body, general + 4).raw;
		body = cut(body, 0, general);
	}
	body = trimPiece(body);
	const before = cut(q, 0, open).raw;
	const after = cut(q, close + 1).raw;
	const format = splitFormat(before.trim(), 'moodle').format;
	const parts: Parts = { before, after, atEnd: after.trim() === '', body, format, general: giftText(generalRaw, format), at, categories };

	if (body.raw === '') return { kind: 'skipped', code: 'unsupported_type', value: 'essay' };
	if (body.masked.startsWith('#')) return { kind: 'skipped', code: 'unsupported_type', value: 'numerical' };
	if (body.masked.includes('~')) return readChoice(parts);
	if (body.masked.includes('=') && body.masked.includes('->')) return { kind: 'skipped', code: 'unsupported_type', value: 'matching' };
	const hash = body.masked.indexOf('#');
	const trueFalse = (hash >= 0 ? body.raw.slice(0, hash) : body.raw).trim().toUpperCase();
	if (trueFalse === 'T' || trueFalse === 'TRUE') return readTrueFalse(parts, true);
	if (trueFalse === 'F' || trueFalse === 'FALSE') return readTrueFalse(parts, false);
	return readShortAnswer(parts);
}

function readChunks(text: string): ParseResult {
	const result: ParseResult = { questions: [], problems: [], skipped: [] };
	let category = '';
	for (const chunk of scan(text)) {
		if (chunk.kind === 'category') {
			category = categoryPath(chunk.path);
			continue;
		}
		if (chunk.kind === 'syntax') {
			result.problems.push({ line: chunk.line.number, code: 'syntax', value: excerpt(unescape(chunk.line.text).trim(), 50) });
			continue;
		}
		const at = { line: (chunk.lines[0] as Line).number };
		const outcome = readQuestion(chunk.lines.map((l) => l.text).join('\n'), at, category === '' ? [] : [category]);
		if (outcome.kind === 'skipped') result.skipped.push({ ...at, code: outcome.code, value: outcome.value });
		else {
			const problems = [...outcome.problems, ...draftProblems(outcome.draft, at, {})];
			if (problems.length > 0) result.problems.push(...problems);
			else result.questions.push({ ...outcome.draft, at });
		}
	}
	return result;
}

/** Reads a GIFT file. Never throws: whatever is wrong with the file comes back as problems. */
export function readGift(text: string): ParseResult {
	const refused = checkFileText(text);
	if (refused) return refused;
	try {
		const result = readChunks(stripBom(text));
		// Only comments and categories: as good as empty.
		if (result.questions.length === 0 && result.problems.length === 0 && result.skipped.length === 0) {
			return { ...result, problems: [{ line: 1, code: 'file_empty' }] };
		}
		return result;
	} catch {
		return { questions: [], problems: [{ line: 1, code: 'file_unreadable' }], skipped: [] };
	}
}

// ---------------------------------------------------------------------------------------------------------
// Writing

/** Moodle's `repchar`: the characters GIFT gives meaning to, a backslash, and line breaks as `\n`. */
function giftEscape(text: string): string {
	return text.replace(/\r\n?/g, '\n').replace(/[\\~=#{}:]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');
}

function htmlEscape(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/\r\n|\r|\n/g, '<br>');
}

/**
 * Text that Moodle would misread at the start of an entry gets an explicit format first: a leading `[` would be
 * taken for a format name, and a stem starting with `//` for a comment line.
 */
function guardStart(escaped: string, format: TextFormat): string {
	return escaped.startsWith('[') || escaped.startsWith('//') ? `[${format}]${escaped}` : escaped;
}

/** An entry's text starting with `%50%` would be read as a weight; an explicit weight in front prevents that. */
function withWeight(weight: string | null, text: string): string {
	if (weight !== null) return `%${weight}%${text}`;
	return text.startsWith('%') ? `%0%${text}` : text;
}

/** The labels the explanation's answer lines use for this question's answers (see ../feedback). */
function answerLabels(q: QuestionDraft): string[] {
	if (q.type === 'single' || q.type === 'multiple') return q.options.map((_, i) => optionLabel(i));
	if (q.type === 'true_false') return [trueLabel, falseLabel];
	return distinct(q.blanks[0] ?? []);
}

/**
 * The explanation as GIFT feedback: the answer lines go after their answers (`#…`) and the rest is the general
 * feedback (`####…`). readGift puts them back in the answers' order, one line each; an explanation that would
 * not come back the same way (lines out of order, an answer twice) is written whole as general feedback instead.
 */
function feedbackFor(explanation: string, labels: string[]): { general: string; of: (label: string) => string } {
	const { general, perAnswer } = splitFeedback(explanation, labels);
	const byLabel = new Map(perAnswer.map((f) => [f.label, f.text]));
	const rebuilt = joinFeedback(
		general,
		labels.map((label) => ({ label, text: byLabel.get(label) ?? '' }))
	);
	if (byLabel.size !== perAnswer.length || rebuilt !== explanation) return { general: explanation, of: () => '' };
	return { general, of: (label) => byLabel.get(label) ?? '' };
}

function writeQuestion(q: QuestionDraft): string {
	const texts = [q.stem, q.explanation, ...(q.type === 'single' || q.type === 'multiple' ? q.options : [])];
	const format: TextFormat = texts.some((t) => /[<>&]/.test(t)) ? 'html' : 'moodle';
	const text = (t: string) => giftEscape(format === 'html' ? htmlEscape(t) : t);
	/** Text at the start of an answer or a feedback. */
	const entry = (t: string) => guardStart(text(t), format);
	const stemStart = (t: string) => (format === 'html' ? `[html]${text(t)}` : entry(t));
	const feedback = feedbackFor(q.explanation, answerLabels(q));
	const answerFeedback = (label: string) => {
		const f = feedback.of(label);
		return f === '' ? '' : `#${entry(f)}`;
	};
	const general = feedback.general === '' ? '' : `####${entry(feedback.general)}`;

	if (q.type === 'fill') {
		const [before = '', after = ''] = q.stem.split(blankMarker);
		const seen = new Set<string>();
		const alternatives = (q.blanks[0] ?? []).map((a) => {
			// Alternatives are never rendered, so never HTML; the feedback of a repeated one went with the first.
			const own = seen.has(a) ? '' : answerFeedback(a);
			seen.add(a);
			return `=${withWeight(a.startsWith('%') ? '100' : null, guardStart(giftEscape(a), 'moodle'))}${own}`;
		});
		const block = [...alternatives, general].filter((part) => part !== '').join(' ');
		return `${stemStart(before)}{${block}}${text(after)}`;
	}
	if (q.type === 'true_false') {
		// Moodle's order: `{T#feedback for the wrong answer#feedback for the right answer}`.
		const right = answerFeedback(q.correct ? trueLabel : falseLabel);
		const wrong = answerFeedback(q.correct ? falseLabel : trueLabel);
		return `${stemStart(q.stem)}{${q.correct ? 'T' : 'F'}${wrong === '' && right !== '' ? '#' : wrong}${right}${general}}`;
	}
	const lines = [`${stemStart(q.stem)}{`];
	const right = q.type === 'single' ? [q.correct] : [...new Set(q.correct)].sort((a, b) => a - b);
	const shares = splitHundred(right.length);
	q.options.forEach((option, i) => {
		const body = entry(option);
		const share = right.indexOf(i);
		// Moodle reads no weight after `=` in a choice, so a right option starting with `%` needs nothing in front.
		const answer = q.type === 'single' ? (share >= 0 ? `=${body}` : `~${withWeight(null, body)}`) : `~${withWeight(share >= 0 ? (shares[share] ?? '0') : '-100', body)}`;
		lines.push(`\t${answer}${answerFeedback(optionLabel(i))}`);
	});
	if (general !== '') lines.push(`\t${general}`);
	lines.push('}');
	return lines.join('\n');
}

/**
 * Writes questions as GIFT, a blank line after each. A `$CATEGORY:` line (the first area) goes before a question
 * whose first area differs from the one before. Questions with `<`, `>` or `&` are written as `[html]` and
 * escaped, since Moodle renders its default format as HTML too. The explanation goes out as feedback (see
 * feedbackFor). Fill questions need exactly one blank (`____` becomes the answer block) and no `->` in an
 * alternative (Moodle would take the block for a matching question); others are left out and their indexes
 * returned in `skipped`.
 */
export function questionsToGift(questions: QuestionDraft[]): { gift: string; skipped: number[] } {
	const skipped: number[] = [];
	const out: string[] = [];
	let category = '';
	questions.forEach((q, index) => {
		if (q.type === 'fill' && (q.blanks.length !== 1 || countBlanks(q.stem) !== 1 || (q.blanks[0] ?? []).some((a) => a.includes('->')))) {
			skipped.push(index);
			return;
		}
		const area = q.areas[0];
		if (area !== undefined && area !== '' && area !== category) {
			category = area;
			out.push(`$CATEGORY: ${area.replace(/\s+/g, ' ').trim()}`, '');
		}
		out.push(writeQuestion(q), '');
	});
	return { gift: out.join('\n'), skipped };
}
