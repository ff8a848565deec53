// The question bank's shapes, shared by the database module, the file formats and the pages.
// DESIGN.md section 4: single choice, multiple choice, true/false, fill in the blank.

import type { Difficulty, QuestionStatus, QuestionType } from '../../types';

export type { Difficulty, QuestionStatus, QuestionType };

export const questionTypes: QuestionType[] = ['single', 'multiple', 'true_false', 'fill'];
export const difficulties: Difficulty[] = ['easy', 'medium', 'hard'];
export const minOptions = 2;
export const maxOptions = 8;

/** What makes an answer right, per type. Option indexes are 0-based (A = 0). */
export type QuestionKey =
	| { type: 'single'; options: string[]; correct: number }
	| { type: 'multiple'; options: string[]; correct: number[] }
	| { type: 'true_false'; correct: boolean }
	/** One entry per blank, each the accepted alternatives. Blanks are marked in the stem with `____`. */
	| { type: 'fill'; blanks: string[][] };

export type QuestionSource = { document: string; section: string; quote: string };

/** A question as written in a file or a form, before it is checked against the bank. */
export type QuestionDraft = QuestionKey & {
	stem: string;
	explanation: string;
	/** null when the file format has no difficulty (Moodle, GIFT, Aiken); the import chooses a default. */
	difficulty: Difficulty | null;
	/** Content areas as the file names them: codes (`theory`) or names (`政治理论`); resolved by the import. */
	areas: string[];
	source: QuestionSource | null;
	/** ISO date `YYYY-MM-DD`: when a question about a changing policy should be checked again. */
	reviewBy: string | null;
	/** Moodle category path, GIFT `$CATEGORY`: offered for mapping to areas in the import preview. */
	categories: string[];
	/**
	 * Moodle tags: one that is an area's code or name tags the question with that area; the others are listed in
	 * the preview as information. Not categories: a tag is not where a question sits.
	 */
	tags?: string[];
};

/** Where in a file something is: a spreadsheet row (header = row 1) or a text line (first = 1). */
export type FilePosition = { row: number } | { line: number };

export type ParsedQuestion = QuestionDraft & { at: FilePosition };

export type FormatProblemCode =
	| 'file_unreadable'
	| 'file_too_large'
	| 'file_empty'
	| 'missing_column'
	| 'required'
	| 'too_long'
	| 'invalid_type'
	| 'too_few_options'
	| 'too_many_options'
	| 'gap_in_options'
	| 'missing_answer'
	| 'answer_not_an_option'
	| 'answer_needs_one'
	| 'answer_needs_two'
	| 'invalid_true_false'
	| 'blank_count_mismatch'
	| 'no_blanks'
	| 'invalid_difficulty'
	| 'invalid_date'
	| 'invalid_source'
	| 'syntax';

export type FormatProblem = FilePosition & {
	code: FormatProblemCode;
	/** The template column (题干, 答案 …) or the format's field name, when there is one. */
	column?: string;
	/** What was found, quoted back to the person who wrote the file. */
	value?: string;
};

export type SkippedCode =
	| 'unsupported_type' // essay, matching, numerical, cloze, description, calculated, ordering …
	| 'embedded_file'; // images or other files inside the question

export type SkippedQuestion = FilePosition & { code: SkippedCode; value?: string };

export type ParseResult = { questions: ParsedQuestion[]; problems: FormatProblem[]; skipped: SkippedQuestion[] };

/** A limit for every format: a larger upload is refused before parsing. */
export const maxQuestionFileBytes = 10 * 1024 * 1024;
