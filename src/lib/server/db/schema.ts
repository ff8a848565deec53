// Hand-written table types. `schema.test.ts` migrates a fresh database and compares its tables and columns
// with `tableColumns` below, so these types and the migrations cannot drift apart.
//
// Conventions: times are integer milliseconds since the epoch (portable to PostgreSQL as bigint);
// booleans are integers 0/1 (SQLite has no boolean type and the same code must run on both).
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { MemberStatus, Role, UnitKind } from '../../types';
import type { Difficulty, QuestionStatus, QuestionType } from '../bank/types';

export type { MemberStatus, Role, UnitKind };

export interface UnitTable {
	id: Generated<number>;
	name: string;
	kind: UnitKind;
	parent_id: number | null;
	sort_order: Generated<number>;
	archived_at: number | null;
	created_at: number;
}

export interface MemberTable {
	id: Generated<number>;
	/** 工号 or phone number; what the member types to sign in. */
	login_id: string;
	name: string;
	unit_id: number;
	position_title: Generated<string>;
	/** 1 for leaders who can be evaluated (被测评人). */
	is_leader: Generated<number>;
	status: Generated<MemberStatus>;
	/** argon2id PHC string; null until a password is set. */
	password_hash: string | null;
	/** 1 for accounts created by the committee or by import: a new password is required at sign-in. */
	must_change_password: Generated<number>;
	last_sign_in_at: number | null;
	created_at: number;
	updated_at: number;
}

export interface MemberRoleTable {
	member_id: number;
	role: Role;
}

export interface SessionTable {
	/** Hex SHA-256 of the session token; the token itself is never stored. */
	id: string;
	member_id: number;
	expires_at: number;
	created_at: number;
}

export interface SignInThrottleTable {
	/** `account:<login id>`, `device:<device id>:<login id>`, `address:<ip>` or `password:<member id>`. */
	key: string;
	failures: number;
	last_failure_at: number;
}

export interface SignInDeviceTable {
	/** SHA-256 of the device cookie's token. */
	id: string;
	/** The lower-cased login id that signed in from this browser. */
	login_key: string;
	created_at: number;
}

export interface ContentAreaTable {
	id: Generated<number>;
	/** Stable identifier (DESIGN.md section 3); names may be renamed, codes never. */
	code: string;
	name_zh: string;
	name_en: string;
	/** Where in the documents the area comes from, e.g. `000 二.1; 001 三(一)`. */
	sources: Generated<string>;
	sort_order: Generated<number>;
	/** A retired area keeps its questions and history but is no longer offered for new ones. */
	retired_at: number | null;
	created_at: number;
}

export interface QuestionTable {
	id: Generated<number>;
	status: QuestionStatus;
	current_version_id: number | null;
	created_at: number;
	created_by: number | null;
	updated_at: number;
}

export interface QuestionVersionTable {
	id: Generated<number>;
	question_id: number;
	version: number;
	type: QuestionType;
	/** JSON array of option texts ([] for true/false and fill in the blank). */
	options: string;
	/** JSON: the key without options, see bank/versions.ts. */
	answer: string;
	stem: string;
	explanation: Generated<string>;
	difficulty: Difficulty;
	source_document: Generated<string>;
	source_section: Generated<string>;
	source_quote: Generated<string>;
	review_by: string | null;
	search_text: string;
	fingerprint: string;
	created_at: number;
	created_by: number | null;
}

export interface QuestionVersionAreaTable {
	version_id: number;
	area_id: number;
}

export interface QuestionEventTable {
	id: Generated<number>;
	question_id: number;
	/** `status`: detail is the new status. */
	kind: string;
	detail: Generated<string>;
	at: number;
	by: number | null;
}

export type ExamKind = 'quarterly' | 'practice';
export type ExamStatus = 'draft' | 'published';
export type ResultsPolicy = 'immediate' | 'after_close' | 'never';
export type AudienceKind = 'unit' | 'role' | 'include' | 'exclude';
export type AttemptMode = 'online' | 'paper';
export type SubmittedHow = 'member' | 'deadline' | 'entry';

