import type { Db } from '../db';
import type { AttemptMode, Exam, ExamKind, SubmittedHow } from '../db/schema';
import { unitInScope, type Scope } from '../org/scope';
import { unitTree } from '../org/units';
import { submitExpired } from './attempts';
import { audienceMemberIds } from './exams';

// Following a test and reading its results, for the committee (everything) and a secretary (their unit and the
// units below it). Every function takes the manager's Scope and returns only members whose unit is in it.
//
// A member's RESULT for a test is their BEST SUBMITTED ATTEMPT (highest score; on a tie the earlier one). A test
// usually allows one attempt, but a practice test allows several and a make-up (补考) adds one, and the member
// should be judged by what they showed they know, not by the attempt they took last. Unsubmitted attempts have
// no score and never count.
//
// Who is expected: the test's audience as it is now, plus anyone who has an attempt (a make-up for someone
// outside the audience, a member moved out of it after taking the test). Counting takers outside the audience
// keeps the participation rate from ever passing 100%.

/** Where a member stands on a test: a submitted attempt, an online attempt under way, a printed paper waiting to be entered, or nothing. */
export type MemberExamStatus = 'submitted' | 'in_progress' | 'paper_pending' | 'not_started';

export type ExamHeader = Pick<Exam, 'id' | 'title' | 'quarter' | 'kind' | 'opens_at' | 'closes_at' | 'pass_cents'> & {
	/** Practice tests are shown but do not count toward anyone's record or the dashboards. */
	counted: boolean;
	window: 'upcoming' | 'open' | 'closed';
};

export type Counts = { members: number; started: number; submitted: number };

export type UnitProgress = {
	unitId: number;
	name: string;
	path: string;
	/** Depth below the top unit the viewer manages (0 for it). */
	depth: number;
	/** The unit's own members. */
	direct: Counts;
	/** The unit and every unit below it. */
	subtree: Counts;
};

export type NotTakenMember = { memberId: number; name: string; loginId: string; unitId: number; unitPath: string; status: Exclude<MemberExamStatus, 'submitted'> };

export type ExamProgress = {
	exam: ExamHeader;
	totals: Counts;
	units: UnitProgress[];
	notTaken: NotTakenMember[];
};

type Person = { id: number; name: string; loginId: string; unitId: number; unitPath: string; unitOrder: number; inAudience: boolean };

type AttemptRow = {
	id: number;
	member_id: number;
	number: number;
	mode: AttemptMode;
	deadline_at: number;
	submitted_at: number | null;
	submitted_how: SubmittedHow | null;
	score_cents: number | null;
	max_cents: number;
	passed: number | null;
};

function header(exam: Exam, now: number): ExamHeader {
	return {
		id: exam.id,
		title: exam.title,
		quarter: exam.quarter,
		kind: exam.kind,
		opens_at: exam.opens_at,
		closes_at: exam.closes_at,
		pass_cents: exam.pass_cents,
		counted: isCounted(exam.kind),
		window: now < exam.opens_at ? 'upcoming' : now >= exam.closes_at ? 'closed' : 'open'
	};
}

export function isCounted(kind: ExamKind): boolean {
	return kind === 'quarterly';
}

/** The best submitted attempt (see the note at the top): highest score, then the earlier submission, then the lower id. */
export function bestAttempt<A extends Pick<AttemptRow, 'id' | 'submitted_at' | 'score_cents'>>(attempts: A[]): A | undefined {
	let best: A | undefined;
	for (const a of attempts) {
		if (a.submitted_at === null || a.score_cents === null) continue;
		if (
			!best ||
			a.score_cents > (best.score_cents as number) ||
			(a.score_cents === best.score_cents && (a.submitted_at < (best.submitted_at as number) || (a.submitted_at === best.submitted_at && a.id < best.id)))
		) {
			best = a;
		}
	}
	return best;
}

