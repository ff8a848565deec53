import { sql } from 'kysely';
import type { Db } from '../db';
import { unitInScope, type Scope } from '../org/scope';
import { unitTree } from '../org/units';
import { countedTests, missingMembers, settleExpired, type CountedTest } from './counted';

// The member table (党员成绩): each member in the viewer's scope with their score in each of the last eight counted
// quarters, the tests they missed, their latest score and its change. The rules (README.md, "Member table"):
//
// - Rows: every ACTIVE member in scope, and a DISABLED member only when they have a result in these quarters (their
//   history stays readable; an account closed long ago with nothing to show is not a row).
// - A quarter's score is the MEAN of the member's percent results in that quarter's counted tests (a quarter
//   usually has one; with two, a member who took both is judged on both). Percent of the paper's total, so quarters
//   compare (counted.ts).
// - MISSED: a counted test the member was expected to take (expected.ts), with no result, whose
//   window has closed for them: the test's window and any make-up (补考) they were given. A test still open for
//   them is PENDING, not missed: nobody is "missing" this quarter's test on its first day.
// - Latest: the last quarter with a score. Trend: latest minus the previous quarter with a score, in percentage
//   points (null with fewer than two) — the change a secretary asks about, not a regression line.
//
// Speed (10,000 members × 8 quarters must answer in 200 ms): the page needs fifty rows, not ten thousand. An INDEX
// of light entries (each member in scope with their misses, and their latest score only when sorting by it) is
// filtered and sorted; only the rows shown are then read in full, one query pivoting their stored results
// (exam_result) to a column per test. Misses come from the expected lists as pairs without a result (expected.ts):
// a few hundred pairs, not the 80,000 expected. A download takes every row through the same two steps.

export const memberTableQuarters = 8;
export const memberTablePageSize = 50;

export type QuarterCell = {
	/** Mean percent of the member's results in the quarter's counted tests; null without one. */
	percent: number | null;
	/** Tests of the quarter the member was expected to take, closed for them, without a result. */
	missed: number;
	/** Expected in a test still open for them, not yet taken. */
	pending: boolean;
};

export type MemberTableRow = {
	memberId: number;
	name: string;
	loginId: string;
	unitId: number;
	unitPath: string;
	disabled: boolean;
	/** One per quarter of the table, oldest first. */
	quarters: QuarterCell[];
	missed: number;
	latest: number | null;
	/** Latest minus the previous quarter with a score, in percentage points. */
	trend: number | null;
};

export type MemberTableSort = 'unit' | 'name' | 'latest_desc' | 'latest_asc' | 'missed_desc';
export const memberTableSorts: MemberTableSort[] = ['unit', 'name', 'latest_desc', 'latest_asc', 'missed_desc'];

export type MemberTableFilter = {
	/** A unit's subtree, within the scope (a unit outside it gives no rows; pages answer 403 before asking). */
	unitId?: number;
	/** Part of a name or login id. */
	q?: string;
	/** Only members who missed at least one test in these quarters. */
	missedOnly?: boolean;
	sort?: MemberTableSort;
};

export type MemberTable = {
	/** The last eight counted quarters, oldest first (fewer when there are fewer). */
	quarters: string[];
	/** Every row that passes the filter, sorted. */
	rows: MemberTableRow[];
	/** Of those rows, how many missed at least one test. */
	missedMembers: number;
};

/** One page of the table: the page's rows in full, the count of every row that passes the filter. */
export type MemberTablePage = { quarters: string[]; page: Paged<MemberTableRow>; missedMembers: number };

/** What sorting needs of a row. */
type Sortable = Pick<MemberTableRow, 'unitId' | 'loginId' | 'name' | 'latest' | 'missed'>;

/** A member in the index: enough to filter and sort (`latest` is read only for the score sorts). */
type Entry = Sortable & { memberId: number; disabled: boolean };

/** A counted test of the table: its place in the pivot, who has no result for it, when make-ups close it per member. */
type TableTest = CountedTest & { index: number; missing: Set<number>; closing: Map<number, number> | undefined };

type MemberIndex = { quarters: string[]; testsOf: TableTest[][]; entries: Entry[]; missedMembers: number; paths: Map<number, string> };

/** Whether a test has closed for this member: its window, and the last make-up they were given. */
function closedFor(test: TableTest, memberId: number, now: number): boolean {
	return now >= Math.max(test.closesAt, test.closing?.get(memberId) ?? 0);
}

