import { sha256 } from '@oslojs/crypto/sha2';
import type { Difficulty, QuestionType } from '../bank/types';

// Paper generation for the quarterly theory test. Each member's paper is drawn when they start, so it has to be
// rebuildable for an audit from nothing but the test's seed, the member and the same pool: every random choice
// below comes from one PRNG seeded with SHA-256(`${seed}:${memberId}`) and is consumed in a fixed order.
// Changing anything that affects that order (the PRNG, the order of draws, the sort of the pool) changes every
// paper rebuilt from a stored seed, so such a change must bump `paperAlgorithmVersion`.
//
// Feasibility is a bipartite matching: blueprint rows offer `count` slots, a question may fit several rows (it
// has several areas) but fills at most one slot. The draw is the greedy algorithm of the transversal matroid:
// questions are offered in preference order (not recently seen first, then seen; random order within each) and
// kept when the questions kept so far plus this one can still be matched to slots (an augmenting path exists).
// Matroid greedy gives a maximum matching that contains the preferred questions whenever possible, so seen
// questions are used only when the blueprint cannot be met otherwise, and the fewest of them.

export type BlueprintRow = { areaId: number; type: QuestionType; difficulty: Difficulty; count: number; points: number };
export type Candidate = {
	questionId: number;
	versionId: number;
	areaIds: number[];
	type: QuestionType;
	difficulty: Difficulty;
	optionCount: number;
};
export type PaperInput = {
	seed: string;
	memberId: number;
	blueprint: BlueprintRow[];
	candidates: Candidate[];
	/** question ids this member saw in the previous four quarters */
	recentlySeen: number[];
};
export type PaperItem = {
	/** 1-based, in paper order */
	position: number;
	questionId: number;
	versionId: number;
	points: number;
	/** blueprint row index (into the blueprint as given, zero-count rows included) */
	row: number;
	/** display order: optionOrder[k] = original option index shown k-th; [] for true_false/fill */
	optionOrder: number[];
};
/** `available`: questions in the pool that fit the row at all; `missing`: slots left empty in a maximum assignment. */
export type RowShortfall = { row: number; needed: number; available: number; missing: number };

/** Sections in the usual order: 单选, 多选, 判断, 填空. */
export const typeOrder: QuestionType[] = ['single', 'multiple', 'true_false', 'fill'];

/** Stored with a paper, so an audit knows which rules rebuild it. Bump on any change to what a seed produces. */
export const paperAlgorithmVersion = 1;

const difficultyOrder: Difficulty[] = ['easy', 'medium', 'hard'];

/** Rows vs questions, computed once per call: the pool sorted by question id, and who fits where. */
type Prepared = {
	/** The pool sorted by questionId, so the caller's order cannot change the paper. */
	pool: Candidate[];
	/** Blueprint row indexes with count > 0, in blueprint order. */
	activeRows: number[];
	/** Per pool index: active rows it fits (ascending), or null when it fits none. */
	rowsOf: (number[] | null)[];
	/** Pool indexes that fit at least one active row, ascending. */
	relevant: number[];
};

const typeIndex: Record<QuestionType, number> = { single: 0, multiple: 1, true_false: 2, fill: 3 };
const difficultyIndex: Record<Difficulty, number> = { easy: 0, medium: 1, hard: 2 };

function cellKey(areaId: number, type: QuestionType, difficulty: Difficulty): number {
	// A number rather than a string key: this runs for every area of every candidate on every paper.
	return (areaId * 4 + typeIndex[type]) * 3 + difficultyIndex[difficulty];
}

function validateBlueprint(blueprint: BlueprintRow[]): void {
	blueprint.forEach((row, i) => {
		// A bad row is a bug in the caller (the form validates what people type), not something to report.
		if (!Number.isInteger(row.count) || row.count < 0) throw new Error(`blueprint row ${i}: count must be an integer ≥ 0, got ${row.count}`);
		if (!Number.isFinite(row.points) || row.points < 0) throw new Error(`blueprint row ${i}: points must be a number ≥ 0, got ${row.points}`);
		if (!typeOrder.includes(row.type)) throw new Error(`blueprint row ${i}: unknown type ${String(row.type)}`);
		if (!difficultyOrder.includes(row.difficulty)) throw new Error(`blueprint row ${i}: unknown difficulty ${String(row.difficulty)}`);
	});
}

