// GIFT question files (Moodle's plain-text format: https://docs.moodle.org/en/GIFT_format). The reader follows
// Moodle's own importer (question/format/gift/format.php) where the docs are vague: which block is which type,
// `####` general feedback taken at its last occurrence, `\n` as an escaped line break. It is stricter in two
// places so a typing slip shows up as a problem instead of a wrong question: text before the first `=`/`~`
// of an answer block, and more than one pair of braces.
//
// Command-line tasks load this file with tsx, so it must only use relative imports (no $lib, $app, $env).
import { blankMarker, countBlanks } from '../normalize';
import type { FilePosition, FormatProblem, ParseResult, QuestionDraft } from '../types';
import { categoryPath, checkFileText, distinct, draftProblems, excerpt, htmlToText, noMetadata, splitHundred, splitLines, stripBom, tidyText } from './moodle-xml';

type TextFormat = 'moodle' | 'html' | 'plain' | 'markdown';

// ---------------------------------------------------------------------------------------------------------
// Reading

/**
 * The text with every backslash pair (`\{`, `\\`, `\n` …) replaced by two neutral characters. Searching this
 * for `{`, `~`, `=`, `#`, `::` finds only the unescaped ones, and since it has the same length, the positions
 * found cut the original text in the same places.
 */
function mask(raw: string): string {
	return raw.replace(/\\[\s\S]/g, '\u0001\u0001');
}

const escapes: Record<string, string> = { '\\': '\\', ':': ':', '#': '#', '=': '=', '{': '{', '}': '}', '~': '~', n: '\n' };

/** Moodle's escapes; any other backslash stays as typed, as it does in Moodle. */
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

/** Trimmed by the mask, so an escaped trailing space (`\ `) is not split from its backslash. */
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

const weightPattern = /^%(-?[0-9]+(?:\.[0-9]+)?)%/;

type Answer = { kind: '=' | '~'; weight: number | null; text: string };

/** One `=…` or `~…` entry: its weight (`%50%`) taken off the front and its own feedback (`#…`) dropped. */
function readAnswer(kind: '=' | '~', p: Piece, format: TextFormat | 'alternative'): Answer {
	let part = trimPiece(p);
	const weight = weightPattern.exec(part.raw);
	if (weight) part = cut(part, weight[0].length);
	const hash = part.masked.indexOf('#');
	if (hash >= 0) part = cut(part, 0, hash);
	const text = format === 'alternative' ? alternativeText(part.raw) : giftText(part.raw, format);
	return { kind, weight: weight ? Number(weight[1]) : null, text };
}

/** Splits an answer block at its unescaped markers; `leading` is whatever stands before the first one. */
function splitAnswers(body: Piece, markers: string, format: TextFormat | 'alternative'): { leading: string; answers: Answer[] } {
	const at = positions(body.masked, markers);
	const leading = unescape(cut(body, 0, at[0] ?? body.raw.length).raw).trim();
	const answers = at.map((start, i) => readAnswer(body.masked.charAt(start) === '=' ? '=' : '~', cut(body, start + 1, at[i + 1] ?? body.raw.length), format));
	return { leading, answers };
}

type Outcome =
	| { kind: 'question'; draft: QuestionDraft; problems: FormatProblem[] }
	| { kind: 'skipped'; value: string }
	| { kind: 'problems'; problems: FormatProblem[] };

