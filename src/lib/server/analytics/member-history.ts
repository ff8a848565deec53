import { sql } from 'kysely';
import type { Db } from '../db';
import { memberHistory } from '../exams/paper-view';
import { unitPaths } from '../org/units';
import { countedQuarters, countedResults, countedTests, expectedTestsOf, percent, settleExpired } from './counted';

// One member's record (a member's page for their secretary and the committee; 我的成绩 for the member): each counted
// test they were expected to take or took, and their weakest content areas. README.md, "Member history":
//
// - A row per counted test the member was expected to take (counted.ts) or has a result in, oldest first: their
//   result (best submitted attempt, percent of the total), missed once the test has closed for them (its window
//   and any make-up they were given), pending while it is open.
// - The manager's view adds the mean of the member's CURRENT unit (its own members, not the units below) on each
//   test, for comparison. The member's own view does not: in a small unit a mean next to one's own score gives a
//   colleague's away, and scores are for the member, their secretary and the committee only.
// - Weakest areas: the share of points earned per content area (attempt_area, stored at submission) over the
//   member's counted attempts in the LAST FOUR counted quarters (a year of study, so an area learned since stops
//   showing up), weakest first. Only the areas below the pass mark are weak and listed: an area at or above it
//   (100% above all) is not something to work on. An area's pass mark is the tests' own (pass_cents of the paper's
//   total), weighted by the area's points in each attempt, so a paper with a stricter mark counts for its share.
// - The member's own view RESPECTS each test's results policy: a score, a pass and the areas of an attempt appear
//   only where the member's own test list (exams/paper-view.ts `memberHistory`, which applies `resultVisibility`)
//   shows that attempt's score. Hidden rows say so; nothing else about them leaks.

export const weakestAreaQuarters = 4;

export type HistoryStatus = 'result' | 'missed' | 'pending' | 'hidden';

export type HistoryRow = {
	examId: number;
	title: string;
	quarter: string;
	closesAt: number;
	status: HistoryStatus;
	/** The counted attempt, when its score may be shown. */
	attemptId: number | null;
	percent: number | null;
	passed: boolean | null;
	/** Mean percent of the member's unit on this test (manager's view only). */
	unitMean: number | null;
};

export type AreaShare = {
	areaId: number;
	code: string;
	nameZh: string;
	nameEn: string;
	earnedCents: number;
	possibleCents: number;
	/** 0–1 */
	share: number;
	/** The pass mark as a share of the area's points over the same attempts (0–1); below it the area is weak. */
	passShare: number;
};

export type MemberProgress = {
	member: { id: number; name: string; loginId: string; unitId: number; unitPath: string; disabled: boolean };
	rows: HistoryRow[];
	/** The weak areas (below the pass mark), weakest first; empty when none is. */
	areas: AreaShare[];
	/** How many areas the member has points in over those quarters, weak or not (0: nothing to judge yet). */
	areasMeasured: number;
	/** The quarters the areas are taken over, oldest first. */
	areaQuarters: string[];
	/** Whether the unit mean column applies (the manager's view). */
	withUnitMean: boolean;
};

type Options = { now: number; withUnitMean: boolean; visible?: Set<number> };

async function load(db: Db, memberId: number, o: Options): Promise<MemberProgress | undefined> {
	const member = await db.selectFrom('member').select(['id', 'name', 'login_id', 'unit_id', 'status']).where('id', '=', memberId).executeTakeFirst();
	if (!member) return undefined;
	const units = await db.selectFrom('unit').select(['id', 'name', 'parent_id']).execute();
	const tests = await countedTests(db);
	const results = new Map((await countedResults(db, { memberId })).map((r) => [r.examId, r]));
	// Expected: the tests' expected lists (expected.ts); whoever took a test has a result.
	const expectedIn = await expectedTestsOf(
		db,
		memberId,
		tests.map((t) => t.id)
	);
	const lastMakeup = new Map(
		(
			await db
				.selectFrom('exam_makeup')
				.innerJoin('exam_makeup_member', 'exam_makeup_member.makeup_id', 'exam_makeup.id')
				.select(['exam_makeup.exam_id', (eb) => eb.fn.max('exam_makeup.closes_at').as('last')])
				.where('exam_makeup_member.member_id', '=', memberId)
				.groupBy('exam_makeup.exam_id')
				.execute()
		).map((r) => [r.exam_id, Number(r.last)])
	);
	const unitMeans = o.withUnitMean ? await meansOfUnit(db, member.unit_id) : new Map<number, number>();

	const rows: HistoryRow[] = [];
	for (const t of tests) {
		const r = results.get(t.id);
		if (!r && !expectedIn.has(t.id)) continue;
		const row: HistoryRow = { examId: t.id, title: t.title, quarter: t.quarter, closesAt: t.closesAt, status: 'pending', attemptId: null, percent: null, passed: null, unitMean: unitMeans.get(t.id) ?? null };
		if (r && (!o.visible || o.visible.has(r.attemptId))) Object.assign(row, { status: 'result', attemptId: r.attemptId, percent: percent(r.scoreCents, r.maxCents), passed: r.passed });
		else if (r) row.status = 'hidden';
		else if (o.now >= Math.max(t.closesAt, lastMakeup.get(t.id) ?? 0)) row.status = 'missed';
		rows.push(row);
	}

	const areaQuarters = (await countedQuarters(db)).slice(-weakestAreaQuarters);
	const areaAttempts = rows.filter((r) => r.attemptId !== null && areaQuarters.includes(r.quarter)).map((r) => r.attemptId as number);
	const shares = await areaShares(db, areaAttempts);
	return {
		member: { id: member.id, name: member.name, loginId: member.login_id, unitId: member.unit_id, unitPath: unitPaths(units).get(member.unit_id) ?? '', disabled: member.status !== 'active' },
		rows,
		areas: weakAreas(shares),
		areasMeasured: shares.length,
		areaQuarters,
		withUnitMean: o.withUnitMean
	};
}

