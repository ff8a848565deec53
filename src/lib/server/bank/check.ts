import type { QuestionDraft } from './types';
import { maxOptions, minOptions } from './types';
import { countBlanks } from './normalize';

export const stemMaxLength = 2000;
export const optionMaxLength = 500;
export const explanationMaxLength = 2000;
export const quoteMaxLength = 500;

export type DraftField = 'stem' | 'options' | 'answer' | 'explanation' | 'difficulty' | 'areas' | 'source' | 'reviewBy';
export type DraftProblem =
	| 'required'
	| 'too_long'
	| 'too_few_options'
	| 'too_many_options'
	| 'empty_option'
	| 'answer_not_an_option'
	| 'answer_needs_two'
	| 'blank_count_mismatch'
	| 'no_blanks'
	| 'empty_blank'
	| 'separator_in_blank'
	| 'invalid_date';
export type DraftErrors = Partial<Record<DraftField, DraftProblem>>;

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date in `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
	const m = isoDate.exec(value);
	if (!m) return false;
	const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
	return date.toISOString().slice(0, 10) === value;
}

/**
 * The rules every question meets before it is stored, whether typed in the form or imported. Areas are
 * checked by the caller, which knows the bank's areas; here only that there is at least one.
 */
export function checkDraft(draft: QuestionDraft): DraftErrors {
	const errors: DraftErrors = {};
	const length = (s: string) => [...s].length;
	if (!draft.stem.trim()) errors.stem = 'required';
	else if (length(draft.stem) > stemMaxLength) errors.stem = 'too_long';
	if (draft.type === 'single' || draft.type === 'multiple') {
		if (draft.options.length < minOptions) errors.options = 'too_few_options';
		else if (draft.options.length > maxOptions) errors.options = 'too_many_options';
		else if (draft.options.some((o) => !o.trim())) errors.options = 'empty_option';
		else if (draft.options.some((o) => length(o) > optionMaxLength)) errors.options = 'too_long';
		const correct = draft.type === 'single' ? [draft.correct] : draft.correct;
		if (correct.length === 0) errors.answer = 'required';
		else if (correct.some((i) => !Number.isInteger(i) || i < 0 || i >= draft.options.length)) errors.answer = 'answer_not_an_option';
		else if (draft.type === 'multiple' && new Set(correct).size < 2) errors.answer = 'answer_needs_two';
	}
	if (draft.type === 'fill' && !errors.stem) {
		const blanks = countBlanks(draft.stem);
		if (blanks === 0) errors.stem = 'no_blanks';
		else if (draft.blanks.length !== blanks) errors.answer = 'blank_count_mismatch';
		else if (draft.blanks.some((alternatives) => alternatives.every((a) => !a.trim()))) errors.answer = 'empty_blank';
		// `/` and `|` separate alternatives and blanks in the form and the template; inside an answer they
		// would be split apart on the next edit or export, and a part of the answer would count as right.
		else if (draft.blanks.some((alternatives) => alternatives.some((a) => /[/|／｜]/u.test(a)))) errors.answer = 'separator_in_blank';
	}
	if (length(draft.explanation) > explanationMaxLength) errors.explanation = 'too_long';
	if (draft.difficulty === null) errors.difficulty = 'required';
	if (draft.areas.length === 0) errors.areas = 'required';
	if (draft.source && (!draft.source.document.trim() || !draft.source.section.trim())) errors.source = 'required';
	else if (
		draft.source &&
		(length(draft.source.quote) > quoteMaxLength || length(draft.source.document) > 50 || length(draft.source.section) > 100)
	)
		errors.source = 'too_long';
	if (draft.reviewBy !== null && !isIsoDate(draft.reviewBy)) errors.reviewBy = 'invalid_date';
	return errors;
}
