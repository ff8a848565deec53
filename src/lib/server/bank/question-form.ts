import { text } from '../form';
import { checkDraft, type DraftErrors } from './check';
import { blankMarker } from './normalize';
import type { QuestionContent } from './questions';
import type { QuestionFormValues } from '../../types';
import { difficulties, maxOptions, questionTypes, type Difficulty, type QuestionType } from './types';

export type { QuestionFormValues };

export function formValuesFromContent(c: QuestionContent): QuestionFormValues {
	return {
		type: c.type,
		stem: c.stem,
		options: c.type === 'single' || c.type === 'multiple' ? c.options : [],
		correct: c.type === 'single' ? [c.correct] : c.type === 'multiple' ? c.correct : [],
		trueFalse: c.type === 'true_false' ? (c.correct ? 'true' : 'false') : '',
		blanks: c.type === 'fill' ? c.blanks.map((b) => b.join(' / ')).join('\n') : '',
		explanation: c.explanation,
		difficulty: c.difficulty,
		areaIds: c.areaIds,
		sourceDocument: c.source?.document ?? '',
		sourceSection: c.source?.section ?? '',
		sourceQuote: c.source?.quote ?? '',
		reviewBy: c.reviewBy ?? ''
	};
}

export function readQuestionForm(form: FormData): QuestionFormValues {
	const type = text(form, 'type') as QuestionType;
	const difficulty = text(form, 'difficulty') as Difficulty;
	const options = Array.from({ length: maxOptions }, (_, i) => text(form, `option_${i}`, 5000));
	// Trailing empty options are simply unused; a gap in the middle is reported by the check.
	while (options.length > 0 && options[options.length - 1] === '') options.pop();
	return {
		type: questionTypes.includes(type) ? type : 'single',
		// Read past the limits so an over-long paste is reported as too long, not silently cut.
		stem: text(form, 'stem', 20_000),
		options,
		correct: form
			.getAll('correct')
			.map((v) => (typeof v === 'string' && /^[0-7]$/.test(v) ? Number(v) : -1))
			.filter((n) => n >= 0),
		trueFalse: text(form, 'trueFalse') === 'true' ? 'true' : text(form, 'trueFalse') === 'false' ? 'false' : '',
		blanks: text(form, 'blanks', 2000),
		explanation: text(form, 'explanation', 20_000),
		difficulty: difficulties.includes(difficulty) ? difficulty : '',
		areaIds: form
			.getAll('areas')
			.map((v) => (typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : 0))
			.filter((n) => n > 0),
		sourceDocument: text(form, 'sourceDocument', 1000),
		sourceSection: text(form, 'sourceSection', 1000),
		sourceQuote: text(form, 'sourceQuote', 5000),
		reviewBy: text(form, 'reviewBy', 20)
	};
}

/** Form values to stored content, or the problems per field. Unknown area ids are the caller's to check. */
export function contentFromForm(v: QuestionFormValues): { ok: true; content: QuestionContent } | { ok: false; errors: DraftErrors } {
	// Both `____` and the form's blank button insert the marker; any run of 3+ underscores counts as one.
	const stem = v.type === 'fill' ? v.stem.replace(/_{3,}/g, blankMarker) : v.stem;
	const common = {
		stem,
		explanation: v.explanation,
		difficulty: (v.difficulty || null) as Difficulty | null,
		areas: v.areaIds.map(String),
		source: v.sourceDocument || v.sourceSection || v.sourceQuote ? { document: v.sourceDocument, section: v.sourceSection, quote: v.sourceQuote } : null,
		reviewBy: v.reviewBy || null,
		categories: []
	};
	const draft =
		v.type === 'single'
			? { ...common, type: v.type, options: v.options, correct: v.correct.length === 1 ? (v.correct[0] ?? -1) : -1 }
			: v.type === 'multiple'
				? { ...common, type: v.type, options: v.options, correct: v.correct }
				: v.type === 'true_false'
					? { ...common, type: v.type, correct: v.trueFalse === 'true' }
					: {
							...common,
							type: v.type,
							blanks: v.blanks
								.split('\n')
								.map((line) => line.split(/[/／]/).map((a) => a.trim()).filter(Boolean))
								.filter((b) => b.length > 0)
						};
	const errors = checkDraft(draft);
	if (v.type === 'true_false' && !v.trueFalse) errors.answer = 'required';
	if (v.type === 'single' && v.correct.length !== 1) errors.answer = 'required';
	if (Object.keys(errors).length > 0) return { ok: false, errors };
	return { ok: true, content: { ...draft, difficulty: draft.difficulty as Difficulty, areaIds: v.areaIds } };
}
