// The question bank's own spreadsheet format (.xlsx / .csv): the template people download, fill in and upload,
// and the export that writes the bank back out in the same columns. This module only reads and checks cells;
// whether an area exists or a question duplicates one in the bank is decided by the import against the database.
import { decodeText } from '../../decode';
// Every problem of every row is collected (with spreadsheet row and Chinese column header) so a person can fix
// the whole file in one go instead of uploading it again for each mistake.
//
// The export writes every value the way the reader reads it, so exporting and importing again gives back the
// same drafts (the tests check this for generated questions).
//
// Command-line tasks load this file with tsx, so it must only use relative imports (no $lib, $app, $env).
import ExcelJS from 'exceljs';
import { loadWorkbook } from '../../spreadsheet';
import Papa from 'papaparse';
import {
	maxOptions,
	maxQuestionFileBytes,
	type Difficulty,
	type FormatProblem,
	type FormatProblemCode,
	type ParseResult,
	type ParsedQuestion,
	type QuestionDraft,
	type QuestionKey,
	type QuestionSource,
	type QuestionType
} from '../types';

const optionKeys = [
	'optionA',
	'optionB',
	'optionC',
	'optionD',
	'optionE',
	'optionF',
	'optionG',
	'optionH'
] as const;
type OptionKey = (typeof optionKeys)[number];

export type TemplateColumnKey =
	| 'type'
	| 'stem'
	| OptionKey
	| 'answer'
	| 'explanation'
	| 'difficulty'
	| 'areas'
	| 'source'
	| 'quote'
	| 'reviewBy';

const optionLetters = 'ABCDEFGH';

export const templateColumns: { key: TemplateColumnKey; zh: string; en: string; required: boolean }[] = [
	{ key: 'type', zh: '题型', en: 'Type', required: true },
	{ key: 'stem', zh: '题干', en: 'Stem', required: true },
	...optionKeys.map((key, i) => ({
		key,
		zh: `选项${optionLetters[i]}`,
		en: `Option ${optionLetters[i]}`,
		required: false
	})),
	{ key: 'answer', zh: '答案', en: 'Answer', required: true },
	{ key: 'explanation', zh: '解析', en: 'Explanation', required: false },
	{ key: 'difficulty', zh: '难度', en: 'Difficulty', required: false },
	{ key: 'areas', zh: '学习内容领域', en: 'Areas', required: false },
	{ key: 'source', zh: '出处', en: 'Source', required: false },
	{ key: 'quote', zh: '原文摘录', en: 'Quote', required: false },
	{ key: 'reviewBy', zh: '复核日期', en: 'Review by', required: false }
];

const zhHeader = Object.fromEntries(templateColumns.map((c) => [c.key, c.zh])) as Record<
	TemplateColumnKey,
	string
>;

const maxDataRows = 20_000;
const maxStemLength = 2000;
const maxExplanationLength = 2000;
const maxOptionLength = 500;
const maxQuoteLength = 500;
// Problems are shown back to the person and travel to the browser; a 2 MB cell must not travel with them.
const maxProblemValueLength = 100;

// Maps, not object literals: a cell saying "constructor" must not find Object.prototype's.
const typeWords = new Map<string, QuestionType>(Object.entries({
	单选: 'single',
	单选题: 'single',
	// What Chinese exam papers print as the section title.
	单项选择: 'single',
	单项选择题: 'single',
	single: 'single',
	多选: 'multiple',
	多选题: 'multiple',
	多项选择: 'multiple',
	多项选择题: 'multiple',
	multiple: 'multiple',
	判断: 'true_false',
	判断题: 'true_false',
	true_false: 'true_false',
	'true-false': 'true_false',
	truefalse: 'true_false',
	填空: 'fill',
	填空题: 'fill',
	fill: 'fill'
}));
const typeWordsOut: Record<QuestionType, string> = {
	single: '单选',
	multiple: '多选',
	true_false: '判断',
	fill: '填空'
};

// ✔ and ✘ are the heavy forms that Word and WPS offer next to ✓ and ✗.
const trueFalseWords = new Map<string, boolean>(Object.entries({
	对: true,
	正确: true,
	'√': true,
	'✓': true,
	'✔': true,
	t: true,
	true: true,
	是: true,
	错: false,
	错误: false,
	'×': false,
	'✗': false,
	'✘': false,
	f: false,
	false: false,
	否: false
}));