/** The members in scope that pass the filter, sorted, with their misses (rules at the top). */
async function memberIndex(db: Db, scope: Scope, filter: MemberTableFilter, now: number, byIdUpTo: number): Promise<MemberIndex> {
	// The counted tests once; the table's quarters are the last eight they fall in.
	const counted = await countedTests(db);
	const quarters = [...new Set(counted.map((t) => t.quarter))].slice(-memberTableQuarters);
	const none: MemberIndex = { quarters, testsOf: [], entries: [], missedMembers: 0, paths: new Map() };
	if (scope.kind === 'none') return none;
	await settleExpired(db, now);
	// Archived units are kept: a disabled member with results may sit in one.
	const tree = await unitTree(db, { includeArchived: true });
	const units = unitsWanted(tree, scope, filter.unitId);
	if (units?.size === 0) return none;

	const tests = counted.filter((t) => quarters.includes(t.quarter));
	const ids = tests.map((t) => t.id);
	const [missingOf, closing] = await Promise.all([missingMembers(db, ids), closingTimes(db, tests)]);
	const flat = tests.map((t, index): TableTest => ({ ...t, index, missing: missingOf.get(t.id) ?? new Set(), closing: closing.get(t.id) }));
	const testsOf = quarters.map((q) => flat.filter((t) => t.quarter === q));
	const missedOf = new Map<number, number>();
	for (const t of flat) for (const id of t.missing) if (closedFor(t, id, now)) missedOf.set(id, (missedOf.get(id) ?? 0) + 1);

	let members = db.selectFrom('member').select(['id', 'name', 'login_id', 'unit_id', 'status']);
	if (units) members = members.where('unit_id', 'in', [...units]);
	const [rows, disabledWithResults] = await Promise.all([members.execute(), disabledMembersWithResults(db, ids)]);
	const q = (filter.q ?? '').trim().toLowerCase();
	const entries: Entry[] = [];
	for (const m of rows) {
		const disabled = m.status !== 'active';
		if (disabled && !disabledWithResults.has(m.id)) continue;
		if (q && !m.name.toLowerCase().includes(q) && !m.login_id.toLowerCase().includes(q)) continue;
		const missed = missedOf.get(m.id) ?? 0;
		if (filter.missedOnly && missed === 0) continue;
		entries.push({ memberId: m.id, name: m.name, loginId: m.login_id, unitId: m.unit_id, disabled, missed, latest: null });
	}
	const sort = filter.sort ?? 'unit';
	if (sort === 'latest_desc' || sort === 'latest_asc') {
		const latest = await latestPercents(db, testsOf, new Set(entries.map((e) => e.memberId)), byIdUpTo);
		for (const e of entries) e.latest = latest.get(e.memberId) ?? null;
	}
	const order = new Map(tree.map((u, i) => [u.id, i]));
	sortMemberRows(entries, sort, (unitId) => order.get(unitId) ?? Number.MAX_SAFE_INTEGER);
	return { quarters, testsOf, entries, missedMembers: entries.filter((e) => e.missed > 0).length, paths: new Map(tree.map((u) => [u.id, u.path])) };
}

/** Disabled members with a result in these tests: the only disabled members who are rows. */
async function disabledMembersWithResults(db: Db, examIds: number[]): Promise<Set<number>> {
	if (examIds.length === 0) return new Set();
	const rows = await db
		.selectFrom('member')
		.innerJoin('exam_result', 'exam_result.member_id', 'member.id')
		.select('member.id')
		.distinct()
		.where('member.status', '=', 'disabled')
		.where('exam_result.exam_id', 'in', examIds)
		.execute();
	return new Set(rows.map((r) => r.id));
}

/**
 * Each wanted member's latest quarter score, for the score sorts: quarter by quarter from the newest, each member
 * taking the first quarter where they have a result. Nearly everyone has one in the newest quarter; the few left
 * are then looked up by member (the member index of exam_result), not by reading older quarters whole.
 */
async function latestPercents(db: Db, testsOf: TableTest[][], wanted: Set<number>, byIdUpTo: number): Promise<Map<number, number>> {
	const latest = new Map<number, number>();
	const lacking = new Set(wanted);
	for (let i = testsOf.length - 1; i >= 0 && lacking.size > 0; i--) {
		const ids = (testsOf[i] ?? []).map((t) => t.id);
		if (ids.length === 0) continue;
		let query = db.selectFrom('exam_result').select(['member_id', 'score_cents', 'max_cents']).where('exam_id', 'in', ids).where('max_cents', '>', 0);
		if (lacking.size <= byIdUpTo) query = query.where('member_id', 'in', [...lacking]);
		const sums = new Map<number, { sum: number; n: number }>();
		for (const r of await query.execute()) {
			if (!lacking.has(r.member_id)) continue;
			const s = sums.get(r.member_id) ?? { sum: 0, n: 0 };
			s.sum += (100 * r.score_cents) / r.max_cents;
			s.n++;
			sums.set(r.member_id, s);
		}
		for (const [id, { sum, n }] of sums) {
			latest.set(id, sum / n);
			lacking.delete(id);
		}
	}
	return latest;
}

