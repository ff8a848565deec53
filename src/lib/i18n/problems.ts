import { m } from '$lib/paraglide/messages';

// Problem codes from the server, in the reader's language. Server modules return codes, never sentences, so
// the same check speaks Chinese or English depending on who is reading.

export function passwordProblemText(problem: string, waitSeconds?: number): string {
	switch (problem) {
		case 'required':
			return m.problem_required();
		case 'mismatch':
			return m.password_mismatch();
		case 'too_short':
			return m.password_too_short({ min: '8' });
		case 'too_long':
			return m.password_too_long({ max: '128' });
		case 'same_as_login':
			return m.password_same_as_login();
		case 'too_common':
			return m.password_too_common();
		case 'wrong_current':
			return m.password_wrong_current();
		case 'same_as_current':
			return m.password_same_as_current();
		case 'throttled':
			return m.login_throttled({ seconds: String(waitSeconds ?? 1) });
		default:
			return m.error_generic();
	}
}

export function memberProblemText(problem: string): string {
	switch (problem) {
		case 'required':
			return m.problem_required();
		case 'too_long':
			return m.problem_too_long();
		case 'invalid_login_id':
			return m.problem_invalid_login_id();
		case 'login_id_taken':
			return m.problem_login_id_taken();
		case 'unit_not_found':
			return m.problem_unit_not_found();
		case 'unit_outside_scope':
			return m.problem_unit_outside_scope();
		case 'roles_not_allowed':
			return m.problem_roles_not_allowed();
		case 'cannot_disable_self':
			return m.member_cannot_disable_self();
		default:
			return m.error_generic();
	}
}

export function unitProblemText(problem: string): string {
	switch (problem) {
		case 'name_required':
			return m.problem_required();
		case 'name_too_long':
			return m.problem_too_long();
		case 'name_taken':
			return m.unit_problem_name_taken();
		case 'parent_not_found':
			return m.unit_problem_parent_not_found();
		case 'kind_not_allowed_here':
			return m.unit_problem_kind_not_allowed();
		case 'move_into_own_subtree':
			return m.unit_problem_own_subtree();
		case 'root_cannot_move':
			return m.unit_problem_root();
		case 'has_active_members':
			return m.unit_problem_has_members();
		case 'has_active_children':
			return m.unit_problem_has_children();
		case 'parent_archived':
			return m.unit_problem_parent_archived();
		case 'not_found':
			return m.unit_problem_not_found();
		default:
			return m.error_generic();
	}
}

const columnLabel: Record<string, () => string> = {
	loginId: () => m.member_login_id(),
	name: () => m.member_name(),
	unit: () => m.member_unit(),
	roles: () => m.member_roles(),
	positionTitle: () => m.member_position(),
	isLeader: () => m.member_is_leader(),
	status: () => m.member_status()
};

export function importColumnText(column: string | null): string {
	return column ? (columnLabel[column]?.() ?? column) : '';
}

/** One problem of an import file as a sentence that names what is wrong; row and column are shown beside it. */
export function importProblemText(p: { code: string; value?: string; otherRow?: number; column: string | null }): string {
	const value = p.value ?? '';
	switch (p.code) {
		case 'file_unreadable':
			return m.import_file_unreadable();
		case 'file_type':
			return m.import_file_type();
		case 'file_too_large':
			return m.import_file_too_large({ max: '1 MB' });
		case 'no_rows':
			return m.import_no_rows();
		case 'too_many_rows':
			return m.import_too_many_rows({ max: '5000' });
		case 'missing_column':
			return m.import_missing_column({ column: importColumnText(p.column) });
		case 'required':
			return m.problem_required();
		case 'too_long':
			return m.import_too_long({ value });
		case 'invalid_login_id':
			return m.import_invalid_login_id({ value });
		case 'invalid_role':
			return m.import_invalid_role({ value });
		case 'invalid_yes_no':
			return m.import_invalid_yes_no({ value });
		case 'invalid_status':
			return m.import_invalid_status({ value });
		case 'duplicate_in_file':
			return m.import_duplicate_in_file({ value, row: String(p.otherRow ?? '') });
		case 'unit_not_found':
			return m.import_unit_not_found({ value });
		case 'unit_ambiguous':
			return m.import_unit_ambiguous({ value });
		case 'unit_outside_scope':
			return m.import_unit_outside_scope({ value });
		case 'member_outside_scope':
			return m.import_member_outside_scope({ value });
		case 'cannot_disable_self':
			return m.member_cannot_disable_self();
		case 'cannot_drop_own_committee':
			return m.member_cannot_drop_own_committee();
		case 'roles_not_allowed':
			return m.problem_roles_not_allowed();
		default:
			return m.error_generic();
	}
}

