import type { Db } from '../db';

// The stored results the dashboards read (migration 20261202000000): exam_result, each member's best submitted
// attempt at a test, and exam_area_total, its area scores summed per test, unit and area. gradeAttempt, the one
// place a score is stored (submission, paper entry, regrade), calls retractResult before it rewrites an
// attempt's scores and recordResult after, so both tables always equal a recomputation from the attempts
// (exam-results.test.ts checks that after every kind of change).

/**
 * Takes the member's current result for the test out of the area totals and deletes it. Returns the unit it was
 * recorded under (kept when the result is recorded again), or null when there was none.
 */
export async function retractResult(trx: Db, examId: number, memberId: number): Promise<number | null> {
	const result = await trx.selectFrom('exam_result').select(['attempt_id', 'unit_id']).where('exam_id', '=', examId).where('member_id', '=', memberId).executeTakeFirst();
	if (!result) return null;
	const areas = await trx.selectFrom('attempt_area').select(['area_id', 'earned_cents', 'possible_cents']).where('attempt_id', '=', result.attempt_id).execute();
	for (const a of areas) {
		await trx
			.updateTable('exam_area_total')
			.set((eb) => ({
				earned_cents: eb('earned_cents', '-', a.earned_cents),
				possible_cents: eb('possible_cents', '-', a.possible_cents),
				results: eb('results', '-', 1)
			}))
			.where('exam_id', '=', examId)
			.where('unit_id', '=', result.unit_id)
			.where('area_id', '=', a.area_id)
			.execute();
	}
	await trx.deleteFrom('exam_area_total').where('exam_id', '=', examId).where('unit_id', '=', result.unit_id).where('results', '<=', 0).execute();
	await trx.deleteFrom('exam_result').where('exam_id', '=', examId).where('member_id', '=', memberId).execute();
	return result.unit_id;
}

/**
 * Records the member's best submitted attempt at the test (highest score, then the earlier submission, then the
 * lower id: exams/results.ts `bestAttempt`) and adds its area scores to the totals. `unitId` is the unit a
 * previous result was recorded under; a first result goes under the member's unit now.
 */
export async function recordResult(trx: Db, examId: number, memberId: number, unitId: number | null): Promise<void> {
	const best = await trx
		.selectFrom('attempt')
		.select(['id', 'score_cents', 'max_cents', 'passed'])
		.where('exam_id', '=', examId)
		.where('member_id', '=', memberId)
		.where('submitted_at', 'is not', null)
		.where('score_cents', 'is not', null)
		.orderBy('score_cents', 'desc')
		.orderBy('submitted_at', 'asc')
		.orderBy('id', 'asc')
		.limit(1)
		.executeTakeFirst();
	if (!best) return;
	const unit = unitId ?? (await trx.selectFrom('member').select('unit_id').where('id', '=', memberId).executeTakeFirstOrThrow()).unit_id;
	await trx
		.insertInto('exam_result')
		.values({ exam_id: examId, member_id: memberId, attempt_id: best.id, unit_id: unit, score_cents: best.score_cents ?? 0, max_cents: best.max_cents, passed: best.passed ?? 0 })
		.execute();
	// A result recorded after the test's expected list was taken (a make-up, a paper entered late) joins the list.
	const exam = await trx.selectFrom('exam').select('expected_at').where('id', '=', examId).executeTakeFirstOrThrow();
	if (exam.expected_at !== null) {
		await trx
			.insertInto('exam_expected')
			.values({ exam_id: examId, member_id: memberId, unit_id: unit })
			.onConflict((oc) => oc.columns(['exam_id', 'member_id']).doNothing())
			.execute();
	}
	const areas = await trx.selectFrom('attempt_area').select(['area_id', 'earned_cents', 'possible_cents']).where('attempt_id', '=', best.id).execute();
	for (const a of areas) {
		await trx
			.insertInto('exam_area_total')
			.values({ exam_id: examId, unit_id: unit, area_id: a.area_id, earned_cents: a.earned_cents, possible_cents: a.possible_cents, results: 1 })
			// An upsert: the same statement on SQLite (3.24+) and PostgreSQL.
			.onConflict((oc) =>
				oc.columns(['exam_id', 'unit_id', 'area_id']).doUpdateSet((eb) => ({
					earned_cents: eb('exam_area_total.earned_cents', '+', eb.ref('excluded.earned_cents')),
					possible_cents: eb('exam_area_total.possible_cents', '+', eb.ref('excluded.possible_cents')),
					results: eb('exam_area_total.results', '+', 1)
				}))
			)
			.execute();
	}
}