const difficultyWords = new Map<string, Difficulty>(Object.entries({
	易: 'easy',
	容易: 'easy',
	简单: 'easy',
	easy: 'easy',
	中: 'medium',
	中等: 'medium',
	一般: 'medium',
	medium: 'medium',
	难: 'hard',
	困难: 'hard',
	较难: 'hard',
	hard: 'hard'
}));
const difficultyWordsOut: Record<Difficulty, string> = { easy: '易', medium: '中', hard: '难' };

// Chinese users type 、，； or a full-width space between items; \s covers U+3000.
// Not on plain spaces: English area names ("Political theory") contain them.
const areaSeparators = /\s*[、,，;；/／\n]+\s*/u;
// Letters may be written "ACD", "A,C,D", "A、C、D", "A C D" … after NFKC (full-width ，；／ become ASCII).
const letterSeparators = /[\s,、;/|.]+/gu;

/**
 * A fill-in blank as people type it: three or more underscores (ASCII or the full-width ＿ of a Chinese input
 * method), empty round brackets (either width, only spaces inside), or empty 【】.
 */
const blankMarker = /[_＿]{3,}|[（(][ \u3000\u00a0]*[）)]|【[ \u3000\u00a0]*】/gu;
const storedBlank = '____';

/** A cell reduced to what matters for parsing. */
type Cell = string | number | boolean | Date | null;
type SheetRow = { row: number; cells: Cell[] };

// String.prototype.trim already removes U+3000, U+00A0 and U+FEFF; the zero-width space comes with text
// pasted from web pages and is not whitespace to JavaScript.
function trimCell(text: string): string {
	return text.replace(/^[\s\u200b]+|[\s\u200b]+$/gu, '');
}

// Characters XML 1.0 cannot carry: an xlsx holding them does not open, and they cannot be shown anyway. The
// reader drops them too, so a question read from a CSV exports to the same text it was read as.
// With the u flag a surrogate pair is one code point, so the surrogate range only matches lone halves.
const notXmlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]/gu;

function cleanText(text: string): string {
	// Excel's Alt+Enter is LF; CR comes from CSV files written on Windows and from `_x000D_` in xlsx.
	return trimCell(text.replace(notXmlCharacters, '').replace(/\r\n?/gu, '\n'));
}

function charCount(text: string): number {
	// Count what a person sees, not UTF-16 units (rare characters are outside the BMP).
	return [...text].length;
}

function cellText(cell: Cell): string {
	if (cell === null) return '';
	if (typeof cell === 'string') return cleanText(cell);
	if (typeof cell === 'number') return String(cell);
	if (typeof cell === 'boolean') return cell ? 'true' : 'false';
	return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
}

/** For matching words (types, 对/错, letters): full-width letters and digits become ASCII, case is ignored. */
function wordOf(text: string): string {
	return text.normalize('NFKC').toLowerCase();
}

function fromExcelValue(value: ExcelJS.CellValue): Cell {
	if (value === null || value === undefined) return null;
	if (
		typeof value === 'string' ||
		typeof value === 'number' ||
		typeof value === 'boolean' ||
		value instanceof Date
	) {
		return value;
	}
	if (typeof value !== 'object') return null;
	if ('richText' in value) return value.richText.map((part) => part.text).join('');
	// Excel turns typed web addresses into hyperlinks; the text is what the person typed.
	if ('hyperlink' in value) return fromExcelValue(value.text);
	if ('formula' in value || 'sharedFormula' in value) {
		return value.result === undefined ? null : fromExcelValue(value.result);
	}
	if ('error' in value) return value.error;
	return null;
}

async function readXlsx(bytes: Uint8Array): Promise<SheetRow[] | 'too_large' | null> {
	// 20,000 questions unpack to well under this; a zip bomb is refused before ExcelJS sees it.
	const loaded = await loadWorkbook(bytes, 200 * 1024 * 1024);
	if (!loaded.ok) return loaded.reason === 'too_large' ? 'too_large' : null;
	const workbook = loaded.workbook;
	// worksheets[] is in tab order; getWorksheet(1) goes by internal id, which need not be the first tab.
	const sheet = workbook.worksheets[0];
	if (!sheet) return null;
	const rows: SheetRow[] = [];
	try {
		sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
			const cells: Cell[] = [];
			row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
				cells[colNumber - 1] = fromExcelValue(cell.value);
			});
			// eachCell leaves holes for empty cells; a sparse array would make `cells[i]` lie about its type.
			rows.push({ row: rowNumber, cells: Array.from(cells, (c) => c ?? null) });
		});
	} catch {
		// Whatever ExcelJS throws while walking a damaged sheet means an unreadable file, not a crashed request.
		return null;
	}
	return rows;
}

