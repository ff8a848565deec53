import { sql } from 'kysely';
import type { Db } from '../db';
import { audienceMemberIds } from '../exams/exams';

// Who was expected to take a test, for participation rates and "missed a test" (README.md beside this file).
//
// While a test is open the list is computed live: the audience as it is now (each member in their current unit)
// plus everyone with a result (in the unit of their result). When the window closes, the sweep takes that list
// once and stores it (exam_expected), so that the history does not change as people join, leave or move: a
// teacher who arrives next year has not missed this year's tests. Results recorded later (a make-up, a paper
// entered late) join the stored list (exams/exam-results.ts).

/** Takes the expected list of every published quarterly test whose window has closed and that has none yet. */
export async function takeExpectedLists(db: Db, now = Date.now()): Promise<number> {
	const due = await db
		.selectFrom('exam')
		.select('id')
		.where('status', '=', 'published')
		.where('kind', '=', 'quarterly')
		.where('closes_at', '<=', now)
		.where('expected_at', 'is', null)
		.execute();
	let taken = 0;
	for (const { id } of due) {
		const list = await liveList(db, id);
		const claimed = await db.transaction().execute(async (trx) => {
			// Conditional: several servers sweeping at once take each list once.
			const updated = await trx.updateTable('exam').set({ expected_at: now }).where('id', '=', id).where('expected_at', 'is', null).executeTakeFirst();
			if (Number(updated.numUpdatedRows) === 0) return false;
			const rows = [...list].map(([memberId, unitId]) => ({ exam_id: id, member_id: memberId, unit_id: unitId }));
			for (let i = 0; i < rows.length; i += 500) await trx.insertInto('exam_expected').values(rows.slice(i, i + 500)).execute();
			return true;
		});
		if (claimed) taken++;
	}
	return taken;
}

/** The live list of one test: member id → unit id. */
async function liveList(db: Db, examId: number): Promise<Map<number, number>> {
	const list = new Map<number, number>();
	const defined = await db.selectFrom('exam_audience').select('exam_id').where('exam_id', '=', examId).limit(1).executeTakeFirst();
	if (!defined) {
		// No audience listed: every active member (exams.ts `audienceMemberIds`), read once with their units.
		for (const m of await db.selectFrom('member').select(['id', 'unit_id']).where('status', '=', 'active').execute()) list.set(m.id, m.unit_id);
	}
	const audience = defined ? await audienceMemberIds(db, examId) : [];
	if (audience.length > 0) {
		const units = await db.selectFrom('member').select(['id', 'unit_id']).where('status', '=', 'active').execute();
		const unitOf = new Map(units.map((m) => [m.id, m.unit_id]));
		for (const id of audience) {
			const unit = unitOf.get(id);
			if (unit !== undefined) list.set(id, unit);
		}
	}
	for (const r of await db.selectFrom('exam_result').select(['member_id', 'unit_id']).where('exam_id', '=', examId).execute()) list.set(r.member_id, r.unit_id);
	return list;
}

async function stored(db: Db, examIds: number[]): Promise<{ taken: number[]; live: number[] }> {
	if (examIds.length === 0) return { taken: [], live: [] };
	const rows = await db.selectFrom('exam').select(['id', 'expected_at']).where('id', 'in', examIds).execute();
	return { taken: rows.filter((r) => r.expected_at !== null).map((r) => r.id), live: rows.filter((r) => r.expected_at === null).map((r) => r.id) };
}

/** How many were expected per test and unit, limited to `unitIds` when given. */
export async function expectedCounts(db: Db, examIds: number[], unitIds?: Iterable<number>): Promise<Map<number, Map<number, number>>> {
	const units = unitIds === undefined ? undefined : new Set(unitIds);
	const out = new Map<number, Map<number, number>>(examIds.map((id) => [id, new Map()]));
	if (units?.size === 0) return out;
	const { taken, live } = await stored(db, examIds);
	if (taken.length > 0) {
		let query = db
			.selectFrom('exam_expected')
			.select((eb) => ['exam_id', 'unit_id', eb.fn.countAll<number>().as('n')])
			.where('exam_id', 'in', taken)
			.groupBy(['exam_id', 'unit_id']);
		if (units) query = query.where('unit_id', 'in', [...units]);
		for (const r of await query.execute()) out.get(r.exam_id)?.set(r.unit_id, Number(r.n));
	}
	for (const examId of live) {
		const counts = out.get(examId) as Map<number, number>;
		for (const unitId of (await liveList(db, examId)).values()) if (!units || units.has(unitId)) counts.set(unitId, (counts.get(unitId) ?? 0) + 1);
	}
	return out;
}