function statusOf(attempts: AttemptRow[], now: number): MemberExamStatus {
	if (attempts.some((a) => a.submitted_at !== null)) return 'submitted';
	if (attempts.some((a) => a.mode === 'online' && a.deadline_at > now)) return 'in_progress';
	if (attempts.some((a) => a.mode === 'paper')) return 'paper_pending';
	return 'not_started';
}

type Loaded = { exam: Exam; people: Person[]; attemptsOf: Map<number, AttemptRow[]>; tree: Awaited<ReturnType<typeof scopedTree>> };

async function scopedTree(db: Db, scope: Scope) {
	// Archived units are kept: a member who took the test may sit in one (disabled, or moved later).
	return (await unitTree(db, { includeArchived: true })).filter((u) => unitInScope(scope, u.id));
}

/** The exam, the expected members in scope (see the top of the file) and their attempts. */
async function load(db: Db, examId: number, scope: Scope, now: number): Promise<Loaded | undefined> {
	const exam = await db.selectFrom('exam').selectAll().where('id', '=', examId).executeTakeFirst();
	if (!exam || scope.kind === 'none') return undefined;
	// Time ran out on someone's attempt while nobody was looking: submit it first, so the numbers are the truth.
	await submitExpired(db, now, { examId });
	const attempts = await db
		.selectFrom('attempt')
		.select(['id', 'member_id', 'number', 'mode', 'deadline_at', 'submitted_at', 'submitted_how', 'score_cents', 'max_cents', 'passed'])
		.where('exam_id', '=', examId)
		.orderBy('number')
		.execute();
	const audience = new Set(await audienceMemberIds(db, examId));
	const attemptsOf = new Map<number, AttemptRow[]>();
	for (const a of attempts) attemptsOf.set(a.member_id, [...(attemptsOf.get(a.member_id) ?? []), a]);

	const tree = await scopedTree(db, scope);
	const order = new Map(tree.map((u, i) => [u.id, i]));
	const paths = new Map(tree.map((u) => [u.id, u.path]));
	let query = db.selectFrom('member').select(['id', 'name', 'login_id', 'unit_id']);
	if (scope.kind === 'units') query = query.where('unit_id', 'in', [...scope.unitIds]);
	const members = await query.execute();
	const people = members
		.filter((m) => audience.has(m.id) || attemptsOf.has(m.id))
		.map(
			(m): Person => ({
				id: m.id,
				name: m.name,
				loginId: m.login_id,
				unitId: m.unit_id,
				unitPath: paths.get(m.unit_id) ?? '',
				unitOrder: order.get(m.unit_id) ?? Number.MAX_SAFE_INTEGER,
				inAudience: audience.has(m.id)
			})
		)
		.sort((a, b) => a.unitOrder - b.unitOrder || a.loginId.localeCompare(b.loginId));
	return { exam, people, attemptsOf, tree };
}

/** Submitted / expected; null for a unit where nobody is expected. */
export function participationRate(c: Counts): number | null {
	return c.members === 0 ? null : c.submitted / c.members;
}

/**
 * Who has started and submitted, per unit (its own members, and its subtree rolled up) and in all, and the list
 * of expected members who have not submitted, to remind them. Undefined when the test does not exist.
 */