function headerWord(text: string): string {
	// "Option A", "option a", "OptionA", "选项 A" and "选项Ａ" are all the same column.
	return wordOf(text).replace(/\s+/gu, '');
}

const columnByWord = new Map<string, TemplateColumnKey>(
	templateColumns.flatMap((c) => [
		[headerWord(c.zh), c.key],
		[headerWord(c.en), c.key]
	])
);

function headerKey(cell: Cell): TemplateColumnKey | null {
	const text = cellText(cell);
	if (text === '') return null;
	return columnByWord.get(headerWord(text)) ?? null;
}

function fileProblem(code: FormatProblemCode, value?: string): ParseResult {
	const problem: FormatProblem = { row: 1, code };
	if (value !== undefined) problem.value = value;
	return { questions: [], problems: [problem], skipped: [] };
}

/** The header row and the question rows under it, collected row by row so a huge file can be dropped early. */
type Collected = {
	header: SheetRow | null;
	positions: Map<TemplateColumnKey, number>;
	dataRows: SheetRow[];
	tooMany: boolean;
};

function collectRows(): { add: (row: SheetRow) => boolean; collected: Collected } {
	const collected: Collected = { header: null, positions: new Map(), dataRows: [], tooMany: false };
	let indexes: number[] = [];
	/** Takes the next row in sheet order; false when the rest of the file no longer matters. */
	const add = (row: SheetRow): boolean => {
		if (!collected.header) {
			// Normally row 1; blank rows above the header are tolerated so the row numbers still match the sheet.
			if (!row.cells.some((c) => !isBlank(c))) return true;
			collected.header = row;
			row.cells.forEach((cell, index) => {
				const key = headerKey(cell);
				// With both the Chinese and the English header present, the leftmost one counts.
				if (key && !collected.positions.has(key)) collected.positions.set(key, index);
			});
			indexes = [...collected.positions.values()];
			return templateColumns.every((c) => !c.required || collected.positions.has(c.key));
		}
		// Only the template's columns decide whether a row is empty: a note in an extra column is not a question.
		if (!indexes.some((i) => !isBlank(row.cells[i] ?? null))) return true;
		collected.dataRows.push(row);
		if (collected.dataRows.length <= maxDataRows) return true;
		collected.tooMany = true;
		return false;
	};
	return { add, collected };
}

function readCsv(bytes: Uint8Array): Collected | ParseResult {
	const text = decodeText(bytes);
	if (trimCell(text) === '') return fileProblem('file_empty');
	// European-locale Excel writes ';' and some people save tab-separated text as .csv. Papa's own guess can be
	// fooled by cells such as "A,C,D", so the delimiter that yields the most known headers wins; only the first
	// rows are parsed for that.
	let best: { delimiter: string; score: number } | null = null;
	for (const delimiter of [',', '\t', ';']) {
		const parsed = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false, preview: 20 });
		const header = parsed.data.find((cells) => cells.some((c) => trimCell(c) !== ''));
		const score = new Set((header ?? []).map(headerKey).filter((k) => k !== null)).size;
		if (!best || score > best.score) best = { delimiter, score };
	}
	// Row by row, so that 10 MB of one-character lines stops at the row limit instead of becoming a million arrays.
	const { add, collected } = collectRows();
	let row = 0;
	let unclosedQuoteRow: number | null = null;
	Papa.parse<string[]>(text, {
		delimiter: best?.delimiter ?? ',',
		skipEmptyLines: false,
		step: (result, parser) => {
			row++;
			// An unclosed quote swallows the rest of the file into one cell; what follows cannot be trusted.
			if (result.errors.some((e) => e.type === 'Quotes')) {
				unclosedQuoteRow = row;
				parser.abort();
			} else if (!add({ row, cells: result.data })) {
				parser.abort();
			}
		}
	});
	if (unclosedQuoteRow !== null) {
		return { questions: [], problems: [{ row: unclosedQuoteRow, code: 'file_unreadable' }], skipped: [] };
	}
	return collected;
}