/**
 * Each member's counted result in every test as percent of its total (`[i]` for the test at `index` i; undefined
 * without one), in one query pivoting the stored results to a column per test. Only these members when given.
 */
async function resultPercents(db: Db, tests: TableTest[], memberIds: number[] | undefined): Promise<Map<number, (number | undefined)[]>> {
	const out = new Map<number, (number | undefined)[]>();
	if (tests.length === 0 || memberIds?.length === 0) return out;
	// Every paper has points (validateBlueprint); the guard only keeps PostgreSQL from dividing by zero.
	let query = db
		.selectFrom('exam_result as r')
		.where(
			'r.exam_id',
			'in',
			tests.map((t) => t.id)
		)
		.groupBy('r.member_id')
		.select('r.member_id')
		.select(tests.map((t) => sql<number | null>`max(case when r.exam_id = ${t.id} and r.max_cents > 0 then 100.0 * r.score_cents / r.max_cents end)`.as(`p${t.index}`)));
	if (memberIds) query = query.where('r.member_id', 'in', memberIds);
	for (const row of (await query.execute()) as unknown as Record<string, unknown>[]) {
		out.set(
			row.member_id as number,
			tests.map((t) => {
				const p = row[`p${t.index}`];
				return p === null || p === undefined ? undefined : Number(p);
			})
		);
	}
	return out;
}

/** The full rows of these entries, in their order. */
async function rowsOf(db: Db, index: MemberIndex, entries: Entry[], now: number, byIdUpTo: number): Promise<MemberTableRow[]> {
	if (entries.length === 0) return [];
	// A page's fifty members are looked up by id; a download of thousands reads the tests' results whole.
	const percents = await resultPercents(
		db,
		index.testsOf.flat(),
		entries.length <= byIdUpTo ? entries.map((e) => e.memberId) : undefined
	);
	return entries.map((e) => {
		const results = percents.get(e.memberId) ?? [];
		let missed = 0;
		const cells = index.testsOf.map((quarterTests): QuarterCell => {
			const scores: number[] = [];
			const cell: QuarterCell = { percent: null, missed: 0, pending: false };
			for (const t of quarterTests) {
				const p = results[t.index];
				if (p !== undefined) scores.push(p);
				else if (t.missing.has(e.memberId)) {
					if (closedFor(t, e.memberId, now)) cell.missed++;
					else cell.pending = true;
				}
			}
			if (scores.length) cell.percent = scores.reduce((a, b) => a + b, 0) / scores.length;
			missed += cell.missed;
			return cell;
		});
		const scored = cells.flatMap((c) => (c.percent === null ? [] : [c.percent]));
		const latest = scored.at(-1) ?? null;
		const previous = scored.at(-2);
		return {
			memberId: e.memberId,
			name: e.name,
			loginId: e.loginId,
			unitId: e.unitId,
			unitPath: index.paths.get(e.unitId) ?? '',
			disabled: e.disabled,
			quarters: cells,
			missed,
			latest,
			trend: latest !== null && previous !== undefined ? latest - previous : null
		};
	});
}

/** The unit ids in scope, narrowed to one unit's subtree when asked; undefined for "everyone". */
function unitsWanted(tree: { id: number; depth: number }[], scope: Scope, unitId: number | undefined): Set<number> | undefined {
	if (unitId === undefined) return scope.kind === 'all' ? undefined : new Set(tree.filter((u) => unitInScope(scope, u.id)).map((u) => u.id));
	const at = tree.findIndex((u) => u.id === unitId);
	const within = new Set<number>();
	if (at < 0) return within;
	const depth = tree[at]?.depth ?? 0;
	// The tree is in order (each unit before its descendants), so a unit's subtree is the run of deeper units after it.
	for (let j = at; j < tree.length && (j === at || (tree[j]?.depth ?? 0) > depth); j++) {
		const id = tree[j]?.id as number;
		if (unitInScope(scope, id)) within.add(id);
	}
	return within;
}

