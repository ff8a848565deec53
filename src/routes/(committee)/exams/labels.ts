import { m } from '$lib/paraglide/messages';
import { formatDateTime } from '$lib/dates';
import { centsToPoints } from '$lib/points';

// Words and formats for the committee's test pages: the server sends codes and numbers, these say them in the
// reader's language.

export type ExamKind = 'quarterly' | 'practice';
export type ResultsPolicy = 'immediate' | 'after_close' | 'never';
export type MultiplePolicy = 'all_or_nothing' | 'partial_half';

/** `2026Q4` → 2026年第四季度 / 2026 Q4: one wording for every page. */
export { quarterLabel } from '$lib/exams/format';

export const kindLabel: Record<ExamKind, () => string> = {
	quarterly: () => m.setup_kind_quarterly(),
	practice: () => m.setup_kind_practice()
};

export const resultsPolicyLabel: Record<ResultsPolicy, () => string> = {
	immediate: () => m.setup_results_immediate(),
	after_close: () => m.setup_results_after_close(),
	never: () => m.setup_results_never()
};

export const multiplePolicyLabel: Record<MultiplePolicy, () => string> = {
	all_or_nothing: () => m.setup_multiple_all_or_nothing(),
	partial_half: () => m.setup_multiple_partial_half()
};

/** A list in the reader's language: 甲、乙、丙 / A, B, C. */
export const listOf = (items: string[]) => items.join(m.list_separator());

/** 王建国（1101） / Wang Jianguo (1101). */
export const memberName = (x: { name: string; loginId: string }) => m.setup_member_named({ name: x.name, loginId: x.loginId });

/** Cents as points for reading: 6000 → 60. */
export const points = (cents: number) => centsToPoints(cents);

/** An instant in the organization's time zone (not the browser's), to the minute. */
export const when = (at: number, timeZone: string, locale: string) => formatDateTime(at, timeZone, locale);

export function windowText(opensAt: number, closesAt: number, timeZone: string, locale: string): string {
	return m.setup_window_range({ from: when(opensAt, timeZone, locale), to: when(closesAt, timeZone, locale) });
}

export type ExamState = 'draft' | 'upcoming' | 'open' | 'closed';

export function examState(exam: { status: string; opensAt: number; closesAt: number }, now: number): ExamState {
	if (exam.status !== 'published') return 'draft';
	if (now < exam.opensAt) return 'upcoming';
	return now < exam.closesAt ? 'open' : 'closed';
}

export const stateLabel: Record<ExamState, () => string> = {
	draft: () => m.setup_state_draft(),
	upcoming: () => m.setup_state_upcoming(),
	open: () => m.setup_state_open(),
	closed: () => m.setup_state_closed()
};

/** The longest test title, as titleMaxLength in the server's exams.ts refuses it (the e2e test holds the two together). */
export const titleMaxLength = 100;

/** A settings field's problem, e.g. `durationMinutes` + `too_large`. */
export function settingsProblemText(field: string, problem: string): string {
	switch (problem) {
		case 'required':
			return m.problem_required();
		case 'too_long':
			return m.setup_problem_title_too_long({ max: String(titleMaxLength) });
		case 'window_order':
			return m.setup_problem_window_order();
		case 'too_small':
			return field === 'durationMinutes' ? m.setup_problem_duration_range({ max: '600' }) : m.setup_problem_attempts_range({ max: '10' });
		case 'too_large':
			return field === 'durationMinutes' ? m.setup_problem_duration_range({ max: '600' }) : m.setup_problem_attempts_range({ max: '10' });
		case 'locked':
			return m.setup_problem_locked_settings();
		default:
			switch (field) {
				case 'quarter':
					return m.setup_problem_quarter();
				case 'opensAt':
				case 'closesAt':
					return m.setup_problem_datetime();
				case 'durationMinutes':
					return m.setup_problem_duration_range({ max: '600' });
				case 'passCents':
					return m.setup_problem_points();
				case 'attemptsAllowed':
					return m.setup_problem_attempts_range({ max: '10' });
				default:
					return m.setup_problem_choose();
			}
	}
}

/** A blueprint row's problem, with the row number as shown. */
export function blueprintProblemText(row: number, problem: string): string {
	const n = String(row);
	switch (problem) {
		case 'area':
			return m.setup_bp_problem_area({ row: n });
		case 'type':
		case 'difficulty':
			return m.setup_bp_problem_choose({ row: n });
		case 'count':
			return m.setup_bp_problem_count({ row: n, max: '300' });
		case 'points':
			return m.setup_bp_problem_points({ row: n });
		case 'too_many_rows':
			return m.setup_bp_problem_too_many_rows({ max: '100' });
		default:
			return m.setup_bp_problem_too_many_questions({ max: '300' });
	}
}