export interface ExamTable {
	id: Generated<number>;
	title: string;
	/** `2026Q4` */
	quarter: string;
	kind: ExamKind;
	status: ExamStatus;
	opens_at: number;
	closes_at: number;
	duration_minutes: number;
	pass_cents: number;
	attempts_allowed: Generated<number>;
	multiple_policy: 'all_or_nothing' | 'partial_half';
	results_policy: ResultsPolicy;
	seed: string;
	cloned_from: number | null;
	published_at: number | null;
	published_by: number | null;
	created_at: number;
	created_by: number | null;
	updated_at: number;
	/** When the expected list (exam_expected) was taken, at the close; null before. */
	expected_at: Generated<number | null>;
}

export interface ExamBlueprintRowTable {
	exam_id: number;
	position: number;
	area_id: number;
	type: QuestionType;
	difficulty: Difficulty;
	count: number;
	points_cents: number;
}

export interface ExamAudienceTable {
	exam_id: number;
	kind: AudienceKind;
	/** unit id, role or member id, by kind */
	ref: string;
}

export interface ExamMakeupTable {
	id: Generated<number>;
	exam_id: number;
	opens_at: number;
	closes_at: number;
	created_at: number;
	created_by: number | null;
}

export interface ExamMakeupMemberTable {
	makeup_id: number;
	member_id: number;
}

export interface AttemptTable {
	id: Generated<number>;
	exam_id: number;
	member_id: number;
	number: number;
	makeup_id: number | null;
	mode: AttemptMode;
	started_at: number;
	deadline_at: number;
	submitted_at: number | null;
	submitted_how: SubmittedHow | null;
	score_cents: number | null;
	max_cents: number;
	passed: number | null;
	paper_algorithm: number;
	recent_questions: Generated<string>;
	pool_digest: Generated<string>;
	entered_by: number | null;
}

export interface AttemptItemTable {
	attempt_id: number;
	position: number;
	question_id: number;
	version_id: number;
	key_version_id: number;
	type: QuestionType;
	points_cents: number;
	option_order: string;
	answer: string | null;
	edited_at: number | null;
	flagged: Generated<number>;
	earned_cents: number | null;
	outcome: string | null;
}

export interface AttemptAreaTable {
	attempt_id: number;
	area_id: number;
	earned_cents: number;
	possible_cents: number;
}

/** A member's result for a test (their best submitted attempt), kept by gradeAttempt for the dashboards. */
export interface ExamResultTable {
	exam_id: number;
	member_id: number;
	attempt_id: number;
	/** The member's unit when the result was first recorded: a branch's history stays the branch's. */
	unit_id: number;
	score_cents: number;
	max_cents: number;
	passed: number;
}

/** Who was expected to take a test, taken at its close (analytics/expected.ts). */
export interface ExamExpectedTable {
	exam_id: number;
	member_id: number;
	unit_id: number;
}

/** Points earned and possible per test, unit and content area over the results (exam_result), for mastery. */
export interface ExamAreaTotalTable {
	exam_id: number;
	unit_id: number;
	area_id: number;
	earned_cents: number;
	possible_cents: number;
	results: number;
}

export interface ExamRegradeTable {
	id: Generated<number>;
	exam_id: number;
	question_id: number;
	to_version_id: number;
	attempts_changed: number;
	delta_cents: number;
	at: number;
	by: number | null;
}

export type EvaluationKind = 'study_review' | 'member_review' | 'custom';
export type EvaluationStatus = 'draft' | 'trial' | 'live';

/** 民主测评 / 述学评学 campaign. The anonymity model is in src/lib/server/evaluations/README.md. */
export interface EvaluationTable {
	id: Generated<number>;
	title: string;
	year: number;
	kind: EvaluationKind;
	status: EvaluationStatus;
	opens_at: number;
	closes_at: number;
	threshold: Generated<number>;
	comments_enabled: Generated<number>;
	weighted: Generated<number>;
	results_released_at: number | null;
	created_by: number | null;
	created_at: number;
	updated_at: number;
}

export interface EvaluationTargetTable {
	id: Generated<number>;
	evaluation_id: number;
	member_id: number;
	position: number;
	report_text: Generated<string>;
}

