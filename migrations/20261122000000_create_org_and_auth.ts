import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: do not edit after it has shipped; add a new migration instead.

/** An auto-incrementing integer primary key on SQLite and on PostgreSQL. */
function idType(db: Kysely<any>) {
	return db.getExecutor().adapter instanceof PostgresAdapter ? ('serial' as const) : ('integer' as const);
}
function isSqlite(db: Kysely<any>) {
	return !(db.getExecutor().adapter instanceof PostgresAdapter);
}

export async function up(db: Kysely<any>): Promise<void> {
	const id = idType(db);
	const autoIncrement = isSqlite(db);

	await db.schema
		.createTable('unit')
		.addColumn('id', id, (c) => (autoIncrement ? c.primaryKey().autoIncrement() : c.primaryKey()))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('committee', 'general_branch', 'branch')`))
		.addColumn('parent_id', 'integer', (c) => c.references('unit.id'))
		.addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('archived_at', 'bigint')
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('unit_parent_idx').on('unit').column('parent_id').execute();

	await db.schema
		.createTable('member')
		.addColumn('id', id, (c) => (autoIncrement ? c.primaryKey().autoIncrement() : c.primaryKey()))
		.addColumn('login_id', 'text', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('unit_id', 'integer', (c) => c.notNull().references('unit.id'))
		.addColumn('position_title', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('is_leader', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active', 'disabled')`))
		.addColumn('password_hash', 'text')
		.addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('last_sign_in_at', 'bigint')
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('member_unit_idx').on('member').column('unit_id').execute();
	// Unique whatever the letter case: T001 and t001 are one person. lower() is the same on both databases
	// for the ASCII characters login ids are made of.
	await db.schema.createIndex('member_login_id_uq').on('member').unique().expression(sql`lower(login_id)`).execute();

	await db.schema
		.createTable('member_role')
		.addColumn('member_id', 'integer', (c) => c.notNull().references('member.id').onDelete('cascade'))
		.addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('member', 'secretary', 'committee')`))
		.addPrimaryKeyConstraint('member_role_pk', ['member_id', 'role'])
		.execute();

	await db.schema
		.createTable('session')
		.addColumn('id', 'text', (c) => c.primaryKey().notNull())
		.addColumn('member_id', 'integer', (c) => c.notNull().references('member.id').onDelete('cascade'))
		.addColumn('expires_at', 'bigint', (c) => c.notNull())
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('session_member_idx').on('session').column('member_id').execute();

	await db.schema
		.createTable('sign_in_throttle')
		.addColumn('key', 'text', (c) => c.primaryKey().notNull())
		.addColumn('failures', 'integer', (c) => c.notNull())
		.addColumn('last_failure_at', 'bigint', (c) => c.notNull())
		.execute();

	// Browsers a member has signed in from (OWASP's device cookies): failures elsewhere do not slow them down.
	await db.schema
		.createTable('sign_in_device')
		.addColumn('id', 'text', (c) => c.notNull())
		.addColumn('login_key', 'text', (c) => c.notNull())
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		// A shared phone may be known for several accounts.
		.addPrimaryKeyConstraint('sign_in_device_pk', ['id', 'login_key'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('sign_in_device').execute();
	await db.schema.dropTable('sign_in_throttle').execute();
	await db.schema.dropTable('session').execute();
	await db.schema.dropTable('member_role').execute();
	await db.schema.dropTable('member').execute();
	await db.schema.dropTable('unit').execute();
}
