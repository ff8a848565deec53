// Aiken question files (https://docs.moodle.org/en/Aiken_format): single choice only, one question per block
//
//   党的最高理想和最终目标是（　）。
//   A. 实现共产主义
//   B. 全面建成小康社会
//   ANSWER: A
//
// Moodle's reader is strict (one stem line, `A.` or `A)` then a space, `ANSWER: ` with a space). Files typed
// on Chinese input methods are not: full-width letters and punctuation (`Ａ．`, `A、`, `ANSWER：B`), no space after
// the letter, a stem over several lines. All of those are read here. As in Moodle, the ANSWER line ends a
// question, so a missing blank line between questions is no error.
//
// Command-line tasks load this file with tsx, so it must only use relative imports (no $lib, $app, $env).
import type { FormatProblem, ParseResult } from '../types';
import { checkFileText, draftProblems, excerpt, noMetadata, splitLines, stripBom, tidyText } from './moodle-xml';

const optionLine = /^\s*([A-ZＡ-Ｚ])\s*[.．)）、]\s*(.*)$/;
const answerLine = /^\s*ANSWER\s*[:：]\s*(.*)$/i;

type Option = { letter: string; text: string; line: number };
type Pending = { stem: string[]; line: number; options: Option[]; broken: boolean };

function letterOf(text: string): string {
	return text.normalize('NFKC').toUpperCase();
}

function readLines(body: string): ParseResult {
	const result: ParseResult = { questions: [], problems: [], skipped: [] };
	let pending: Pending | null = null;
	const problem = (line: number, code: FormatProblem['code'], value?: string, column?: string) => {
		const p: FormatProblem = { line, code };
		if (column !== undefined) p.column = column;
		if (value !== undefined) p.value = value;
		result.problems.push(p);
	};
	// A question ends at its ANSWER line (`answer` is what followed the colon), or at a blank line or a new stem
	// without one (`answer` null).
	const finish = (q: Pending, answer: { text: string; line: number } | null) => {
		if (q.broken) return; // already reported where it went wrong
		const before = result.problems.length;
		const at = { line: q.line };
		q.options.forEach((option, i) => {
			const expected = String.fromCharCode(65 + i);
			if (option.letter !== expected) problem(option.line, 'gap_in_options', option.letter, '选项');
		});
		const options = q.options.map((o) => o.text);
		let correct = 0;
		if (answer === null) problem(q.line, 'missing_answer', undefined, 'ANSWER');
		else {
			const written = letterOf(answer.text).trim();
			if (written === '') problem(answer.line, 'missing_answer', undefined, 'ANSWER');
			else if (/^[A-Z]$/.test(written)) {
				correct = written.charCodeAt(0) - 65;
				if (correct >= options.length) problem(answer.line, 'answer_not_an_option', answer.text.trim(), 'ANSWER');
			} else if (/^[A-Z](?:[\s,，、;；]*[A-Z])+$/.test(written)) problem(answer.line, 'answer_needs_one', answer.text.trim(), 'ANSWER');
			else problem(answer.line, 'answer_not_an_option', excerpt(answer.text.trim()), 'ANSWER');
		}
		const draft = { type: 'single' as const, options, correct, stem: tidyText(q.stem.join('\n')), explanation: '', ...noMetadata(), categories: [] };
		result.problems.push(...draftProblems(draft, at, { stem: '题干', option: '选项' }));
		if (result.problems.length === before) result.questions.push({ ...draft, at });
	};
	splitLines(body).forEach((text, i) => {
		const line = i + 1;
		if (text.trim() === '') {
			if (pending) finish(pending, null);
			pending = null;
			return;
		}
		const answer = answerLine.exec(text);
		if (answer) {
			if (pending) finish(pending, { text: answer[1] ?? '', line });
			else problem(line, 'syntax', excerpt(text.trim()), 'ANSWER');
			pending = null;
			return;
		}
		const option = optionLine.exec(text);
		if (option) {
			if (!pending) {
				// Options with no question before them: reported once, and the rest of the block is swallowed.
				problem(line, 'syntax', excerpt(text.trim()));
				pending = { stem: [], line, options: [], broken: true };
			} else if (!pending.broken) pending.options.push({ letter: letterOf(option[1] ?? ''), text: tidyText(option[2] ?? ''), line });
			return;
		}
		if (pending && (pending.broken || pending.options.length > 0)) {
			// Moodle's rule: a line that is neither option nor ANSWER after the options starts the next question.
			finish(pending, null);
			pending = null;
		}
		if (pending) pending.stem.push(text);
		else pending = { stem: [text], line, options: [], broken: false };
	});
	if (pending) finish(pending, null);
	return result;
}

/** Reads an Aiken file. Never throws: whatever is wrong with the file comes back as problems. */
export function readAiken(text: string): ParseResult {
	const refused = checkFileText(text);
	if (refused) return refused;
	try {
		return readLines(stripBom(text));
	} catch {
		return { questions: [], problems: [{ line: 1, code: 'file_unreadable' }], skipped: [] };
	}
}
