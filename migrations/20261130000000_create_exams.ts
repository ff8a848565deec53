import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: do not edit after it has shipped; add a new migration instead.
// Quarterly tests: the test and its blueprint and audience, make-up sessions, attempts with their papers and
// answers, the per-area scores stored at submission (dashboards read these), and regrades.

function isPostgres(db: Kysely<any>) {
	return db.getExecutor().adapter instanceof PostgresAdapter;
}

export async function up(db: Kysely<any>): Promise<void> {
	const pg = isPostgres(db);
	const id = pg ? ('serial' as const) : ('integer' as const);
	const key = (c: any) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());

	await db.schema
		.createTable('exam')
		.addColumn('id', id, key)
		.addColumn('title', 'text', (c) => c.notNull())
		// `2026Q4`: the quarter the test belongs to, for trends.
		.addColumn('quarter', 'text', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('quarterly', 'practice')`))
		.addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'published')`))
		.addColumn('opens_at', 'bigint', (c) => c.notNull())
		.addColumn('closes_at', 'bigint', (c) => c.notNull())
		.addColumn('duration_minutes', 'integer', (c) => c.notNull())
		.addColumn('pass_cents', 'integer', (c) => c.notNull())
		.addColumn('attempts_allowed', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('multiple_policy', 'text', (c) => c.notNull().check(sql`multiple_policy in ('all_or_nothing', 'partial_half')`))
		.addColumn('results_policy', 'text', (c) => c.notNull().check(sql`results_policy in ('immediate', 'after_close', 'never')`))
		// Papers are drawn from this seed and the member: any paper can be rebuilt for an audit.
		.addColumn('seed', 'text', (c) => c.notNull())
		.addColumn('cloned_from', 'integer', (c) => c.references('exam.id'))
		.addColumn('published_at', 'bigint')
		.addColumn('published_by', 'integer', (c) => c.references('member.id'))
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('created_by', 'integer', (c) => c.references('member.id'))
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('exam_quarter_idx').on('exam').column('quarter').execute();

	await db.schema
		.createTable('exam_blueprint_row')
		.addColumn('exam_id', 'integer', (c) => c.notNull().references('exam.id').onDelete('cascade'))
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('area_id', 'integer', (c) => c.notNull().references('content_area.id'))
		.addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('single', 'multiple', 'true_false', 'fill')`))
		.addColumn('difficulty', 'text', (c) => c.notNull().check(sql`difficulty in ('easy', 'medium', 'hard')`))
		.addColumn('count', 'integer', (c) => c.notNull())
		.addColumn('points_cents', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('exam_blueprint_row_pk', ['exam_id', 'position'])
		.execute();

	// Who takes the test: members of the listed units' subtrees (all units when none is listed) having one of the
	// listed roles (any role when none is listed), plus members added by name, minus members excluded by name.
	await db.schema
		.createTable('exam_audience')
		.addColumn('exam_id', 'integer', (c) => c.notNull().references('exam.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('unit', 'role', 'include', 'exclude')`))
		// A unit id, a role name or a member id, by kind.
		.addColumn('ref', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('exam_audience_pk', ['exam_id', 'kind', 'ref'])
		.execute();

	// 补考: named members get one more attempt in a window of their own.
	await db.schema
		.createTable('exam_makeup')
		.addColumn('id', id, key)
		.addColumn('exam_id', 'integer', (c) => c.notNull().references('exam.id').onDelete('cascade'))
		.addColumn('opens_at', 'bigint', (c) => c.notNull())
		.addColumn('closes_at', 'bigint', (c) => c.notNull())
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('created_by', 'integer', (c) => c.references('member.id'))
		.execute();
	await db.schema
		.createTable('exam_makeup_member')
		.addColumn('makeup_id', 'integer', (c) => c.notNull().references('exam_makeup.id').onDelete('cascade'))
		.addColumn('member_id', 'integer', (c) => c.notNull().references('member.id'))
		.addPrimaryKeyConstraint('exam_makeup_member_pk', ['makeup_id', 'member_id'])
		.execute();

	await db.schema
		.createTable('attempt')
		.addColumn('id', id, key)
		.addColumn('exam_id', 'integer', (c) => c.notNull().references('exam.id'))
		.addColumn('member_id', 'integer', (c) => c.notNull().references('member.id'))
		.addColumn('number', 'integer', (c) => c.notNull())
		.addColumn('makeup_id', 'integer', (c) => c.references('exam_makeup.id'))
		// 'online', or 'paper' for a printed paper whose answers are entered by a manager.
		.addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('online', 'paper')`))
		.addColumn('started_at', 'bigint', (c) => c.notNull())
		// Fixed at start by the server: min(start + duration, window close).
		.addColumn('deadline_at', 'bigint', (c) => c.notNull())
		.addColumn('submitted_at', 'bigint')
		.addColumn('submitted_how', 'text', (c) => c.check(sql`submitted_how in ('member', 'deadline', 'entry')`))
		.addColumn('score_cents', 'integer')
		.addColumn('max_cents', 'integer', (c) => c.notNull())
		.addColumn('passed', 'integer')
		.addColumn('paper_algorithm', 'integer', (c) => c.notNull())
		// What else the draw depended on, for an audit: the question ids counted as recently seen (JSON), and a
		// SHA-256 of the pool as it was (ids, versions, types, difficulties, areas).
		.addColumn('recent_questions', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('pool_digest', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('entered_by', 'integer', (c) => c.references('member.id'))
		.addUniqueConstraint('attempt_number_uq', ['exam_id', 'member_id', 'number'])
		.execute();
	await db.schema.createIndex('attempt_member_idx').on('attempt').column('member_id').execute();
	// The sweeper looks for attempts past their deadline that nobody submitted.
	await db.schema.createIndex('attempt_open_idx').on('attempt').columns(['submitted_at', 'deadline_at']).execute();

	await db.schema
		.createTable('attempt_item')
		.addColumn('attempt_id', 'integer', (c) => c.notNull().references('attempt.id').onDelete('cascade'))
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('question_id', 'integer', (c) => c.notNull().references('question.id'))
		// The version drawn: bank edits never change a paper.
		.addColumn('version_id', 'integer', (c) => c.notNull().references('question_version.id'))
		// The version whose key scored the item; a regrade moves it to the corrected version.
		.addColumn('key_version_id', 'integer', (c) => c.notNull().references('question_version.id'))
		// The drawn version's type, copied so that a save can check its answer without a join.
		.addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('single', 'multiple', 'true_false', 'fill')`))
		.addColumn('points_cents', 'integer', (c) => c.notNull())
		// JSON array: optionOrder[k] = original index shown k-th.
		.addColumn('option_order', 'text', (c) => c.notNull())
		// JSON answer with original option indexes (exams/scoring.ts), null when never answered.
		.addColumn('answer', 'text')
		// Server-clock milliseconds of the edit that produced `answer`: an older edit never overwrites a newer one.
		.addColumn('edited_at', 'bigint')
		.addColumn('flagged', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('earned_cents', 'integer')
		.addColumn('outcome', 'text')
		.addPrimaryKeyConstraint('attempt_item_pk', ['attempt_id', 'position'])
		.execute();
	await db.schema.createIndex('attempt_item_question_idx').on('attempt_item').column('question_id').execute();

	await db.schema
		.createTable('attempt_area')
		.addColumn('attempt_id', 'integer', (c) => c.notNull().references('attempt.id').onDelete('cascade'))
		.addColumn('area_id', 'integer', (c) => c.notNull().references('content_area.id'))
		.addColumn('earned_cents', 'integer', (c) => c.notNull())
		.addColumn('possible_cents', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('attempt_area_pk', ['attempt_id', 'area_id'])
		.execute();

	await db.schema
		.createTable('exam_regrade')
		.addColumn('id', id, key)
		.addColumn('exam_id', 'integer', (c) => c.notNull().references('exam.id'))
		.addColumn('question_id', 'integer', (c) => c.notNull().references('question.id'))
		.addColumn('to_version_id', 'integer', (c) => c.notNull().references('question_version.id'))
		.addColumn('attempts_changed', 'integer', (c) => c.notNull())
		.addColumn('delta_cents', 'integer', (c) => c.notNull())
		.addColumn('at', 'bigint', (c) => c.notNull())
		.addColumn('by', 'integer', (c) => c.references('member.id'))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of ['exam_regrade', 'attempt_area', 'attempt_item', 'attempt', 'exam_makeup_member', 'exam_makeup', 'exam_audience', 'exam_blueprint_row', 'exam']) {
		await db.schema.dropTable(table).execute();
	}
}