/** A question form or import row problem (bank/check.ts codes, with or without the import's `draft_` prefix). */
export function draftProblemText(problem: string): string {
	switch (problem.replace(/^draft_/, '')) {
		case 'required':
			return m.problem_required();
		case 'too_long':
			return m.problem_too_long();
		case 'too_few_options':
			return m.bank_too_few_options();
		case 'too_many_options':
			return m.bank_too_many_options();
		case 'empty_option':
			return m.bank_empty_option();
		case 'answer_not_an_option':
			return m.bank_answer_not_an_option();
		case 'answer_needs_two':
			return m.bank_answer_needs_two();
		case 'blank_count_mismatch':
			return m.bank_blank_count_mismatch();
		case 'no_blanks':
			return m.bank_no_blanks();
		case 'empty_blank':
			return m.bank_empty_blank();
		case 'separator_in_blank':
			return m.bank_separator_in_blank();
		case 'invalid_date':
			return m.bank_invalid_date();
		default:
			return m.error_generic();
	}
}

/** A problem of a question file or of its check against the bank. */
export function bankImportProblemText(p: { code: string; value?: string; column?: string }): string {
	const value = p.value ?? '';
	if (p.code.startsWith('draft_')) return draftProblemText(p.code);
	switch (p.code) {
		case 'file_unreadable':
			return m.bank_file_unreadable();
		case 'file_too_large':
			return m.bank_file_too_large();
		case 'file_empty':
			return m.bank_file_empty();
		case 'missing_column':
			return m.bank_missing_column({ value: value || p.column || '' });
		case 'required':
			return m.problem_required();
		case 'too_long':
			return m.problem_too_long();
		case 'invalid_type':
			return m.bank_invalid_type({ value });
		case 'too_few_options':
			return m.bank_too_few_options();
		case 'too_many_options':
			return m.bank_too_many_options();
		case 'gap_in_options':
			return m.bank_gap_in_options();
		case 'missing_answer':
			return m.bank_missing_answer();
		case 'answer_not_an_option':
			return m.bank_answer_not_an_option_value({ value });
		case 'answer_needs_one':
			return m.bank_answer_needs_one({ value });
		case 'answer_needs_two':
			return m.bank_answer_needs_two();
		case 'invalid_true_false':
			return m.bank_invalid_true_false({ value });
		case 'blank_count_mismatch':
			return m.bank_blank_count_mismatch();
		case 'no_blanks':
			return m.bank_no_blanks();
		case 'invalid_difficulty':
			return m.bank_invalid_difficulty({ value });
		case 'invalid_date':
			return m.bank_invalid_date();
		case 'invalid_source':
			return m.bank_invalid_source();
		case 'syntax':
			return m.bank_syntax({ value });
		case 'unknown_area':
			return m.bank_unknown_area({ value });
		case 'area_retired':
			return m.bank_area_retired({ value });
		case 'no_area':
			return m.bank_no_area();
		default:
			return m.error_generic();
	}
}

export function skippedText(s: { code: string; value?: string }): string {
	return s.code === 'embedded_file' ? m.bank_skipped_embedded() : m.bank_skipped_unsupported({ value: s.value ?? '' });
}

const bankColumns: Record<string, () => string> = {
	type: () => m.question_type(),
	stem: () => m.question_stem(),
	options: () => m.question_options(),
	answer: () => m.question_answer(),
	explanation: () => m.question_explanation(),
	difficulty: () => m.question_difficulty(),
	areas: () => m.question_areas(),
	source: () => m.question_source(),
	reviewBy: () => m.question_review_by(),
	题型: () => m.question_type(),
	题干: () => m.question_stem(),
	答案: () => m.question_answer(),
	解析: () => m.question_explanation(),
	难度: () => m.question_difficulty(),
	学习内容领域: () => m.question_areas(),
	出处: () => m.question_source(),
	原文摘录: () => m.question_source_quote(),
	复核日期: () => m.question_review_by()
};

/** The column or field a question-file problem names, in the reader's language (选项A… stay as written). */
export function bankColumnText(column: string | undefined): string {
	if (!column) return '';
	return bankColumns[column]?.() ?? column;
}