/** Mean percent per counted test of the results recorded in the unit (exam_result), grouped in SQL. */
async function meansOfUnit(db: Db, unitId: number): Promise<Map<number, number>> {
	const rows = await db
		.selectFrom('exam_result')
		.select(['exam_id', sql<number>`avg(100.0 * score_cents / max_cents)`.as('mean')])
		.where('unit_id', '=', unitId)
		.where('max_cents', '>', 0)
		.groupBy('exam_id')
		.execute();
	return new Map(rows.map((r) => [r.exam_id, Number(r.mean)]));
}

/**
 * Share of points earned per content area over these attempts, weakest first (then the bank's order), with the
 * pass mark's share of the same points.
 */
export async function areaShares(db: Db, attemptIds: number[]): Promise<AreaShare[]> {
	if (attemptIds.length === 0) return [];
	const rows = await db
		.selectFrom('attempt_area')
		.innerJoin('content_area', 'content_area.id', 'attempt_area.area_id')
		.innerJoin('attempt', 'attempt.id', 'attempt_area.attempt_id')
		.innerJoin('exam', 'exam.id', 'attempt.exam_id')
		.select([
			'content_area.id',
			'content_area.code',
			'content_area.name_zh',
			'content_area.name_en',
			'content_area.sort_order',
			'attempt_area.earned_cents',
			'attempt_area.possible_cents',
			'attempt.max_cents',
			'exam.pass_cents'
		])
		.where('attempt_area.attempt_id', 'in', attemptIds)
		.execute();
	const byArea = new Map<number, { row: (typeof rows)[number]; earned: number; possible: number; pass: number }>();
	for (const r of rows) {
		const sum = byArea.get(r.id) ?? { row: r, earned: 0, possible: 0, pass: 0 };
		sum.earned += Number(r.earned_cents);
		sum.possible += Number(r.possible_cents);
		// The paper's pass mark, applied to this attempt's points in the area.
		if (Number(r.max_cents) > 0) sum.pass += (Number(r.possible_cents) * Number(r.pass_cents)) / Number(r.max_cents);
		byArea.set(r.id, sum);
	}
	return [...byArea.values()]
		.filter((a) => a.possible > 0)
		.sort((a, b) => a.earned / a.possible - b.earned / b.possible || a.row.sort_order - b.row.sort_order || a.row.id - b.row.id)
		.map((a) => ({
			areaId: a.row.id,
			code: a.row.code,
			nameZh: a.row.name_zh,
			nameEn: a.row.name_en,
			earnedCents: a.earned,
			possibleCents: a.possible,
			share: a.earned / a.possible,
			passShare: a.pass / a.possible
		}));
}

/** The areas below their pass mark: at or above it an area is not weak, however it ranks among the member's own. */
export function weakAreas(areas: AreaShare[]): AreaShare[] {
	return areas.filter((a) => a.earnedCents < a.passShare * a.possibleCents - 1e-9);
}

/** A member's record for their secretary or the committee (authorization is the caller's). */
export async function memberProgress(db: Db, memberId: number, now = Date.now()): Promise<MemberProgress | undefined> {
	await settleExpired(db, now);
	return load(db, memberId, { now, withUnitMean: true });
}

/** The member's own record: only the scores their tests' results policies show them (see the top). */
export async function ownProgress(db: Db, memberId: number, now = Date.now()): Promise<MemberProgress | undefined> {
	// memberHistory submits the member's expired attempts first, then says which attempts' scores they may see.
	const visible = new Set((await memberHistory(db, memberId, now)).flatMap((row) => row.attempts.filter((a) => a.scoreVisible).map((a) => a.id)));
	return load(db, memberId, { now, withUnitMean: false, visible });
}

