import type { Kysely } from 'kysely';

// The whole organization's results of a few tests grouped by score (analytics/score-groups.ts `scoreGroups`,
// read by the trends, the 学习情况通报 and the test list): exam_result_unit_idx has the unit between the test and
// the score, so without this index SQLite sorts 80,000 rows in a temporary B-tree for every request (25 ms at
// 10,000 members × 8 quarters; 7 ms with it). One more index entry per stored result costs nothing a member feels.
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.createIndex('exam_result_score_idx').on('exam_result').columns(['exam_id', 'score_cents', 'max_cents', 'passed']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('exam_result_score_idx').execute();
}