function fileExtension(fileName: string): string {
	const dot = fileName.lastIndexOf('.');
	return dot < 0 ? '' : fileName.slice(dot).toLowerCase();
}

/**
 * Reads the first worksheet of an .xlsx or a .csv (UTF-8 with or without BOM, GBK, UTF-16). Never throws: a file
 * that cannot be read at all gives one problem on row 1 (file_unreadable, file_empty, file_too_large).
 */
export async function readQuestionSheet(bytes: Uint8Array, fileName: string): Promise<ParseResult> {
	const extension = fileExtension(trimCell(fileName));
	if (extension !== '.xlsx' && extension !== '.csv') return fileProblem('file_unreadable', extension);
	if (bytes.byteLength === 0) return fileProblem('file_empty');
	// The upload refuses larger files already; this keeps a caller that forgot from parsing a huge one.
	if (bytes.byteLength > maxQuestionFileBytes) return fileProblem('file_too_large', String(bytes.byteLength));

	if (extension === '.csv') {
		const result = readCsv(bytes);
		return 'problems' in result ? result : checkRows(result);
	}
	const rows = await readXlsx(bytes);
	if (rows === 'too_large') return fileProblem('file_too_large');
	if (!rows) return fileProblem('file_unreadable');
	const { add, collected } = collectRows();
	for (const row of rows) if (!add(row)) break;
	return checkRows(collected);
}

// The same as `cellText(cell) === ''` for text, without building the cleaned string: a 10 MB file of short
// lines has a million rows to look at before the row limit can be applied.
const blankText = /^[\s\u200b\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]*$/u;

function isBlank(cell: Cell): boolean {
	return typeof cell === 'string' ? blankText.test(cell) : cellText(cell) === '';
}

function checkRows({ header, positions, dataRows, tooMany }: Collected): ParseResult {
	if (!header) return fileProblem('file_empty');
	const missing = templateColumns.filter((c) => c.required && !positions.has(c.key));
	if (missing.length > 0) {
		// Without a required column every row would repeat the same complaint; the header is the one problem.
		return {
			questions: [],
			problems: missing.map((c) => ({ row: header.row, code: 'missing_column', column: c.zh, value: '' })),
			skipped: []
		};
	}
	if (tooMany) return fileProblem('file_too_large', `>${maxDataRows}`);
	if (dataRows.length === 0) return fileProblem('file_empty');

	const cellOf = (r: SheetRow, key: TemplateColumnKey): Cell => {
		const index = positions.get(key);
		return index === undefined ? null : (r.cells[index] ?? null);
	};
	const questions: ParsedQuestion[] = [];
	const problems: FormatProblem[] = [];
	for (const sheetRow of dataRows) {
		const rowProblems: FormatProblem[] = [];
		const report: Report = (key, code, value) => {
			const shown = [...value];
			rowProblems.push({
				row: sheetRow.row,
				code,
				column: zhHeader[key],
				value:
					shown.length > maxProblemValueLength
						? shown.slice(0, maxProblemValueLength).join('') + '…'
						: value
			});
		};
		const text = (key: TemplateColumnKey): string => cellText(cellOf(sheetRow, key));
		const draft = checkRow(text, cellOf(sheetRow, 'reviewBy'), report);
		if (rowProblems.length > 0 || !draft) {
			problems.push(...rowProblems);
			continue;
		}
		questions.push({ ...draft, at: { row: sheetRow.row } });
	}
	return { questions, problems, skipped: [] };
}

type Report = (column: TemplateColumnKey, code: FormatProblemCode, value: string) => void;