function readQuestion(text: string, at: FilePosition, categories: string[]): Outcome {
	let q = piece(text.trim());
	const problem = (code: FormatProblem['code'], value?: string): FormatProblem => (value === undefined ? { ...at, code } : { ...at, code, value });
	if (q.masked.startsWith('::')) {
		const end = q.masked.indexOf('::', 2);
		q = trimPiece(cut(q, end < 0 ? 2 : end + 2));
	}
	const opens = positions(q.masked, '{');
	const closes = positions(q.masked, '}');
	// No answer block at all is Moodle's "description", a text shown between questions.
	if (opens.length === 0 && closes.length === 0) return { kind: 'skipped', value: 'description' };
	const open = opens[0] ?? -1;
	const close = closes[0] ?? -1;
	if (opens.length !== 1 || closes.length !== 1 || close < open) {
		return { kind: 'problems', problems: [problem('syntax', excerpt(unescape(q.raw).split('\n')[0] ?? '', 50))] };
	}
	const before = cut(q, 0, open).raw;
	const after = cut(q, close + 1).raw;
	let body = cut(q, open + 1, close);
	let feedback = '';
	const general = body.masked.lastIndexOf('####');
	if (general >= 0) {
		feedback = cut(body, general + 4).raw;
		body = cut(body, 0, general);
	}
	body = trimPiece(body);
	const format = splitFormat(before.trim(), 'moodle').format;
	const common = { explanation: giftText(feedback, format), ...noMetadata(), categories };
	// Missing-word style: an answer block inside the sentence leaves a blank where it stood.
	const choiceStem = giftText(after.trim() === '' ? before : `${before}${blankMarker}${after}`, 'moodle');

	if (body.raw === '') return { kind: 'skipped', value: 'essay' };
	if (body.masked.startsWith('#')) return { kind: 'skipped', value: 'numerical' };
	if (body.masked.includes('~')) {
		const { leading, answers } = splitAnswers(body, '~=', format);
		const problems: FormatProblem[] = [];
		if (leading !== '') problems.push(problem('syntax', excerpt(leading)));
		const options = answers.map((a) => a.text);
		const equals = answers.flatMap((a, i) => (a.kind === '=' ? [i] : []));
		if (equals.length > 0) {
			if (equals.length > 1) problems.push(problem('answer_needs_one', String(equals.length)));
			return { kind: 'question', draft: { type: 'single', options, correct: equals[0] ?? 0, stem: choiceStem, ...common }, problems };
		}
		const correct = answers.flatMap((a, i) => ((a.weight ?? 0) > 0 ? [i] : []));
		if (correct.length === 0) problems.push(problem('missing_answer'));
		else if (correct.length === 1) problems.push(problem('answer_needs_two', '1'));
		return { kind: 'question', draft: { type: 'multiple', options, correct, stem: choiceStem, ...common }, problems };
	}
	if (body.masked.includes('=') && body.masked.includes('->')) return { kind: 'skipped', value: 'matching' };
	const hash = body.masked.indexOf('#');
	const trueFalse = (hash >= 0 ? body.raw.slice(0, hash) : body.raw).trim().toUpperCase();
	if (trueFalse === 'T' || trueFalse === 'TRUE' || trueFalse === 'F' || trueFalse === 'FALSE') {
		return { kind: 'question', draft: { type: 'true_false', correct: trueFalse.startsWith('T'), stem: choiceStem, ...common }, problems: [] };
	}
	if (!body.masked.includes('=')) return { kind: 'problems', problems: [problem('missing_answer', excerpt(unescape(body.raw)))] };
	const { leading, answers } = splitAnswers(body, '=', 'alternative');
	const problems: FormatProblem[] = [];
	if (leading !== '') problems.push(problem('syntax', excerpt(leading)));
	// Partial-credit alternatives (`=%50%…`) have no place in the bank, which marks a blank right or wrong.
	const alternatives = distinct(answers.filter((a) => a.weight === null || a.weight >= 100).map((a) => a.text));
	if (alternatives.length === 0) problems.push(problem('missing_answer'));
	const stem = giftText(`${before}${blankMarker}${after}`, 'moodle');
	return { kind: 'question', draft: { type: 'fill', blanks: [alternatives], stem, ...common }, problems };
}

function readBlocks(body: string): ParseResult {
	const result: ParseResult = { questions: [], problems: [], skipped: [] };
	let category = '';
	const handle = (block: { text: string; line: number }[]) => {
		// Moodle drops whole-line comments before anything else.
		const lines = block.filter((l) => !l.text.trimStart().startsWith('//'));
		while (lines[0]?.text.trimStart().startsWith('$CATEGORY:')) {
			const line = lines.shift();
			category = categoryPath(line?.text.trimStart().slice('$CATEGORY:'.length) ?? '');
		}
		const first = lines[0];
		if (!first) return;
		const at = { line: first.line };
		const outcome = readQuestion(lines.map((l) => l.text).join('\n'), at, category === '' ? [] : [category]);
		if (outcome.kind === 'skipped') result.skipped.push({ ...at, code: 'unsupported_type', value: outcome.value });
		else if (outcome.kind === 'problems') result.problems.push(...outcome.problems);
		else {
			const problems = [...outcome.problems, ...draftProblems(outcome.draft, at, {})];
			if (problems.length > 0) result.problems.push(...problems);
			else result.questions.push({ ...outcome.draft, at });
		}
	};
	let block: { text: string; line: number }[] = [];
	splitLines(body).forEach((text, i) => {
		if (text.trim() !== '') block.push({ text, line: i + 1 });
		else if (block.length > 0) {
			handle(block);
			block = [];
		}
	});
	if (block.length > 0) handle(block);
	return result;
}

