// Hand-written table types. `schema.test.ts` migrates a fresh database and compares its tables and columns
// with `tableColumns` below, so these types and the migrations cannot drift apart.
//
// Conventions: times are integer milliseconds since the epoch (portable to PostgreSQL as bigint);
// booleans are integers 0/1 (SQLite has no boolean type and the same code must run on both).
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { MemberStatus, Role, UnitKind } from '../../types';

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
	/** `account:<login id>` or `address:<ip>`. */
	key: string;
	failures: number;
	last_failure_at: number;
}

export interface Database {
	unit: UnitTable;
	member: MemberTable;
	member_role: MemberRoleTable;
	session: SessionTable;
	sign_in_throttle: SignInThrottleTable;
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
	sign_in_throttle: ['key', 'failures', 'last_failure_at']
};