export interface EvaluationReportFileTable {
	target_id: number;
	file_name: string;
	content: Uint8Array;
	uploaded_at: number;
}

export interface EvaluationCriterionTable {
	id: Generated<number>;
	evaluation_id: number;
	position: number;
	name: string;
	/** JSON `[{ label, score }]`, best level first. */
	levels: string;
	is_overall: Generated<number>;
}

export interface EvaluationGroupTable {
	id: Generated<number>;
	evaluation_id: number;
	position: number;
	name: string;
	weight_pct: number | null;
	members_rate: Generated<number>;
	/** JSON list of unit ids (with their subtrees); empty: any unit. */
	unit_ids: Generated<string>;
	/** JSON list of roles; empty: any role. */
	roles: Generated<string>;
}

export interface EvaluationEligibleTable {
	evaluation_id: number;
	member_id: number;
	group_id: number;
}

export interface EvaluationParticipationTable {
	evaluation_id: number;
	member_id: number;
}

export interface EvaluationCodeTable {
	code_hash: string;
	evaluation_id: number;
	group_id: number;
	batch: number;
	used: Generated<number>;
	voided: Generated<number>;
}

export interface EvaluationBallotTable {
	/** Random, so that neither the key nor the storage order follows the order of casting. */
	id: string;
	evaluation_id: number;
	group_id: number;
	/** JSON `{ ratings: { [targetId]: { [criterionId]: levelIndex } }, comments: { [targetId]: text } }`. */
	content: string;
}

export interface EvaluationReceiptTable {
	evaluation_id: number;
	code: string;
}

export interface Database {
	unit: UnitTable;
	member: MemberTable;
	member_role: MemberRoleTable;
	session: SessionTable;
	sign_in_throttle: SignInThrottleTable;
	sign_in_device: SignInDeviceTable;
	content_area: ContentAreaTable;
	question: QuestionTable;
	question_version: QuestionVersionTable;
	question_version_area: QuestionVersionAreaTable;
	question_event: QuestionEventTable;
	exam: ExamTable;
	exam_blueprint_row: ExamBlueprintRowTable;
	exam_audience: ExamAudienceTable;
	exam_makeup: ExamMakeupTable;
	exam_makeup_member: ExamMakeupMemberTable;
	attempt: AttemptTable;
	attempt_item: AttemptItemTable;
	attempt_area: AttemptAreaTable;
	exam_regrade: ExamRegradeTable;
	exam_result: ExamResultTable;
	exam_area_total: ExamAreaTotalTable;
	exam_expected: ExamExpectedTable;
	evaluation: EvaluationTable;
	evaluation_target: EvaluationTargetTable;
	evaluation_report_file: EvaluationReportFileTable;
	evaluation_criterion: EvaluationCriterionTable;
	evaluation_group: EvaluationGroupTable;
	evaluation_eligible: EvaluationEligibleTable;
	evaluation_participation: EvaluationParticipationTable;
	evaluation_code: EvaluationCodeTable;
	evaluation_ballot: EvaluationBallotTable;
	evaluation_receipt: EvaluationReceiptTable;
}

export type Unit = Selectable<UnitTable>;
export type NewUnit = Insertable<UnitTable>;
export type UnitUpdate = Updateable<UnitTable>;
export type Member = Selectable<MemberTable>;
export type NewMember = Insertable<MemberTable>;
export type MemberUpdate = Updateable<MemberTable>;
export type Session = Selectable<SessionTable>;