/** Reads a GIFT file. Never throws: whatever is wrong with the file comes back as problems. */
export function readGift(text: string): ParseResult {
	const refused = checkFileText(text);
	if (refused) return refused;
	try {
		const result = readBlocks(stripBom(text));
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

/**
 * Writes questions as GIFT. A `$CATEGORY:` line (the first area) goes before a question whose first area differs
 * from the one before. Questions with `<`, `>` or `&` are written as `[html]` and escaped, since Moodle renders
 * its default format as HTML too. Fill questions need exactly one blank (`____` becomes the answer block) and
 * no `->` in an alternative; others are left out and their indexes returned in `skipped`.
 */
export function questionsToGift(questions: QuestionDraft[]): { gift: string; skipped: number[] } {
	const skipped: number[] = [];
	const out: string[] = [];
	let category = '';
	questions.forEach((q, index) => {
		// An alternative containing `->` would make Moodle (and readGift) take the block for a matching question.
		if (q.type === 'fill' && (q.blanks.length !== 1 || countBlanks(q.stem) !== 1 || (q.blanks[0] ?? []).some((a) => a.includes('->')))) {
			skipped.push(index);
			return;
		}
		const area = q.areas[0];
		if (area !== undefined && area !== '' && area !== category) {
			category = area;
			out.push(`$CATEGORY: ${area.replace(/\s+/g, ' ').trim()}`, '');
		}
		const texts = [q.stem, q.explanation, ...(q.type === 'single' || q.type === 'multiple' ? q.options : [])];
		const format: TextFormat = texts.some((t) => /[<>&]/.test(t)) ? 'html' : 'moodle';
		const text = (t: string) => giftEscape(format === 'html' ? htmlEscape(t) : t);
		const lead = format === 'html' ? '[html]' : '';
		const feedback = q.explanation === '' ? '' : `####${guardStart(text(q.explanation), format)}`;
		if (q.type === 'fill') {
			const [before = '', after = ''] = q.stem.split(blankMarker);
			const alternatives = (q.blanks[0] ?? []).map((a) => `=${withWeight(a.startsWith('%') ? '100' : null, guardStart(giftEscape(a), 'moodle'))}`);
			const stemStart = lead === '' ? guardStart(text(before), format) : lead + text(before);
			out.push(`${stemStart}{${alternatives.join(' ')}${feedback === '' ? '' : ` ${feedback}`}}${text(after)}`, '');
			return;
		}
		const stem = lead === '' ? guardStart(text(q.stem), format) : lead + text(q.stem);
		if (q.type === 'true_false') {
			out.push(`${stem}{${q.correct ? 'T' : 'F'}${feedback}}`, '');
			return;
		}
		out.push(`${stem}{`);
		const right = q.type === 'single' ? [q.correct] : [...new Set(q.correct)].sort((a, b) => a - b);
		const shares = splitHundred(right.length);
		q.options.forEach((option, i) => {
			const body = guardStart(text(option), format);
			const share = right.indexOf(i);
			if (q.type === 'single') out.push(share >= 0 ? `\t=${withWeight(body.startsWith('%') ? '100' : null, body)}` : `\t~${withWeight(null, body)}`);
			else out.push(`\t~${withWeight(share >= 0 ? (shares[share] ?? '0') : '-100', body)}`);
		});
		if (feedback !== '') out.push(`\t${feedback}`);
		out.push('}', '');
	});
	return { gift: out.join('\n'), skipped };
}
