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
		expect(own?.areas.map((a) => [a.earnedCents, a.possibleCents])).toEqual(expect.arrayContaining([[1400, 1400], [1200, 1200]]));
		// The committee sees q4 too: theory over three papers 700 + 700 + 500 (no fill) of 2100; charter 1800 of 1800.
		const managed = await memberProgress(db, f.a1, now);
		expect(managed?.rows.map((r) => r.percent)).toEqual([100, 100, 80]);
		expect(managed?.areas.map((a) => [a.areaId, a.earnedCents, a.possibleCents])).toEqual([
			[f.areaIds.theory, 1900, 2100],
			[f.areaIds.charter, 1800, 1800]
		]);
		// After the close the member sees it as well.
		const later = await ownProgress(db, f.a1, now + 8 * day);
		expect(later?.rows.map((r) => r.status)).toEqual(['result', 'result', 'result']);
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
