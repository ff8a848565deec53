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
	question_event: ['id', 'question_id', 'kind', 'detail', 'at', 'by']
};