function prepare(blueprint: BlueprintRow[], candidates: Candidate[]): Prepared {
	validateBlueprint(blueprint);
	const pool = [...candidates].sort((a, b) => a.questionId - b.questionId);
	for (let i = 1; i < pool.length; i++) {
		// Two entries for one question (say, two versions) could put it on a paper twice.
		if (pool[i]?.questionId === pool[i - 1]?.questionId) throw new Error(`duplicate candidate question ${pool[i]?.questionId}`);
	}

	const activeRows: number[] = [];
	const rowsByCell = new Map<number, number[]>();
	blueprint.forEach((row, i) => {
		if (row.count === 0) return;
		activeRows.push(i);
		const key = cellKey(row.areaId, row.type, row.difficulty);
		const rows = rowsByCell.get(key);
		if (rows) rows.push(i);
		else rowsByCell.set(key, [i]);
	});

	const rowsOf: (number[] | null)[] = new Array<number[] | null>(pool.length).fill(null);
	const relevant: number[] = [];
	// Plain loops and shared arrays: this is the hot part of a paper (every candidate, every call).
	for (let q = 0; q < pool.length; q++) {
		const c = pool[q] as Candidate;
		let rows: number[] | null = null;
		let copied = false;
		for (const areaId of c.areaIds) {
			const fit = rowsByCell.get(cellKey(areaId, c.type, c.difficulty));
			if (!fit || fit === rows) continue;
			if (rows === null) {
				// Shared with rowsByCell and never mutated: most questions have one area, so no copy is needed.
				rows = fit;
				continue;
			}
			if (!copied) {
				rows = [...rows];
				copied = true;
			}
			for (const r of fit) if (!rows.includes(r)) rows.push(r);
		}
		if (rows === null) continue;
		// Ascending (each cell's list already is), so the search below visits rows in the same order whatever
		// order the areas were listed in.
		if (copied) rows.sort((a, b) => a - b);
		rowsOf[q] = rows;
		relevant.push(q);
	}
	return { pool, activeRows, rowsOf, relevant };
}

/**
 * The rows a maximum assignment leaves short. Rows are served in blueprint order (each slot by an augmenting
 * path, Kuhn's algorithm with row capacities), and a slot once filled stays filled, so a shortfall lands on the
 * later of two competing rows — deterministic, and the same whatever order the pool is in.
 */
function shortfallOf(blueprint: BlueprintRow[], p: Prepared): RowShortfall[] {
	const fit = new Map<number, number[]>();
	for (const r of p.activeRows) fit.set(r, []);
	for (const q of p.relevant) for (const r of p.rowsOf[q] ?? []) fit.get(r)?.push(q);

	const rowOfQuestion = new Int32Array(p.pool.length).fill(-1);
	// A question once matched stays matched (augmenting only moves it), so each row's scan for a free question
	// can resume where it stopped; that keeps a large pool linear instead of rescanning it per slot.
	const scan = new Map<number, number>();
	const visited = new Map<number, number>();
	let stamp = 0;

	const augment = (r: number): boolean => {
		visited.set(r, stamp);
		const list = fit.get(r) ?? [];
		let i = scan.get(r) ?? 0;
		while (i < list.length && rowOfQuestion[list[i] ?? 0] !== -1) i++;
		scan.set(r, i);
		const free = list[i];
		if (free !== undefined) {
			rowOfQuestion[free] = r;
			return true;
		}
		// Every question of this row is taken (so there are at most as many as slots): try moving one along.
		for (const q of list) {
			const holder = rowOfQuestion[q] ?? -1;
			if (holder === r || visited.get(holder) === stamp) continue;
			if (augment(holder)) {
				rowOfQuestion[q] = r;
				return true;
			}
		}
		return false;
	};

	const shortfall: RowShortfall[] = [];
	for (const r of p.activeRows) {
		const row = blueprint[r];
		if (!row) continue;
		let filled = 0;
		while (filled < row.count) {
			stamp++;
			if (!augment(r)) break; // no augmenting path now means none later either (Kuhn), so stop trying
			filled++;
		}
		if (filled < row.count) {
			shortfall.push({ row: r, needed: row.count, available: fit.get(r)?.length ?? 0, missing: row.count - filled });
		}
	}
	return shortfall;
}

/** `[]` when every row can be filled at once (distinct questions); otherwise the rows a maximum assignment leaves short. */
export function checkBlueprint(blueprint: BlueprintRow[], candidates: Candidate[]): RowShortfall[] {
	return shortfallOf(blueprint, prepare(blueprint, candidates));
}

/** xoshiro128** (Blackman & Vigna): small, fast, and its output is specified exactly, which an audit needs. */
class Random {
	private s0: number;
	private s1: number;
	private s2: number;
	private s3: number;

	constructor(seedBytes: Uint8Array) {
		const view = new DataView(seedBytes.buffer, seedBytes.byteOffset, seedBytes.byteLength);
		// All 256 bits of the hash count: the two halves are folded into the 128-bit state.
		this.s0 = (view.getUint32(0) ^ view.getUint32(16)) >>> 0;
		this.s1 = (view.getUint32(4) ^ view.getUint32(20)) >>> 0;
		this.s2 = (view.getUint32(8) ^ view.getUint32(24)) >>> 0;
		this.s3 = (view.getUint32(12) ^ view.getUint32(28)) >>> 0;
		// The all-zero state would only ever produce zeros; a hash never gives it in practice, but be exact.
		if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
	}

	next(): number {
		const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
		const t = this.s1 << 9;
		this.s2 ^= this.s0;
		this.s3 ^= this.s1;
		this.s1 ^= this.s2;
		this.s0 ^= this.s3;
		this.s2 ^= t;
		this.s3 = rotl(this.s3, 11);
		return result;
	}

