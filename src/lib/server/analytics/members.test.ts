import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { freshDatabase } from '../testing/db';
import { memberRecords, recordsNow as now } from '../testing/member-records';
import { memberTableFor, memberTablePageFor } from './member-routes';
import { memberTable, memberTablePage, memberTableQuery, memberTableSorts, pageOf, type MemberTableFilter, type MemberTableRow } from './members';

// The fixture's table, worked out by hand, is in testing/member-records.ts.
const day = 24 * 60 * 60_000;
let db: Db;
let f: Awaited<ReturnType<typeof memberRecords>>;

beforeEach(async () => {
	({ db } = await freshDatabase());
	f = await memberRecords(db);
});

const brief = (r: MemberTableRow) => ({ login: r.loginId, quarters: r.quarters.map((c) => [c.percent, c.missed, c.pending]), missed: r.missed, latest: r.latest, trend: r.trend });
const all = { kind: 'all' } as const;

describe('member table', () => {
	it('gives each member their quarter means, misses, latest score and trend', async () => {
		const t = await memberTable(db, all, {}, now);
		expect(t.quarters).toEqual(['2026Q3', '2026Q4']);
		expect(t.rows.map(brief)).toEqual([
			{ login: 'admin', quarters: [[null, 0, false], [null, 0, false]], missed: 0, latest: null, trend: null },
			// Q4: the mean of q4b (100) and q4 (80), though q4 is still open; 90 − 100 = −10.
			{ login: 'a1', quarters: [[100, 0, false], [90, 0, false]], missed: 0, latest: 90, trend: -10 },
			{ login: 'a2', quarters: [[null, 1, false], [40, 0, true]], missed: 1, latest: 40, trend: null },
			{ login: 'd1', quarters: [[80, 0, false], [null, 0, false]], missed: 0, latest: 80, trend: null },
			{ login: 'b1', quarters: [[10, 0, false], [null, 1, true]], missed: 1, latest: 10, trend: null },
			// The make-up keeps q4b open for c1: pending, not missed.
			{ login: 'c1', quarters: [[40, 0, false], [null, 0, true]], missed: 0, latest: 40, trend: null }
		]);
		expect(t.rows.find((r) => r.memberId === f.d1)?.disabled).toBe(true);
		expect(t.rows.some((r) => r.memberId === f.d2)).toBe(false);
		expect(t.rows.find((r) => r.memberId === f.b1)?.unitPath).toBe('测试党委/测试总支/二支部');
		expect(t.missedMembers).toBe(2);
	});

	it('counts a test as missed once its make-up has closed too', async () => {
		const later = now + 2 * day;
		const c = (await memberTable(db, all, {}, later)).rows.find((r) => r.memberId === f.c1);
		// q4 (open a week) is still pending; q4b's make-up closed yesterday.
		expect(c && brief(c).quarters).toEqual([[40, 0, false], [null, 1, true]]);
	});

	it('sorts by unit, name, latest score either way (no score last) and misses', async () => {
		const order = async (sort: 'unit' | 'name' | 'latest_desc' | 'latest_asc' | 'missed_desc') => (await memberTable(db, all, { sort }, now)).rows.map((r) => r.loginId);
		expect(await order('unit')).toEqual(['admin', 'a1', 'a2', 'd1', 'b1', 'c1']);
		// Pinyin: 陈 chen, 管 guan, 李 li, 王 wang, 张 zhang, 赵 zhao.
		expect(await order('name')).toEqual(['d1', 'admin', 'a2', 'b1', 'a1', 'c1']);
		// a2 and c1 both 40: unit order breaks the tie.
		expect(await order('latest_desc')).toEqual(['a1', 'd1', 'a2', 'c1', 'b1', 'admin']);
		expect(await order('latest_asc')).toEqual(['b1', 'a2', 'c1', 'd1', 'a1', 'admin']);
		expect(await order('missed_desc')).toEqual(['a2', 'b1', 'admin', 'a1', 'd1', 'c1']);
	});

	it('filters by unit subtree within the scope, by name or login id, and by misses', async () => {
		const logins = async (scope: Parameters<typeof memberTable>[1], filter: Parameters<typeof memberTable>[2]) => (await memberTable(db, scope, filter, now)).rows.map((r) => r.loginId);
		expect(await logins(all, { unitId: f.tree.general })).toEqual(['a1', 'a2', 'd1', 'b1']);
		expect(await logins(all, { unitId: 999_999 })).toEqual([]);
		const secretary = { kind: 'units', unitIds: new Set([f.tree.general, f.tree.branchA, f.tree.branchB]) } as const;
		expect(await logins(secretary, {})).toEqual(['a1', 'a2', 'd1', 'b1']);
		expect(await logins({ kind: 'units', unitIds: new Set([f.tree.branchA]) }, { unitId: f.tree.branchC })).toEqual([]);
		// A unit above the scope gives only the part of its subtree inside the scope.
		expect(await logins({ kind: 'units', unitIds: new Set([f.tree.branchB]) }, { unitId: f.tree.root })).toEqual(['b1']);
		expect(await logins({ kind: 'none' }, {})).toEqual([]);
		expect(await logins(all, { q: '李' })).toEqual(['a2']);
		expect(await logins(all, { q: ' A1 ' })).toEqual(['a1']);
		expect(await logins(all, { missedOnly: true })).toEqual(['a2', 'b1']);
		expect(await logins(all, { missedOnly: true, unitId: f.tree.branchB })).toEqual(['b1']);
	});

	it('gives the same rows whether members are looked up by id or results read whole', async () => {
		for (const sort of memberTableSorts) {
			for (const filter of [{ sort }, { sort, missedOnly: true }, { sort, unitId: f.tree.general }] as MemberTableFilter[]) {
				const byId = await memberTable(db, all, filter, now);
				expect(await memberTable(db, all, filter, now, 0)).toEqual(byId);
				expect(await memberTable(db, all, filter, now + 2 * day, 0)).toEqual(await memberTable(db, all, filter, now + 2 * day));
			}
		}
	});

	it('serves each page as the same slice of the whole table', async () => {
		for (const sort of memberTableSorts) {
			for (const filter of [{ sort }, { sort, missedOnly: true }, { sort, q: 'a' }] as MemberTableFilter[]) {
				const whole = await memberTable(db, all, filter, now);
				for (const byIdUpTo of [0, 500]) {
					for (const page of [1, 2, 3]) {
						const p = await memberTablePage(db, all, filter, page, now, 2, byIdUpTo);
						expect(p.page).toEqual(pageOf(whole.rows, page, 2));
						expect(p.quarters).toEqual(whole.quarters);
						expect(p.missedMembers).toBe(whole.missedMembers);
					}
				}
			}
		}
		expect((await memberTablePage(db, { kind: 'none' }, {}, 1, now)).page).toEqual({ rows: [], page: 1, pageCount: 1, total: 0 });
	});

	it('answers a unit outside the scope with 403 and one that cannot exist with 404', async () => {
		const secretary = { kind: 'units', unitIds: new Set([f.tree.branchB]) } as const;
		const status = (p: Promise<unknown>) => p.then(() => 200, (e: { status?: number }) => e.status);
		expect(await status(memberTablePageFor(db, secretary, new URLSearchParams(`unit=${f.tree.branchA}`), now))).toBe(403);
		expect(await status(memberTableFor(db, secretary, new URLSearchParams(`unit=${f.tree.branchA}`), now))).toBe(403);
		expect(await status(memberTablePageFor(db, all, new URLSearchParams('unit=abc'), now))).toBe(404);
		expect(await status(memberTablePageFor(db, all, new URLSearchParams('unit=999999'), now))).toBe(404);
		expect(await status(memberTablePageFor(db, all, new URLSearchParams('unit='), now))).toBe(200);
		expect((await memberTablePageFor(db, secretary, new URLSearchParams(`unit=${f.tree.branchB}`), now)).table.page.rows.map((r) => r.loginId)).toEqual(['b1']);
	});

	it('pages the rows and reads its filter from the query', () => {
		const rows = [1, 2, 3, 4, 5, 6];
		expect(pageOf(rows, 2, 4)).toEqual({ rows: [5, 6], page: 2, pageCount: 2, total: 6 });
		expect(pageOf(rows, 9, 4).page).toBe(2);
		expect(pageOf([], 1, 4)).toEqual({ rows: [], page: 1, pageCount: 1, total: 0 });
		expect(memberTableQuery(new URLSearchParams('unit=7&q=%20张%20&missed=1&sort=latest_asc&page=3'))).toEqual({ unitId: 7, q: '张', missedOnly: true, sort: 'latest_asc', page: 3 });
		expect(memberTableQuery(new URLSearchParams('unit=x&sort=bogus&page=-1'))).toEqual({ q: '', missedOnly: false, sort: 'unit', page: 1 });
	});
});