/** The draft, or null when a cell has a problem (every problem of the row is reported). */
function checkRow(
	text: (key: TemplateColumnKey) => string,
	reviewByCell: Cell,
	report: Report
): QuestionDraft | null {
	const typeText = text('type');
	const type = typeText === '' ? null : (typeWords.get(wordOf(typeText)) ?? null);
	if (typeText === '') report('type', 'required', '');
	else if (!type) report('type', 'invalid_type', typeText);

	let stem = text('stem');
	if (stem === '') report('stem', 'required', '');
	else if (charCount(stem) > maxStemLength) report('stem', 'too_long', stem);

	const answerText = text('answer');
	if (answerText === '') report('answer', 'missing_answer', '');

	let key: QuestionKey | null = null;
	if (type === 'single' || type === 'multiple') {
		const options = checkOptions(text, report);
		const correct = answerText === '' ? null : checkChoiceAnswer(type, answerText, options.columns, report);
		if (options.ok && correct) {
			// No gap, so the filled columns are exactly the first ones.
			const filled = options.columns.filter((c) => c !== '');
			const [first = 0] = correct;
			key = type === 'single' ? { type, options: filled, correct: first } : { type, options: filled, correct };
		}
	} else if (type === 'true_false') {
		if (answerText !== '') {
			const correct = trueFalseWords.get(wordOf(answerText));
			if (correct === undefined) report('answer', 'invalid_true_false', answerText);
			else key = { type, correct };
		}
	} else if (type === 'fill' && stem !== '') {
		const marked = markBlanks(stem);
		if (marked.count === 0) report('stem', 'no_blanks', stem);
		stem = marked.stem;
		if (answerText !== '' && marked.count > 0) {
			const blanks = answerText
				.split(/[|｜]/u)
				.map((blank) =>
					blank
						.split(/[/／]/u)
						.map(trimCell)
						.filter((alternative) => alternative !== '')
				);
			if (blanks.length !== marked.count) report('answer', 'blank_count_mismatch', answerText);
			// "北京||上海": the middle blank has nothing that would count as right.
			else if (blanks.some((b) => b.length === 0)) report('answer', 'missing_answer', answerText);
			else key = { type, blanks };
		}
	}

	const explanation = text('explanation');
	if (charCount(explanation) > maxExplanationLength) report('explanation', 'too_long', explanation);

	const difficultyText = text('difficulty');
	let difficulty: Difficulty | null = null;
	if (difficultyText !== '') {
		difficulty = difficultyWords.get(wordOf(difficultyText)) ?? null;
		if (!difficulty) report('difficulty', 'invalid_difficulty', difficultyText);
	}

	const areas = [...new Set(text('areas').split(areaSeparators))].filter((a) => a !== '');
	const source = checkSource(text('source'), text('quote'), report);
	const reviewBy = checkDate(reviewByCell, report);

	if (!key) return null;
	return {
		...key,
		stem,
		explanation,
		difficulty,
		areas,
		source: source ?? null,
		reviewBy: reviewBy ?? null,
		categories: []
	};
}

/** The option columns' texts, and whether they make a usable list (problems already reported). */
function checkOptions(
	text: (key: TemplateColumnKey) => string,
	report: Report
): { columns: string[]; ok: boolean } {
	const cells = optionKeys.map((key) => ({ key, text: text(key) }));
	let ok = true;
	for (const cell of cells) {
		if (charCount(cell.text) > maxOptionLength) {
			report(cell.key, 'too_long', cell.text);
			ok = false;
		}
	}
	const lastFilled = cells.findLastIndex((c) => c.text !== '');
	// Letters in the answer name columns; with a hole, "C" would mean the third column or the second option.
	for (const cell of cells.slice(0, Math.max(lastFilled, 0))) {
		if (cell.text === '') {
			report(cell.key, 'gap_in_options', '');
			ok = false;
		}
	}
	const filled = cells.filter((c) => c.text !== '').length;
	if (filled < 2) {
		const firstEmpty = cells.find((c) => c.text === '');
		report(firstEmpty?.key ?? 'optionA', 'too_few_options', String(filled));
		ok = false;
	}
	return { columns: cells.map((c) => c.text), ok };
}

function checkChoiceAnswer(
	type: 'single' | 'multiple',
	answerText: string,
	columns: string[],
	report: Report
): number[] | null {
	const letters = wordOf(answerText).toUpperCase().replace(letterSeparators, '');
	if (![...letters].every((l) => optionLetters.includes(l))) {
		report('answer', 'answer_not_an_option', answerText);
		return null;
	}
	const correct = [...new Set([...letters].map((l) => optionLetters.indexOf(l)))].sort((a, b) => a - b);
	if (type === 'single' && correct.length !== 1) {
		report('answer', 'answer_needs_one', answerText);
		return null;
	}
	if (type === 'multiple' && correct.length < 2) {
		report('answer', 'answer_needs_two', answerText);
		return null;
	}
	if (correct.some((i) => !columns[i])) {
		report('answer', 'answer_not_an_option', answerText);
		return null;
	}
	return correct;
}

