// Domain words shared by server and pages (DESIGN.md section 2). Types only: safe for components to import.
export type UnitKind = 'committee' | 'general_branch' | 'branch';
export type Role = 'member' | 'secretary' | 'committee';
export type MemberStatus = 'active' | 'disabled';
export type QuestionType = 'single' | 'multiple' | 'true_false' | 'fill';
export type Difficulty = 'easy' | 'medium' | 'hard';
export type QuestionStatus = 'draft' | 'active' | 'retired';

/** The question form's fields, as typed: what the page shows again when something is wrong. */
export type QuestionFormValues = {
	type: QuestionType;
	stem: string;
	options: string[];
	correct: number[];
	trueFalse: 'true' | 'false' | '';
	blanks: string;
	explanation: string;
	difficulty: Difficulty | '';
	areaIds: number[];
	sourceDocument: string;
	sourceSection: string;
	sourceQuote: string;
	reviewBy: string;
};
