import { sql, type Kysely } from 'kysely';

// Frozen: do not edit after it has shipped; add a new migration instead.
// What the dashboards read (src/lib/server/analytics/README.md), kept up to date by exams/attempts.ts
// `gradeAttempt`, the one place a score is ever stored:
// - exam_result: each member's RESULT for a test, their best submitted attempt, with the unit they belonged to when
//   it was first recorded (a branch's history stays the branch's when a member later moves).
// - exam_area_total: per test, unit and content area, the points earned and possible over those results, so the
//   area × quarter heat map of a city (a million attempt_area rows) is a read of a few thousand rows.
// - exam_expected: who was expected to take a test, taken when its window closes (analytics/expected.ts): the
//   audience at that moment (in their unit then) plus anyone with a result (in the unit of their result); later
//   results (make-ups, papers entered late) join it. Members who arrive after the close are not counted as having
//   missed it. `exam.expected_at` says when it was taken; open tests compute it live.
// Existing attempts are filled in here, so an installation that upgrades shows its history at once; the expected
// lists of closed tests are taken by the first sweep after the upgrade.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('exam_result')
		.addColumn('exam_id', 'integer', (c) => c.notNull().references('exam.id'))
		.addColumn('member_id', 'integer', (c) => c.notNull().references('member.id'))
		.addColumn('attempt_id', 'integer', (c) => c.notNull().references('attempt.id'))
		.addColumn('unit_id', 'integer', (c) => c.notNull().references('unit.id'))
		.addColumn('score_cents', 'integer', (c) => c.notNull())
		.addColumn('max_cents', 'integer', (c) => c.notNull())
		.addColumn('passed', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('exam_result_pk', ['exam_id', 'member_id'])
		.execute();
	// Covering for a member's history and the member table's one-row-per-member pivot (analytics/members.ts).
	await db.schema.createIndex('exam_result_member_idx').on('exam_result').columns(['member_id', 'exam_id', 'score_cents', 'max_cents']).execute();
	// Covering for the dashboards' grouped reads (analytics/score-groups.ts): a test's results by unit and score.
	await db.schema.createIndex('exam_result_unit_idx').on('exam_result').columns(['exam_id', 'unit_id', 'score_cents', 'max_cents', 'passed']).execute();

	await db.schema
		.createTable('exam_area_total')
		.addColumn('exam_id', 'integer', (c) => c.notNull().references('exam.id'))
		.addColumn('unit_id', 'integer', (c) => c.notNull().references('unit.id'))
		.addColumn('area_id', 'integer', (c) => c.notNull().references('content_area.id'))
		.addColumn('earned_cents', 'bigint', (c) => c.notNull())
		.addColumn('possible_cents', 'bigint', (c) => c.notNull())
		.addColumn('results', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('exam_area_total_pk', ['exam_id', 'unit_id', 'area_id'])
		.execute();

	await db.schema
		.createTable('exam_expected')
		.addColumn('exam_id', 'integer', (c) => c.notNull().references('exam.id'))
		.addColumn('member_id', 'integer', (c) => c.notNull().references('member.id'))
		.addColumn('unit_id', 'integer', (c) => c.notNull().references('unit.id'))
		.addPrimaryKeyConstraint('exam_expected_pk', ['exam_id', 'member_id'])
		.execute();
	await db.schema.createIndex('exam_expected_unit_idx').on('exam_expected').columns(['exam_id', 'unit_id']).execute();
	await db.schema.createIndex('exam_expected_member_idx').on('exam_expected').column('member_id').execute();
	await db.schema.alterTable('exam').addColumn('expected_at', 'bigint').execute();

	// Best submitted attempt: highest score, then the earlier submission, then the lower id (exams/results.ts).
	await sql`
		insert into exam_result (exam_id, member_id, attempt_id, unit_id, score_cents, max_cents, passed)
		select r.exam_id, r.member_id, r.id, m.unit_id, r.score_cents, r.max_cents, coalesce(r.passed, 0)
		from (
			select a.*, row_number() over (partition by a.exam_id, a.member_id order by a.score_cents desc, a.submitted_at asc, a.id asc) as rank
			from attempt a
			where a.submitted_at is not null and a.score_cents is not null
		) r
		join member m on m.id = r.member_id
		where r.rank = 1
	`.execute(db);
	await sql`
		insert into exam_area_total (exam_id, unit_id, area_id, earned_cents, possible_cents, results)
		select r.exam_id, r.unit_id, aa.area_id, sum(aa.earned_cents), sum(aa.possible_cents), count(*)
		from exam_result r
		join attempt_area aa on aa.attempt_id = r.attempt_id
		group by r.exam_id, r.unit_id, aa.area_id
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('exam').dropColumn('expected_at').execute();
	await db.schema.dropTable('exam_expected').execute();
	await db.schema.dropTable('exam_area_total').execute();
	await db.schema.dropTable('exam_result').execute();
}