/**
 * Every blank marker becomes exactly `____`. Stray underscores next to a marker belong to it, and adjacent
 * markers get a space between them: otherwise `（）（）` would become one long underscore run, which reads back as
 * a single blank, and the stored stem would not survive an export and import.
 */
function markBlanks(stem: string): { stem: string; count: number } {
	const parts: string[] = [];
	let count = 0;
	let last = 0;
	let previousWasBlank = false;
	for (const match of stem.matchAll(blankMarker)) {
		let between = stem.slice(last, match.index);
		if (previousWasBlank) between = between.replace(/^[_＿]+/u, '');
		between = between.replace(/[_＿]+$/u, '');
		if (previousWasBlank && between === '') between = ' ';
		parts.push(between, storedBlank);
		count++;
		last = match.index + match[0].length;
		previousWasBlank = true;
	}
	let rest = stem.slice(last);
	if (previousWasBlank) rest = rest.replace(/^[_＿]+/u, '');
	parts.push(rest);
	return { stem: parts.join(''), count };
}

/** The source, null when both cells are empty, or undefined when there is a problem (already reported). */
function checkSource(sourceText: string, quote: string, report: Report): QuestionSource | null | undefined {
	let ok = true;
	if (charCount(quote) > maxQuoteLength) {
		report('quote', 'too_long', quote);
		ok = false;
	}
	if (sourceText === '') {
		if (quote === '') return null;
		// A quotation nobody can look up is not a citation.
		report('source', 'invalid_source', '');
		return undefined;
	}
	// `001 四(一)`: the document number, then the section as printed in the document.
	const match = /^(\S+)\s+(\S[\s\S]*)$/u.exec(sourceText);
	if (!match?.[1] || !match[2]) {
		report('source', 'invalid_source', sourceText);
		return undefined;
	}
	return ok ? { document: match[1], section: match[2], quote } : undefined;
}

