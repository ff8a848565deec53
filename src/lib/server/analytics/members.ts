import { sql } from 'kysely';
import type { Db } from '../db';
import { unitInScope, type Scope } from '../org/scope';
import { unitTree } from '../org/units';
import { countedQuarters, countedTests, missingMembers, settleExpired, type CountedTest } from './counted';

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
// Speed (10,000 members × 8 quarters must answer in 200 ms): ONE query gives each member in scope with their
// counted result in every test of the quarters as columns (the stored results, exam_result; the pivot turns 80,000
// results into 10,000 rows). Misses come from the expected lists as pairs without a result (expected.ts).
// Sorting, filtering by name and paging are then done in memory.

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
	/** Every row that passes the filter, sorted; pages take `pageOf`. */
	rows: MemberTableRow[];
	/** Of those rows, how many missed at least one test. */
	missedMembers: number;
};

/** `percents[i]`: the member's counted result in `tests[i]` as percent of its total; undefined without one. */
type Member = { id: number; name: string; login_id: string; unit_id: number; status: 'active' | 'disabled'; percents: (number | undefined)[]; results: number };

/**
 * The members of these units (all when undefined), each with their counted result per test, in one query: the
 * counted results pivoted to a column per test.
 */
async function membersWithResults(db: Db, tests: CountedTest[], units: Set<number> | undefined): Promise<Member[]> {
	let memberQuery = db.selectFrom('member').select(['member.id', 'member.name', 'member.login_id', 'member.unit_id', 'member.status']);
	if (units) memberQuery = memberQuery.where('member.unit_id', 'in', [...units]);
	if (tests.length === 0) return (await memberQuery.execute()).map((m) => ({ ...m, percents: [], results: 0 }));
	// One column per test: the stored counted result (exam_result) as percent of the total. Every paper has points
	// (validateBlueprint); the guard only keeps PostgreSQL from dividing by zero.
	let results = db.selectFrom('exam_result as r').where(
		'r.exam_id',
		'in',
		tests.map((t) => t.id)
	);
	if (units) results = results.innerJoin('member as scoped', 'scoped.id', 'r.member_id').where('scoped.unit_id', 'in', [...units]);
	const best = results
		.groupBy('r.member_id')
		.select('r.member_id')
		.select(tests.map((t, i) => sql<number | null>`max(case when r.exam_id = ${t.id} and r.max_cents > 0 then 100.0 * r.score_cents / r.max_cents end)`.as(`p${i}`)));
	const rows = (await memberQuery.leftJoin(best.as('b'), 'b.member_id', 'member.id').selectAll('b').execute()) as unknown as Record<string, unknown>[];
	const keys = tests.map((_, i) => `p${i}`);
	return rows.map((r) => {
		let results = 0;
		const percents = keys.map((key) => {
			const p = r[key];
			if (p === null || p === undefined) return undefined;
			results++;
			return Number(p);
		});
		return { id: r.id as number, name: r.name as string, login_id: r.login_id as string, unit_id: r.unit_id as number, status: r.status as Member['status'], percents, results };
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

/** The filtered, sorted member table (rules at the top). Pages show `pageOf` it; exports take every row. */
export async function memberTable(db: Db, scope: Scope, filter: MemberTableFilter = {}, now = Date.now()): Promise<MemberTable> {
	const quarters = (await countedQuarters(db)).slice(-memberTableQuarters);
	if (scope.kind === 'none') return { quarters, rows: [], missedMembers: 0 };
	await settleExpired(db, now);
	// Archived units are kept: a disabled member with results may sit in one.
	const tree = await unitTree(db, { includeArchived: true });
	const units = unitsWanted(tree, scope, filter.unitId);
	if (units?.size === 0) return { quarters, rows: [], missedMembers: 0 };

	const tests = await countedTests(db, quarters);
	// Expected without a result: a few hundred pairs, not the whole expected lists (expected.ts).
	const missingOf = await missingMembers(
		db,
		tests.map((t) => t.id)
	);
	const closing = await closingTimes(db, tests);
	const members = await membersWithResults(db, tests, units);
	// Each quarter's tests, by their place in `tests` (where each member's percents are).
	const testsOf = quarters.map((q) => tests.flatMap((t, i) => (t.quarter === q ? [{ ...t, index: i, missing: missingOf.get(t.id), closing: closing.get(t.id) }] : [])));
	const order = new Map(tree.map((u, i) => [u.id, i]));
	const paths = new Map(tree.map((u) => [u.id, u.path]));

	const q = (filter.q ?? '').trim().toLowerCase();
	const rows: MemberTableRow[] = [];
	for (const m of members) {
		if (m.status !== 'active' && m.results === 0) continue;
		if (q && !m.name.toLowerCase().includes(q) && !m.login_id.toLowerCase().includes(q)) continue;
		let missed = 0;
		const cells = testsOf.map((qTests): QuarterCell => {
			const scores: number[] = [];
			const cell: QuarterCell = { percent: null, missed: 0, pending: false };
			for (const t of qTests) {
				const p = m.percents[t.index];
				if (p !== undefined) scores.push(p);
				else if (t.missing?.has(m.id)) {
					if (now >= Math.max(t.closesAt, t.closing?.get(m.id) ?? 0)) cell.missed++;
					else cell.pending = true;
				}
			}
			if (scores.length) cell.percent = scores.reduce((a, b) => a + b, 0) / scores.length;
			missed += cell.missed;
			return cell;
		});
		if (filter.missedOnly && missed === 0) continue;
		const scored = cells.flatMap((c) => (c.percent === null ? [] : [c.percent]));
		const latest = scored.at(-1) ?? null;
		const previous = scored.at(-2);
		rows.push({
			memberId: m.id,
			name: m.name,
			loginId: m.login_id,
			unitId: m.unit_id,
			unitPath: paths.get(m.unit_id) ?? '',
			disabled: m.status !== 'active',
			quarters: cells,
			missed,
			latest,
			trend: latest !== null && previous !== undefined ? latest - previous : null
		});
	}
	sortMemberRows(rows, filter.sort ?? 'unit', (unitId) => order.get(unitId) ?? Number.MAX_SAFE_INTEGER);
	return { quarters, rows, missedMembers: rows.filter((r) => r.missed > 0).length };
}

const collator = new Intl.Collator('zh-CN');

/**
 * Sorts in place. Members without a latest score go last in both score orders, so "lowest first" lists the weakest
 * results, not everyone who has none; ties fall back to unit order, then login id.
 */
export function sortMemberRows(rows: MemberTableRow[], sort: MemberTableSort, unitOrder: (unitId: number) => number): MemberTableRow[] {
	// Login ids are 工号 or phone numbers: a plain comparison orders them, at a fraction of a collator's cost.
	const byUnit = (a: MemberTableRow, b: MemberTableRow) => unitOrder(a.unitId) - unitOrder(b.unitId) || (a.loginId < b.loginId ? -1 : a.loginId > b.loginId ? 1 : 0);
	const byLatest = (dir: 1 | -1) => (a: MemberTableRow, b: MemberTableRow) => {
		if (a.latest === null || b.latest === null) return (a.latest === null ? 1 : 0) - (b.latest === null ? 1 : 0);
		return dir * (a.latest - b.latest);
	};
	const compare: Record<MemberTableSort, (a: MemberTableRow, b: MemberTableRow) => number> = {
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
