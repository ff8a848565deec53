import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { freshDatabase } from '../testing/db';
import { memberRecords, recordsNow as now } from '../testing/member-records';
import { areaShares, memberProgress, ownProgress } from './member-history';

// The fixture, worked out by hand, is in testing/member-records.ts.
const day = 24 * 60 * 60_000;
let db: Db;
let f: Awaited<ReturnType<typeof memberRecords>>;

beforeEach(async () => {
	({ db } = await freshDatabase());
	f = await memberRecords(db);
});

describe('member history', () => {
	it('lists each expected or taken test with the unit mean, and the weakest areas', async () => {
		const p = await memberProgress(db, f.a2, now);
		expect(p?.member).toMatchObject({ name: '李四', loginId: 'a2', unitPath: '测试党委/测试总支/一支部', disabled: false });
		// Tests in quarter order, then by opening: q3, q4b (opened 10 days ago), q4.
		// Unit means of 一支部 (a1, a2, d1): q3 (100 + 80)/2 = 90; q4b (100 + 40)/2 = 70; q4 80 (a1 only).
		expect(p?.rows.map((r) => [r.examId, r.status, r.percent, r.passed, r.unitMean])).toEqual([
			[f.q3, 'missed', null, null, 90],
			[f.q4b, 'result', 40, false, 70],
			[f.q4, 'pending', null, null, 80]
		]);
		// q4b, only the singles right: theory s1 200 of (200 + 300 + 200) = 2/7; charter s2 200 of (200 + 300 + 100) = 1/3.
		expect(p?.areas.map((a) => [a.areaId, a.earnedCents, a.possibleCents])).toEqual([
			[f.areaIds.theory, 200, 700],
			[f.areaIds.charter, 200, 600]
		]);
		expect(p?.areas[0]?.share).toBeCloseTo(2 / 7, 10);
		expect(p?.areaQuarters).toEqual(['2026Q3', '2026Q4']);
		expect(await memberProgress(db, 999_999, now)).toBeUndefined();
	});

	it('shows the member only the scores their tests’ results policies show', async () => {
		// q4's results wait for its close: the member sees the row without a score, and its areas leave it out.
		const own = await ownProgress(db, f.a1, now);
		expect(own?.withUnitMean).toBe(false);
		expect(own?.rows.map((r) => [r.examId, r.status, r.percent, r.attemptId !== null, r.unitMean])).toEqual([
			[f.q3, 'result', 100, true, null],
			[f.q4b, 'result', 100, true, null],
			[f.q4, 'hidden', null, false, null]
		]);
		const ownShares = await areaShares(db, own?.rows.flatMap((r) => (r.attemptId === null ? [] : [r.attemptId])) ?? []);
		expect(ownShares.map((a) => [a.earnedCents, a.possibleCents])).toEqual(expect.arrayContaining([[1400, 1400], [1200, 1200]]));
		// The committee sees q4 too: theory over three papers 700 + 700 + 500 (no fill) of 2100; charter 1800 of 1800.
		const managed = await memberProgress(db, f.a1, now);
		expect(managed?.rows.map((r) => r.percent)).toEqual([100, 100, 80]);
		const managedShares = await areaShares(db, managed?.rows.flatMap((r) => (r.attemptId === null ? [] : [r.attemptId])) ?? []);
		expect(managedShares.map((a) => [a.areaId, a.earnedCents, a.possibleCents])).toEqual([
			[f.areaIds.theory, 1900, 2100],
			[f.areaIds.charter, 1800, 1800]
		]);
		// After the close the member sees it as well.
		const later = await ownProgress(db, f.a1, now + 8 * day);
		expect(later?.rows.map((r) => r.status)).toEqual(['result', 'result', 'result']);
	});

	it('lists as weak only the areas below the pass mark, never one at 100%', async () => {
		// a1 has 100% in both areas over the year, 90.5% in theory once q4 counts: nothing below the 60% pass mark.
		expect((await ownProgress(db, f.a1, now))?.areas).toEqual([]);
		expect((await memberProgress(db, f.a1, now))?.areas).toEqual([]);
		// d1, all but the fill on q3: theory 500 of 700 (71.4%), charter 600 of 600 (100%); both pass at 60%.
		expect((await memberProgress(db, f.d1, now))?.areas).toEqual([]);
		// With q3's pass mark raised to 80%, theory (71.4%) falls below it and is the one weak area; charter stays out.
		await db.updateTable('exam').set({ pass_cents: 800 }).where('id', '=', f.q3).execute();
		const strict = await memberProgress(db, f.d1, now);
		expect(strict?.areas.map((a) => a.areaId)).toEqual([f.areaIds.theory]);
		expect(strict?.areas[0]?.passShare).toBeCloseTo(0.8, 10);
	});

	it('weighs each paper’s pass mark by the area’s points on it', async () => {
		// a1's theory: 700 of 700 on q3 and q4b, 500 of 700 on q4. Pass marks 80%, 60%, 60%: (560 + 420 + 420) / 2100.
		await db.updateTable('exam').set({ pass_cents: 800 }).where('id', '=', f.q3).execute();
		const p = await memberProgress(db, f.a1, now);
		const shares = await areaShares(db, p?.rows.flatMap((r) => (r.attemptId === null ? [] : [r.attemptId])) ?? []);
		expect(shares.find((a) => a.areaId === f.areaIds.theory)?.passShare).toBeCloseTo(1400 / 2100, 10);
	});

	it('keeps a disabled member’s results and leaves out tests they were never expected to take', async () => {
		const p = await memberProgress(db, f.d1, now);
		expect(p?.member.disabled).toBe(true);
		expect(p?.rows.map((r) => [r.examId, r.status, r.percent])).toEqual([[f.q3, 'result', 80]]);
		const none = await memberProgress(db, f.admin, now);
		expect(none?.rows).toEqual([]);
		expect(none?.areas).toEqual([]);
		expect(await areaShares(db, [])).toEqual([]);
	});
});