	/** Uniform in 0..n-1 (n ≤ 2³²); rejection instead of a bare modulo, so no index is favoured. */
	below(n: number): number {
		const limit = 0x1_0000_0000 - (0x1_0000_0000 % n);
		let x = this.next();
		while (x >= limit) x = this.next();
		return x % n;
	}

	/** Fisher–Yates, in place. */
	shuffle<T>(items: T[]): T[] {
		for (let i = items.length - 1; i > 0; i--) {
			const j = this.below(i + 1);
			const a = items[i] as T;
			items[i] = items[j] as T;
			items[j] = a;
		}
		return items;
	}
}

function rotl(x: number, k: number): number {
	return (x << k) | (x >>> (32 - k));
}

function randomFor(seed: string, memberId: number): Random {
	return new Random(sha256(new TextEncoder().encode(`${seed}:${memberId}`)));
}

/**
 * One member's paper: exactly the blueprint, unseen questions first, deterministic from seed and member.
 * `{ ok: false }` with the same shortfall `checkBlueprint` reports when the pool cannot meet the blueprint.
 */
export function generatePaper(input: PaperInput): { ok: true; items: PaperItem[] } | { ok: false; shortfall: RowShortfall[] } {
	const { blueprint } = input;
	const p = prepare(blueprint, input.candidates);
	const random = randomFor(input.seed, input.memberId);

	const free = new Int32Array(blueprint.length);
	let slots = 0;
	for (const r of p.activeRows) {
		const count = blueprint[r]?.count ?? 0;
		free[r] = count;
		slots += count;
	}
	const members: number[][] = blueprint.map(() => []);
	const rowOfQuestion = new Int32Array(p.pool.length).fill(-1);
	// A row whose search failed is closed: full, and its questions fit nowhere with room. No later augmenting
	// path can pass through it, so it is skipped for good; this keeps the whole draw near-linear in the pool.
	const dead = new Uint8Array(blueprint.length);
	const visited = new Int32Array(blueprint.length);
	const touched: number[] = [];
	let stamp = 0;

	const place = (q: number): boolean => {
		const rows = p.rowsOf[q] ?? [];
		const mine: number[] = [];
		for (const r of rows) {
			if (dead[r] || visited[r] === stamp) continue;
			visited[r] = stamp;
			touched.push(r);
			if ((free[r] ?? 0) > 0) {
				free[r] = (free[r] ?? 0) - 1;
				members[r]?.push(q);
				rowOfQuestion[q] = r;
				return true;
			}
			mine.push(r);
		}
		// All rows this question fits are full: make room by moving one of their questions to another row.
		for (const r of mine) {
			const list = members[r] ?? [];
			for (let k = 0; k < list.length; k++) {
				const other = list[k] ?? -1;
				if (place(other)) {
					list[k] = q;
					rowOfQuestion[q] = r;
					return true;
				}
			}
		}
		return false;
	};

	const seen = new Set(input.recentlySeen);
	const fresh: number[] = [];
	const stale: number[] = [];
	for (const q of p.relevant) (seen.has(p.pool[q]?.questionId ?? -1) ? stale : fresh).push(q);

	let filled = 0;
	// Unseen questions first, then seen ones, each group in a uniformly random order (a Fisher–Yates shuffle
	// drawn lazily, so a large pool costs random numbers only for the questions actually looked at).
	for (const group of [fresh, stale]) {
		for (let i = 0; i < group.length && filled < slots; i++) {
			const j = i + random.below(group.length - i);
			const q = group[j] ?? -1;
			group[j] = group[i] ?? -1;
			group[i] = q;
			const rows = p.rowsOf[q] ?? [];
			if (rows.every((r) => dead[r])) continue;
			stamp++;
			touched.length = 0;
			if (place(q)) filled++;
			else for (const r of touched) dead[r] = 1;
		}
	}
	if (filled < slots) return { ok: false, shortfall: shortfallOf(blueprint, p) };

	// Sections in typeOrder; within one, a random order. Sorting by question id first makes the shuffle's input
	// independent of how the matching happened to place questions.
	const chosen = p.relevant.filter((q) => (rowOfQuestion[q] ?? -1) >= 0);
	const items: PaperItem[] = [];
	for (const type of typeOrder) {
		const section = random.shuffle(chosen.filter((q) => p.pool[q]?.type === type));
		for (const q of section) {
			const c = p.pool[q];
			const r = rowOfQuestion[q] ?? -1;
			if (!c) continue;
			const choice = c.type === 'single' || c.type === 'multiple';
			items.push({
				position: items.length + 1,
				questionId: c.questionId,
				versionId: c.versionId,
				points: blueprint[r]?.points ?? 0,
				row: r,
				optionOrder: choice ? random.shuffle(optionIndexes(c)) : []
			});
		}
	}
	return { ok: true, items };
}

function optionIndexes(c: Candidate): number[] {
	// Options come from the bank (2..8 of them); anything else here is a bug upstream, not a paper to print.
	if (!Number.isInteger(c.optionCount) || c.optionCount < 0) throw new Error(`question ${c.questionId}: bad optionCount ${c.optionCount}`);
	return Array.from({ length: c.optionCount }, (_, k) => k);
}