export async function examProgress(db: Db, examId: number, scope: Scope, now = Date.now()): Promise<ExamProgress | undefined> {
	const loaded = await load(db, examId, scope, now);
	if (!loaded) return undefined;
	const { exam, people, attemptsOf, tree } = loaded;

	const direct = new Map<number, Counts>();
	const status = new Map<number, MemberExamStatus>();
	for (const p of people) {
		const s = statusOf(attemptsOf.get(p.id) ?? [], now);
		status.set(p.id, s);
		const c = direct.get(p.unitId) ?? { members: 0, started: 0, submitted: 0 };
		c.members++;
		if (s !== 'not_started') c.started++;
		if (s === 'submitted') c.submitted++;
		direct.set(p.unitId, c);
	}

	// The tree is in order (each unit before its descendants), so a unit's subtree is the run of deeper units after it.
	const topDepth = Math.min(...tree.map((u) => u.depth));
	const units: UnitProgress[] = [];
	tree.forEach((u, i) => {
		const own = direct.get(u.id) ?? { members: 0, started: 0, submitted: 0 };
		const subtree = { ...own };
		for (let j = i + 1; j < tree.length && (tree[j]?.depth ?? 0) > u.depth; j++) {
			const c = direct.get(tree[j]?.id ?? -1);
			if (!c) continue;
			subtree.members += c.members;
			subtree.started += c.started;
			subtree.submitted += c.submitted;
		}
		// An archived unit with nobody expected in it is history, not a row to read.
		if (u.archived_at !== null && subtree.members === 0) return;
		units.push({ unitId: u.id, name: u.name, path: u.path, depth: u.depth - topDepth, direct: own, subtree });
	});

	const totals: Counts = { members: people.length, started: 0, submitted: 0 };
	for (const s of status.values()) {
		if (s !== 'not_started') totals.started++;
		if (s === 'submitted') totals.submitted++;
	}
	// The audience has active members only, so a disabled member is listed only if they had started.
	const notTaken: NotTakenMember[] = people
		.filter((p) => status.get(p.id) !== 'submitted')
		.map((p) => ({ memberId: p.id, name: p.name, loginId: p.loginId, unitId: p.unitId, unitPath: p.unitPath, status: status.get(p.id) as NotTakenMember['status'] }));
	return { exam: header(exam, now), totals, units, notTaken };
}

// ---- results ----------------------------------------------------------------------------------------------

export type AreaScore = { earnedCents: number; possibleCents: number };

export type ResultRow = {
	memberId: number;
	name: string;
	loginId: string;
	unitId: number;
	unitPath: string;
	inAudience: boolean;
	/** Every attempt, submitted or not. */
	attempts: number;
	/** The best submitted attempt; null when the member has none. */
	bestAttemptId: number | null;
	scoreCents: number | null;
	maxCents: number | null;
	passed: boolean | null;
	/** To the minute (what the page and the file show): a second-exact activity time could be lined up with others. */
	submittedAt: number | null;
	how: SubmittedHow | null;
	mode: AttemptMode | null;
	/** Per content area of the best attempt, by area id. */
	areas: Record<number, AreaScore>;
};

export type ResultsSort = 'unit' | 'score_desc' | 'score_asc' | 'name';
export const resultsSorts: ResultsSort[] = ['unit', 'score_desc', 'score_asc', 'name'];

export type ResultsSummary = {
	members: number;
	/** Members with a submitted attempt. */
	takers: number;
	/** Mean of the takers' best scores, in whole cents (rounded); null with no takers. */
	meanCents: number | null;
	passed: number;
	/** passed / takers; null with no takers. */
	passRate: number | null;
};

export type ExamResults = {
	exam: ExamHeader;
	/** The areas that appear in any row, in the bank's order. */
	areas: { id: number; code: string; nameZh: string; nameEn: string }[];
	rows: ResultRow[];
	summary: ResultsSummary;
};

export type ResultsFilter = { unitId?: number; sort?: ResultsSort };

/**
 * One row per expected member in scope (and anyone else who took it), with their result, and a summary. A unit
 * filter narrows to that unit's subtree, and only within the scope: a unit outside it yields no rows.
 */
