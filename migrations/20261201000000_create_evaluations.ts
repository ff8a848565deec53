import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: do not edit after it has shipped; add a new migration instead.
// Anonymous evaluation campaigns (民主测评, 述学评学): targets with their learning reports, criteria with their
// rating scales, rater groups, who may rate, one-time ballot codes, and the ballots themselves.
//
// The anonymity model (src/lib/server/evaluations/README.md): participation (who has rated) and ballots (what was
// rated) share nothing but the campaign and the rater group. A ballot row has no member, session, address or
// time, its key is random, and on SQLite the ballot, receipt, code and participation tables are WITHOUT ROWID,
// so rows are stored in the order of their keys (random, or member ids), not in the order they were written.

function isPostgres(db: Kysely<any>) {
	return db.getExecutor().adapter instanceof PostgresAdapter;
}

export async function up(db: Kysely<any>): Promise<void> {
	const pg = isPostgres(db);
	const id = pg ? ('serial' as const) : ('integer' as const);
	const key = (c: any) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());
	// Storage by key instead of by insertion (SQLite). PostgreSQL stores heap rows as they come; see the README.
	const keyOrder = sql`without rowid`;
	const storedByKey = <T extends { modifyEnd(s: typeof keyOrder): T }>(t: T): T => (pg ? t : t.modifyEnd(keyOrder));

	await db.schema
		.createTable('evaluation')
		.addColumn('id', id, key)
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('year', 'integer', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('study_review', 'member_review', 'custom')`))
		// draft: being set up; trial: the test run (its ballots are wiped when the real run opens); live: the real run.
		.addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'trial', 'live')`))
		.addColumn('opens_at', 'bigint', (c) => c.notNull())
		.addColumn('closes_at', 'bigint', (c) => c.notNull())
		// Slices with fewer ballots than this show nothing (never below 3).
		.addColumn('threshold', 'integer', (c) => c.notNull().defaultTo(5).check(sql`threshold >= 3`))
		.addColumn('comments_enabled', 'integer', (c) => c.notNull().defaultTo(1))
		// 1 when the rater groups carry weights (summing to 100).
		.addColumn('weighted', 'integer', (c) => c.notNull().defaultTo(0))
		// When the committee let each target see their own results.
		.addColumn('results_released_at', 'bigint')
		.addColumn('created_by', 'integer', (c) => c.references('member.id'))
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.execute();

	// 被测评人, with the learning report (述学报告) raters can read on the ballot.
	await db.schema
		.createTable('evaluation_target')
		.addColumn('id', id, key)
		.addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
		.addColumn('member_id', 'integer', (c) => c.notNull().references('member.id'))
		.addColumn('position', 'integer', (c) => c.notNull())
		// Simple formatting: paragraphs, `- ` lists and `**bold**` (rendered by the page, never as raw HTML).
		.addColumn('report_text', 'text', (c) => c.notNull().defaultTo(''))
		.addUniqueConstraint('evaluation_target_member_uq', ['evaluation_id', 'member_id'])
		.execute();

	// An uploaded PDF report, apart from the target row so that lists of targets never load it.
	await db.schema
		.createTable('evaluation_report_file')
		.addColumn('target_id', 'integer', (c) => c.primaryKey().notNull().references('evaluation_target.id').onDelete('cascade'))
		.addColumn('file_name', 'text', (c) => c.notNull())
		.addColumn('content', pg ? 'bytea' : 'blob', (c) => c.notNull())
		.addColumn('uploaded_at', 'bigint', (c) => c.notNull())
		.execute();

	// 测评项目: a name and a scale, best level first, each level with its score (e.g. 1 / 0.8 / 0.6 / 0.4).
	await db.schema
		.createTable('evaluation_criterion')
		.addColumn('id', id, key)
		.addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull())
		// JSON: [{ "label": "优秀", "score": 1 }, …]
		.addColumn('levels', 'text', (c) => c.notNull())
		// 1 for the overall rating (总体评价), shown first in the results.
		.addColumn('is_overall', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();

	// 测评人类别: who belongs (units with their subtrees and roles, as JSON lists; empty means any) and the weight.
	await db.schema
		.createTable('evaluation_group')
		.addColumn('id', id, key)
		.addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('weight_pct', 'integer')
		// 1 when signed-in members of the units and roles below rate in this group; 0 for a group rating by code only.
		.addColumn('members_rate', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('unit_ids', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('roles', 'text', (c) => c.notNull().defaultTo('[]'))
		.execute();

	// The signed-in members who may rate, and in which group: fixed when a run opens, so that turnout has a fixed
	// denominator and a member moved between units mid-campaign does not change group.
	await storedByKey(
		db.schema
			.createTable('evaluation_eligible')
			.addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
			.addColumn('member_id', 'integer', (c) => c.notNull().references('member.id'))
			.addColumn('group_id', 'integer', (c) => c.notNull().references('evaluation_group.id').onDelete('cascade'))
			.addPrimaryKeyConstraint('evaluation_eligible_pk', ['evaluation_id', 'member_id'])
	).execute();

	// 参评记录: who has rated. Nothing else: no time, no group, nothing that is also on a ballot.
	await storedByKey(
		db.schema
			.createTable('evaluation_participation')
			.addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
			.addColumn('member_id', 'integer', (c) => c.notNull().references('member.id'))
			.addPrimaryKeyConstraint('evaluation_participation_pk', ['evaluation_id', 'member_id'])
	).execute();

	// 一次性测评码: only the SHA-256 of the code; `used` is all that is recorded when it is used.
	await storedByKey(
		db.schema
			.createTable('evaluation_code')
			.addColumn('code_hash', 'text', (c) => c.primaryKey())
			.addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
			.addColumn('group_id', 'integer', (c) => c.notNull().references('evaluation_group.id').onDelete('cascade'))
			// Codes printed together; a lost print-out is voided batch by batch.
			.addColumn('batch', 'integer', (c) => c.notNull())
			.addColumn('used', 'integer', (c) => c.notNull().defaultTo(0))
			.addColumn('voided', 'integer', (c) => c.notNull().defaultTo(0))
	).execute();

	// 测评票: a random key, the campaign and the group (results are per group), and what was rated, as JSON:
	// { "ratings": { "<target id>": { "<criterion id>": <level index> } }, "comments": { "<target id>": "…" } }.
	await storedByKey(
		db.schema
			.createTable('evaluation_ballot')
			.addColumn('id', 'text', (c) => c.primaryKey())
			.addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
			.addColumn('group_id', 'integer', (c) => c.notNull().references('evaluation_group.id').onDelete('cascade'))
			.addColumn('content', 'text', (c) => c.notNull())
	).execute();
	await db.schema.createIndex('evaluation_ballot_evaluation_idx').on('evaluation_ballot').column('evaluation_id').execute();

	// 回执码: random, given to the rater; published when the campaign closes. Not linked to the ballot.
	await storedByKey(
		db.schema
			.createTable('evaluation_receipt')
			.addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluation.id').onDelete('cascade'))
			.addColumn('code', 'text', (c) => c.notNull())
			.addPrimaryKeyConstraint('evaluation_receipt_pk', ['evaluation_id', 'code'])
	).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of [
		'evaluation_receipt',
		'evaluation_ballot',
		'evaluation_code',
		'evaluation_participation',
		'evaluation_eligible',
		'evaluation_group',
		'evaluation_criterion',
		'evaluation_report_file',
		'evaluation_target',
		'evaluation'
	]) {
		await db.schema.dropTable(table).execute();
	}
}