function isoDate(year: number, month: number, day: number): string | null {
	// By hand rather than with Date.UTC, which reads the years 0–99 as 1900–1999.
	const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
	const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
	if (daysInMonth === undefined || day < 1 || day > daysInMonth) return null;
	return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `YYYY-MM-DD`, null when empty, or undefined when invalid (already reported). */
function checkDate(cell: Cell, report: Report): string | null | undefined {
	// A date typed into Excel is a date cell; ExcelJS hands it over as midnight UTC of that day.
	if (cell instanceof Date && !Number.isNaN(cell.getTime())) {
		return isoDate(cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate()) ?? undefined;
	}
	const text = cellText(cell);
	if (text === '') return null;
	const normal = text.normalize('NFKC');
	// 2027年3月1日 is how Chinese users write a date when the cell is text.
	const match =
		/^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/u.exec(normal) ?? /^(\d{4})(年)(\d{1,2})月(\d{1,2})日?$/u.exec(normal);
	const date = match ? isoDate(Number(match[1]), Number(match[3]), Number(match[4])) : null;
	if (!date) {
		report('reviewBy', 'invalid_date', text);
		return undefined;
	}
	return date;
}

// ---------------------------------------------------------------------------------------------------------------
// Export

function rowCells(q: QuestionDraft): Record<TemplateColumnKey, string> {
	const cells = Object.fromEntries(templateColumns.map((c) => [c.key, ''])) as Record<TemplateColumnKey, string>;
	cells.type = typeWordsOut[q.type];
	cells.stem = q.stem;
	switch (q.type) {
		case 'single':
		case 'multiple':
			q.options.slice(0, maxOptions).forEach((option, i) => {
				const key = optionKeys[i];
				if (key) cells[key] = option;
			});
			cells.answer = (q.type === 'single' ? [q.correct] : q.correct)
				.map((i) => optionLetters[i] ?? '')
				.join('');
			break;
		case 'true_false':
			cells.answer = q.correct ? '对' : '错';
			break;
		case 'fill':
			cells.answer = q.blanks.map((alternatives) => alternatives.join('/')).join('|');
			break;
	}
	cells.explanation = q.explanation;
	cells.difficulty = q.difficulty ? difficultyWordsOut[q.difficulty] : '';
	cells.areas = q.areas.join('、');
	if (q.source) {
		cells.source = `${q.source.document} ${q.source.section}`;
		cells.quote = q.source.quote;
	}
	cells.reviewBy = q.reviewBy ?? '';
	return cells;
}

/** The questions as CSV: UTF-8 with BOM, Chinese headers, CRLF (what Excel writes). Categories are not kept. */
export function questionsToCsv(questions: QuestionDraft[]): string {
	const data = [
		templateColumns.map((c) => c.zh),
		...questions.map((q) => {
			const cells = rowCells(q);
			// The reader drops these anyway, and a lone surrogate cannot be encoded as UTF-8 at all.
			return templateColumns.map((c) => cells[c.key].replace(notXmlCharacters, ''));
		})
	];
	// The BOM is what makes Excel open a UTF-8 CSV as UTF-8 instead of the local code page.
	return '\uFEFF' + Papa.unparse(data, { newline: '\r\n' }) + '\r\n';
}

const columnWidths: Record<TemplateColumnKey, number> = {
	type: 8,
	stem: 50,
	optionA: 18,
	optionB: 18,
	optionC: 18,
	optionD: 18,
	optionE: 14,
	optionF: 14,
	optionG: 14,
	optionH: 14,
	answer: 14,
	explanation: 40,
	difficulty: 8,
	areas: 20,
	source: 16,
	quote: 40,
	reviewBy: 12
};

/** Text as ExcelJS should write it so that ExcelJS (and Excel) read back the same text. */
function xlsxText(text: string): string {
	// Both decode `_x0041_` in cell text to "A"; `_x005F_` is the escaped underscore that stops that.
	return text.replace(notXmlCharacters, '').replace(/_(?=x[0-9A-Fa-f]{4}_)/gu, '_x005F_');
}

function columnHelp(withAreaSheet: boolean): Record<TemplateColumnKey, string> {
	const option =
		'单选题、多选题填写，至少两个选项，从选项A开始连续填写，中间不能空列；每个选项不超过 500 字。判断题、填空题不填（填了也会被忽略）。';
	return {
		type: '必填。单选、多选、判断 或 填空（也可写 单选题、多选题、判断题、填空题）。',
		stem: '必填，不超过 2000 字。填空题在题干中标出每一个空：连续三个或更多下划线 ___、空括号（　）或【】，导入后统一显示为 ____。',
		optionA: option,
		optionB: option,
		optionC: option,
		optionD: option,
		optionE: option,
		optionF: option,
		optionG: option,
		optionH: option,
		answer:
			'必填。单选题：一个字母，如 B；多选题：两个或更多字母，如 ACD（也可写 A,C,D 或 A、C、D）；判断题：对 或 错（也可写 正确/错误、√/×）；填空题：按顺序写出每个空的答案，空与空之间用 | 分隔，同一个空可以接受的几种写法用 / 分隔，如 季度|最后一个月/末月，空的个数必须与题干中的空一致。',
		explanation: '选填。答案的依据或说明，不超过 2000 字。',
		difficulty: '选填。易、中 或 难；不填时由导入时选择的默认难度决定。',
		areas: withAreaSheet
			? '选填。一个或多个学习内容领域的代码或名称，用 、 分隔；可从“学习内容领域”工作表复制。'
			: '选填。一个或多个学习内容领域的代码或名称，用 、 分隔。',
		source: '选填。文件编号和章节，中间用空格分隔，如 001 四(一)。',
		quote: '选填。支持答案的原文，不超过 500 字；填写原文摘录时必须填写出处。',
		reviewBy: '选填。政策类试题需要重新核对的日期，如 2027-12-31（也可写 2027/12/31 或 2027.12.31）。'
	};
}

/**
 * The questions as a workbook: sheet '试题' in the template's columns, sheet '说明' explaining them and, when
 * `areaNames` is given, sheet '学习内容领域' with the codes and names that the 学习内容领域 column accepts.
 */
export async function questionsToXlsx(
	questions: QuestionDraft[],
	areaNames?: { code: string; name: string }[]
): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet('试题', { views: [{ state: 'frozen', ySplit: 1 }] });
	const wrapped = new Set<TemplateColumnKey>(['stem', 'explanation', 'quote']);
	sheet.columns = templateColumns.map((c) => ({
		header: c.zh,
		key: c.key,
		width: columnWidths[c.key],
		// Text format everywhere: Excel must not turn 复核日期 into a date serial, an answer "1/2" into a date or
		// an option "001" into 1 in rows that people add by hand.
		style: { numFmt: '@', ...(wrapped.has(c.key) ? { alignment: { wrapText: true, vertical: 'top' } } : {}) }
	}));
	sheet.getRow(1).font = { bold: true };
	for (const q of questions) {
		const cells = rowCells(q);
		// Strings stay strings in ExcelJS (a leading '=' does not become a formula), so exported text is inert.
		sheet.addRow(templateColumns.map((c) => (cells[c.key] === '' ? null : xlsxText(cells[c.key]))));
	}

	const help = workbook.addWorksheet('说明');
	help.columns = [
		{ header: '列名', key: 'column', width: 14 },
		{ header: '英文列名', key: 'en', width: 14 },
		{ header: '必填', key: 'required', width: 6 },
		{ header: '说明', key: 'help', width: 100 }
	];
	help.getRow(1).font = { bold: true };
	const helpTexts = columnHelp(areaNames !== undefined);
	for (const c of templateColumns) help.addRow([c.zh, c.en, c.required ? '是' : '否', helpTexts[c.key]]);
	help.getColumn(4).alignment = { wrapText: true, vertical: 'top' };
	help.addRow([]);
	for (const note of [
		'第 1 行为表头，列名可以用中文或英文，列的顺序可以调整，多余的列会被忽略；空行会被跳过；每个文件最多 20000 道题。',
		'有问题的行不会导入，导入预览会列出每个问题所在的行和列。',
		'示例试题的出处为“示例”，导入前请删除。'
	]) {
		help.addRow([null, null, null, note]);
	}

	if (areaNames !== undefined) {
		const areas = workbook.addWorksheet('学习内容领域');
		areas.columns = [
			{ header: '代码', key: 'code', width: 16 },
			{ header: '名称', key: 'name', width: 30 }
		];
		areas.getRow(1).font = { bold: true };
		for (const area of areaNames) areas.addRow([xlsxText(area.code), xlsxText(area.name)]);
	}

	const buffer = await workbook.xlsx.writeBuffer();
	return new Uint8Array(buffer);
}