/** Who was expected per test (member id → unit id), limited to `unitIds` when given. */
export async function expectedMembers(db: Db, examIds: number[], unitIds?: Iterable<number>): Promise<Map<number, Map<number, number>>> {
	const units = unitIds === undefined ? undefined : new Set(unitIds);
	const out = new Map<number, Map<number, number>>(examIds.map((id) => [id, new Map()]));
	if (units?.size === 0) return out;
	const { taken, live } = await stored(db, examIds);
	if (taken.length > 0) {
		let query = db.selectFrom('exam_expected').select(['exam_id', 'member_id', 'unit_id']).where('exam_id', 'in', taken);
		if (units) query = query.where('unit_id', 'in', [...units]);
		for (const r of await query.execute()) out.get(r.exam_id)?.set(r.member_id, r.unit_id);
	}
	for (const examId of live) {
		const list = out.get(examId) as Map<number, number>;
		for (const [memberId, unitId] of await liveList(db, examId)) if (!units || units.has(unitId)) list.set(memberId, unitId);
	}
	return out;
}

/**
 * How many of these tests each member was expected to take and has no result for (members with none are left
 * out), limited to members expected in `unitIds` when given.
 */
export async function missedCounts(db: Db, examIds: number[], unitIds?: Iterable<number>): Promise<Map<number, number>> {
	const out = new Map<number, number>();
	for (const missing of (await missingMembers(db, examIds, unitIds)).values()) for (const memberId of missing) out.set(memberId, (out.get(memberId) ?? 0) + 1);
	return out;
}

/**
 * Per test, the members expected to take it who have no result (yet), limited to members expected in `unitIds`
 * when given: a few hundred pairs where the expected lists hold tens of thousands.
 */
export async function missingMembers(db: Db, examIds: number[], unitIds?: Iterable<number>): Promise<Map<number, Set<number>>> {
	const units = unitIds === undefined ? undefined : new Set(unitIds);
	const out = new Map<number, Set<number>>(examIds.map((id) => [id, new Set()]));
	if (units?.size === 0) return out;
	const { taken, live } = await stored(db, examIds);
	if (taken.length > 0) {
		// EXCEPT walks both primary keys (exam_id, member_id) in order: half the time of a NOT EXISTS probe per row.
		let expected = db.selectFrom('exam_expected').select(['exam_id', 'member_id']).where('exam_id', 'in', taken);
		if (units) expected = expected.where('unit_id', 'in', [...units]);
		const query = expected.except(db.selectFrom('exam_result').select(['exam_id', 'member_id']).where('exam_id', 'in', taken));
		for (const r of await query.execute()) out.get(r.exam_id)?.add(r.member_id);
	}
	for (const examId of live) {
		const results = new Set((await db.selectFrom('exam_result').select('member_id').where('exam_id', '=', examId).execute()).map((r) => r.member_id));
		const missing = out.get(examId) as Set<number>;
		for (const [memberId, unitId] of await liveList(db, examId)) if (!results.has(memberId) && (!units || units.has(unitId))) missing.add(memberId);
	}
	return out;
}

/** Which of these tests one member was expected to take. */
export async function expectedTestsOf(db: Db, memberId: number, examIds: number[]): Promise<Set<number>> {
	const out = new Set<number>();
	const { taken, live } = await stored(db, examIds);
	if (taken.length > 0) {
		for (const r of await db.selectFrom('exam_expected').select('exam_id').where('member_id', '=', memberId).where('exam_id', 'in', taken).execute()) out.add(r.exam_id);
	}
	for (const examId of live) if ((await liveList(db, examId)).has(memberId)) out.add(examId);
	return out;
}