/** Every column of every table, as the types above declare them; checked against the migrated database. */
export const tableColumns: { [T in keyof Database]: (keyof Database[T])[] } = {
	unit: ['id', 'name', 'kind', 'parent_id', 'sort_order', 'archived_at', 'created_at'],
	member: [
		'id',
		'login_id',
		'name',
		'unit_id',
		'position_title',
		'is_leader',
		'status',
		'password_hash',
		'must_change_password',
		'last_sign_in_at',
		'created_at',
		'updated_at'
	],
	member_role: ['member_id', 'role'],
	session: ['id', 'member_id', 'expires_at', 'created_at'],
	sign_in_throttle: ['key', 'failures', 'last_failure_at'],
	sign_in_device: ['id', 'login_key', 'created_at'],
	content_area: ['id', 'code', 'name_zh', 'name_en', 'sources', 'sort_order', 'retired_at', 'created_at'],
	question: ['id', 'status', 'current_version_id', 'created_at', 'created_by', 'updated_at'],
	question_version: [
		'id',
		'question_id',
		'version',
		'type',
		'options',
		'answer',
		'stem',
		'explanation',
		'difficulty',
		'source_document',
		'source_section',
		'source_quote',
		'review_by',
		'search_text',
		'fingerprint',
		'created_at',
		'created_by'
	],
	question_version_area: ['version_id', 'area_id'],
	question_event: ['id', 'question_id', 'kind', 'detail', 'at', 'by'],
	exam: [
		'id',
		'title',
		'quarter',
		'kind',
		'status',
		'opens_at',
		'closes_at',
		'duration_minutes',
		'pass_cents',
		'attempts_allowed',
		'multiple_policy',
		'results_policy',
		'seed',
		'cloned_from',
		'published_at',
		'published_by',
		'created_at',
		'created_by',
		'updated_at',
		'expected_at'
	],
	exam_blueprint_row: ['exam_id', 'position', 'area_id', 'type', 'difficulty', 'count', 'points_cents'],
	exam_audience: ['exam_id', 'kind', 'ref'],
	exam_makeup: ['id', 'exam_id', 'opens_at', 'closes_at', 'created_at', 'created_by'],
	exam_makeup_member: ['makeup_id', 'member_id'],
	attempt: [
		'id',
		'exam_id',
		'member_id',
		'number',
		'makeup_id',
		'mode',
		'started_at',
		'deadline_at',
		'submitted_at',
		'submitted_how',
		'score_cents',
		'max_cents',
		'passed',
		'paper_algorithm',
		'recent_questions',
		'pool_digest',
		'entered_by'
	],
	attempt_item: [
		'attempt_id',
		'position',
		'question_id',
		'version_id',
		'key_version_id',
		'type',
		'points_cents',
		'option_order',
		'answer',
		'edited_at',
		'flagged',
		'earned_cents',
		'outcome'
	],
	attempt_area: ['attempt_id', 'area_id', 'earned_cents', 'possible_cents'],
	exam_regrade: ['id', 'exam_id', 'question_id', 'to_version_id', 'attempts_changed', 'delta_cents', 'at', 'by'],
	exam_result: ['exam_id', 'member_id', 'attempt_id', 'unit_id', 'score_cents', 'max_cents', 'passed'],
	exam_area_total: ['exam_id', 'unit_id', 'area_id', 'earned_cents', 'possible_cents', 'results'],
	exam_expected: ['exam_id', 'member_id', 'unit_id'],
	evaluation: [
		'id',
		'title',
		'year',
		'kind',
		'status',
		'opens_at',
		'closes_at',
		'threshold',
		'comments_enabled',
		'weighted',
		'results_released_at',
		'created_by',
		'created_at',
		'updated_at'
	],
	evaluation_target: ['id', 'evaluation_id', 'member_id', 'position', 'report_text'],
	evaluation_report_file: ['target_id', 'file_name', 'content', 'uploaded_at'],
	evaluation_criterion: ['id', 'evaluation_id', 'position', 'name', 'levels', 'is_overall'],
	evaluation_group: ['id', 'evaluation_id', 'position', 'name', 'weight_pct', 'members_rate', 'unit_ids', 'roles'],
	evaluation_eligible: ['evaluation_id', 'member_id', 'group_id'],
	evaluation_participation: ['evaluation_id', 'member_id'],
	evaluation_code: ['code_hash', 'evaluation_id', 'group_id', 'batch', 'used', 'voided'],
	evaluation_ballot: ['id', 'evaluation_id', 'group_id', 'content'],
	evaluation_receipt: ['evaluation_id', 'code']
};
export type Evaluation = Selectable<EvaluationTable>;
export type Exam = Selectable<ExamTable>;
export type Attempt = Selectable<AttemptTable>;
export type AttemptItem = Selectable<AttemptItemTable>;