/**
 * One example per type. They cite an invented document '示例' and only talk about the template itself, so they are
 * obviously examples and state nothing about policy that could be wrong.
 */
function exampleQuestions(areaNames: { code: string; name: string }[]): QuestionDraft[] {
	// One example names the area by code and one by name, to show that both are accepted.
	const firstArea = areaNames[0];
	const byCode = firstArea?.code ?? 'learning_org';
	const byName = firstArea?.name ?? byCode;
	return [
		{
			type: 'single',
			stem: '（示例）单选题的“答案”一列应填写几个字母？',
			options: ['一个', '两个', '三个', '不填'],
			correct: 0,
			explanation: '单选题只有一个正确选项，答案填写该选项的字母，如 B。',
			difficulty: 'easy',
			areas: [byCode],
			source: { document: '示例', section: '一', quote: '' },
			reviewBy: null,
			categories: []
		},
		{
			type: 'multiple',
			stem: '（示例）本模板支持以下哪些题型？',
			options: ['单选题', '多选题', '论述题', '判断题'],
			correct: [0, 1, 3],
			explanation: '模板支持单选、多选、判断、填空四种题型，不支持论述题。',
			difficulty: 'medium',
			areas: [byName],
			source: { document: '示例', section: '二', quote: '单选、多选、判断 或 填空' },
			reviewBy: null,
			categories: []
		},
		{
			type: 'true_false',
			stem: '（示例）判断题的答案可以填写“对”或“错”。',
			explanation: '判断题答案填写 对 或 错，也可写 正确/错误、√/×。',
			correct: true,
			difficulty: 'easy',
			areas: [byCode],
			source: { document: '示例', section: '三', quote: '' },
			reviewBy: '2030-12-31',
			categories: []
		},
		{
			type: 'fill',
			stem: '（示例）填空题在题干中用____标出空位，几个空的答案之间用____分隔。',
			blanks: [['下划线', '四条下划线'], ['竖线']],
			explanation: '每个空用四条下划线标出；答案中空与空之间用 | 分隔，同一个空的几种写法用 / 分隔。',
			difficulty: 'hard',
			areas: [byCode],
			source: { document: '示例', section: '四', quote: '' },
			reviewBy: null,
			categories: []
		}
	];
}

/** The downloadable template: the workbook of questionsToXlsx with four example questions, one per type. */
export async function questionTemplateXlsx(areaNames: { code: string; name: string }[]): Promise<Uint8Array> {
	return questionsToXlsx(exampleQuestions(areaNames), areaNames);
}
