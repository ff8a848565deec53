import { m } from '$lib/paraglide/messages';
import type { CampaignPhase } from '$lib/server/evaluations/campaigns';
import type { EvaluationKind } from '$lib/server/db/schema';

// Words for the committee's campaign pages: the server sends codes and numbers, these say them in the reader's
// language. No message is looked up by a computed name.

export { when, windowText } from '../exams/labels';

export const kindLabel: Record<EvaluationKind, () => string> = {
	study_review: () => m.evalSetup_kind_study_review(),
	member_review: () => m.evalSetup_kind_member_review(),
	custom: () => m.evalSetup_kind_custom()
};

export const phaseLabel: Record<CampaignPhase, () => string> = {
	draft: () => m.evalSetup_phase_draft(),
	trial: () => m.evalSetup_phase_trial(),
	scheduled: () => m.evalSetup_phase_scheduled(),
	live: () => m.evalSetup_phase_live(),
	closed: () => m.evalSetup_phase_closed()
};

export function settingsProblemText(field: string, problem: string): string {
	switch (problem) {
		case 'required':
			return m.problem_required();
		case 'too_long':
			return m.evalSetup_problem_title_too_long({ max: '100' });
		case 'window_order':
			return m.evalSetup_problem_window_order();
		case 'locked':
			return field === 'closesAt' ? m.evalSetup_problem_closes_locked() : m.evalSetup_problem_setting_locked();
		case 'too_small':
		case 'too_large':
			return m.evalSetup_problem_threshold({ min: '3', max: '1000' });
		default:
			switch (field) {
				case 'year':
					return m.evalSetup_problem_year();
				case 'opensAt':
				case 'closesAt':
					return m.evalSetup_problem_datetime();
				case 'threshold':
					return m.evalSetup_problem_threshold({ min: '3', max: '1000' });
				default:
					return m.evalSetup_problem_choose();
			}
	}
}

export function criterionProblemText(row: number, problem: string): string {
	const n = String(row);
	switch (problem) {
		case 'name_required':
			return m.evalSetup_crit_problem_name_required({ row: n });
		case 'name_too_long':
			return m.evalSetup_crit_problem_name_too_long({ row: n, max: '50' });
		case 'name_duplicate':
			return m.evalSetup_crit_problem_name_duplicate({ row: n });
		case 'levels_count':
			return m.evalSetup_crit_problem_levels_count({ row: n, max: '7' });
		case 'level_label':
			return m.evalSetup_crit_problem_level_label({ row: n, max: '10' });
		case 'levels_duplicate':
			return m.evalSetup_crit_problem_levels_duplicate({ row: n });
		case 'levels_order':
			return m.evalSetup_crit_problem_levels_order({ row: n });
		case 'none':
			return m.evalSetup_crit_problem_none();
		case 'too_many':
			return m.evalSetup_crit_problem_too_many({ max: '30' });
		case 'overall_many':
			return m.evalSetup_crit_problem_overall_many();
		default:
			return m.evalSetup_crit_problem_levels_format({ row: n });
	}
}

export function groupProblemText(row: number, problem: string, weightSum: number): string {
	const n = String(row);
	switch (problem) {
		case 'name_required':
			return m.evalSetup_group_problem_name_required({ row: n });
		case 'name_too_long':
			return m.evalSetup_group_problem_name_too_long({ row: n, max: '30' });
		case 'name_duplicate':
			return m.evalSetup_group_problem_name_duplicate({ row: n });
		case 'weight_invalid':
			return m.evalSetup_group_problem_weight_invalid({ row: n });
		case 'weight_missing':
			return m.evalSetup_group_problem_weight_missing({ row: n });
		case 'none':
			return m.evalSetup_group_problem_none();
		case 'too_many':
			return m.evalSetup_group_problem_too_many({ max: '20' });
		default:
			return m.evalSetup_group_problem_weights_sum({ sum: String(weightSum) });
	}
}

export function runProblemText(problem: string): string {
	switch (problem) {
		case 'no_targets':
			return m.evalSetup_run_problem_no_targets();
		case 'no_criteria':
			return m.evalSetup_run_problem_no_criteria();
		case 'no_groups':
			return m.evalSetup_run_problem_no_groups();
		case 'window_over':
			return m.evalSetup_run_problem_window_over();
		case 'not_open':
			return m.evalSetup_run_problem_not_open();
		case 'locked':
			return m.evalSetup_locked();
		default:
			return m.evalSetup_run_problem_status();
	}
}