/** When a test has closed for a member: its window, or the last make-up they were given, whichever is later. */
async function closingTimes(db: Db, tests: CountedTest[]): Promise<Map<number, Map<number, number>>> {
	const out = new Map<number, Map<number, number>>();
	if (tests.length === 0) return out;
	const rows = await db
		.selectFrom('exam_makeup')
		.innerJoin('exam_makeup_member', 'exam_makeup_member.makeup_id', 'exam_makeup.id')
		.select(['exam_makeup.exam_id', 'exam_makeup_member.member_id', 'exam_makeup.closes_at'])
		.where(
			'exam_makeup.exam_id',
			'in',
			tests.map((t) => t.id)
		)
		.execute();
	for (const r of rows) {
		const byMember = out.get(r.exam_id) ?? new Map<number, number>();
		byMember.set(r.member_id, Math.max(byMember.get(r.member_id) ?? 0, r.closes_at));
		out.set(r.exam_id, byMember);
	}
	return out;
}

/**
 * Up to how many members results are looked up by member id (the member index of exam_result) rather than by
 * reading the tests' results whole; the tests lower it to take both ways.
 */
const lookUpByIdUpTo = 500;

/** The filtered, sorted member table, every row (rules at the top): what a download holds. */
export async function memberTable(db: Db, scope: Scope, filter: MemberTableFilter = {}, now = Date.now(), byIdUpTo = lookUpByIdUpTo): Promise<MemberTable> {
	const index = await memberIndex(db, scope, filter, now, byIdUpTo);
	return { quarters: index.quarters, rows: await rowsOf(db, index, index.entries, now, byIdUpTo), missedMembers: index.missedMembers };
}

/** One page (1-based, clamped to the pages there are) of the same table, reading only that page's rows in full. */
export async function memberTablePage(
	db: Db,
	scope: Scope,
	filter: MemberTableFilter,
	page: number,
	now = Date.now(),
	size = memberTablePageSize,
	byIdUpTo = lookUpByIdUpTo
): Promise<MemberTablePage> {
	const index = await memberIndex(db, scope, filter, now, byIdUpTo);
	const { rows: entries, ...paged } = pageOf(index.entries, page, size);
	return { quarters: index.quarters, page: { ...paged, rows: await rowsOf(db, index, entries, now, byIdUpTo) }, missedMembers: index.missedMembers };
}

const collator = new Intl.Collator('zh-CN');

/**
 * Sorts in place. Members without a latest score go last in both score orders, so "lowest first" lists the weakest
 * results, not everyone who has none; ties fall back to unit order, then login id.
 */
export function sortMemberRows<T extends Sortable>(rows: T[], sort: MemberTableSort, unitOrder: (unitId: number) => number): T[] {
	// Login ids are 工号 or phone numbers: a plain comparison orders them, at a fraction of a collator's cost.
	const byUnit = (a: Sortable, b: Sortable) => unitOrder(a.unitId) - unitOrder(b.unitId) || (a.loginId < b.loginId ? -1 : a.loginId > b.loginId ? 1 : 0);
	const byLatest = (dir: 1 | -1) => (a: Sortable, b: Sortable) => {
		if (a.latest === null || b.latest === null) return (a.latest === null ? 1 : 0) - (b.latest === null ? 1 : 0);
		return dir * (a.latest - b.latest);
	};
	const compare: Record<MemberTableSort, (a: Sortable, b: Sortable) => number> = {
		unit: () => 0,
		name: (a, b) => collator.compare(a.name, b.name),
		latest_desc: byLatest(-1),
		latest_asc: byLatest(1),
		missed_desc: (a, b) => b.missed - a.missed
	};
	return rows.sort((a, b) => compare[sort](a, b) || byUnit(a, b));
}

export type Paged<T> = { rows: T[]; page: number; pageCount: number; total: number };

/** One page (1-based, clamped to the pages there are) of the rows. */
export function pageOf<T>(rows: T[], page: number, size = memberTablePageSize): Paged<T> {
	const pageCount = Math.max(1, Math.ceil(rows.length / size));
	const p = Math.min(Math.max(1, Math.floor(page) || 1), pageCount);
	return { rows: rows.slice((p - 1) * size, p * size), page: p, pageCount, total: rows.length };
}

/** The filter from the page's query string (`unit`, `q`, `missed=1`, `sort`, `page`); anything unknown is ignored. */
export function memberTableQuery(params: URLSearchParams): MemberTableFilter & { sort: MemberTableSort; page: number } {
	const unit = params.get('unit') ?? '';
	const sort = params.get('sort') ?? '';
	const page = Number(params.get('page') ?? '1');
	return {
		...(/^\d{1,12}$/.test(unit) && Number(unit) > 0 ? { unitId: Number(unit) } : {}),
		q: (params.get('q') ?? '').trim().slice(0, 50),
		missedOnly: params.get('missed') === '1',
		sort: (memberTableSorts as string[]).includes(sort) ? (sort as MemberTableSort) : 'unit',
		page: Number.isSafeInteger(page) && page > 0 ? page : 1
	};
}