export async function examResults(db: Db, examId: number, scope: Scope, filter: ResultsFilter = {}, now = Date.now()): Promise<ExamResults | undefined> {
	const loaded = await load(db, examId, scope, now);
	if (!loaded) return undefined;
	const { exam, attemptsOf, tree } = loaded;
	let people = loaded.people;
	if (filter.unitId !== undefined) {
		const at = tree.findIndex((u) => u.id === filter.unitId);
		const within = new Set<number>();
		if (at >= 0) {
			const depth = tree[at]?.depth ?? 0;
			within.add(filter.unitId);
			for (let j = at + 1; j < tree.length && (tree[j]?.depth ?? 0) > depth; j++) within.add(tree[j]?.id ?? -1);
		}
		people = people.filter((p) => within.has(p.unitId));
	}

	const best = new Map<number, AttemptRow>();
	for (const p of people) {
		const b = bestAttempt(attemptsOf.get(p.id) ?? []);
		if (b) best.set(p.id, b);
	}
	const bestIds = [...best.values()].map((a) => a.id);
	const areaRows: { attempt_id: number; area_id: number; earned_cents: number; possible_cents: number }[] = [];
	// Chunked: SQLite allows at most 32,766 bound parameters in one statement.
	for (let i = 0; i < bestIds.length; i += 1000) {
		areaRows.push(...(await db.selectFrom('attempt_area').selectAll().where('attempt_id', 'in', bestIds.slice(i, i + 1000)).execute()));
	}
	const areasOf = new Map<number, Record<number, AreaScore>>();
	for (const a of areaRows) {
		const record = areasOf.get(a.attempt_id) ?? {};
		record[a.area_id] = { earnedCents: a.earned_cents, possibleCents: a.possible_cents };
		areasOf.set(a.attempt_id, record);
	}
	const areaIds = [...new Set(areaRows.map((a) => a.area_id))];
	const areas = areaIds.length
		? (
				await db
					.selectFrom('content_area')
					.select(['id', 'code', 'name_zh', 'name_en'])
					.where('id', 'in', areaIds)
					.orderBy('sort_order')
					.orderBy('id')
					.execute()
			).map((a) => ({ id: a.id, code: a.code, nameZh: a.name_zh, nameEn: a.name_en }))
		: [];

	const rows: ResultRow[] = people.map((p) => {
		const b = best.get(p.id);
		return {
			memberId: p.id,
			name: p.name,
			loginId: p.loginId,
			unitId: p.unitId,
			unitPath: p.unitPath,
			inAudience: p.inAudience,
			attempts: attemptsOf.get(p.id)?.length ?? 0,
			bestAttemptId: b?.id ?? null,
			scoreCents: b?.score_cents ?? null,
			maxCents: b?.max_cents ?? null,
			passed: b ? b.passed === 1 : null,
			submittedAt: b?.submitted_at == null ? null : b.submitted_at - (b.submitted_at % 60_000),
			how: b?.submitted_how ?? null,
			mode: b?.mode ?? null,
			areas: b ? (areasOf.get(b.id) ?? {}) : {}
		};
	});
	sortResults(rows, filter.sort ?? 'unit');

	const scores = rows.flatMap((r) => (r.scoreCents === null ? [] : [r.scoreCents]));
	const passedCount = rows.filter((r) => r.passed === true).length;
	const summary: ResultsSummary = {
		members: rows.length,
		takers: scores.length,
		meanCents: scores.length ? Math.round(scores.reduce((n, s) => n + s, 0) / scores.length) : null,
		passed: passedCount,
		passRate: scores.length ? passedCount / scores.length : null
	};
	return { exam: header(exam, now), areas, rows, summary };
}

/**
 * Sorts in place. `unit` keeps the tree order the rows come in (then login id); scores put members without a
 * result last either way, so "lowest first" lists the weakest results rather than everyone who has not taken it.
 */
export function sortResults(rows: ResultRow[], sort: ResultsSort): ResultRow[] {
	const byScore = (dir: 1 | -1) => (a: ResultRow, b: ResultRow) => {
		if (a.scoreCents === null || b.scoreCents === null) return (a.scoreCents === null ? 1 : 0) - (b.scoreCents === null ? 1 : 0);
		return dir * (a.scoreCents - b.scoreCents);
	};
	const stable = rows.map((r, i) => [r, i] as const);
	const compare: Record<ResultsSort, (a: ResultRow, b: ResultRow) => number> = {
		unit: () => 0,
		score_desc: byScore(-1),
		score_asc: byScore(1),
		name: (a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.loginId.localeCompare(b.loginId)
	};
	stable.sort(([a, i], [b, j]) => compare[sort](a, b) || i - j);
	stable.forEach(([r], k) => (rows[k] = r));
	return rows;
}
