import { sql } from 'kysely';
import type { Db } from '../db';
import { stringAgg } from '../db/dialect';
import type { ExamKind } from '../db/schema';
import type { QuestionType } from '../bank/types';
import { countedAttempts } from './counted';
import {
	alphaFromVariances,
	groupDifference,
	itemRestCorrelation,
	kr20FromProportions,
	levelGroups,
	mean,
	median,
	nestedReliabilityFromSums,
	standardDeviation,
	standardErrorOfMeasurement,
	variance,
	varies,
	type ExtremeGroups,
	type PaperSums
} from './statistics';

// Item analysis of one published test, for the committee (issue 6): how each question did, and how far the test's
// scores can be trusted. The formulas are in statistics.ts; the choices made here are in README.md ("Item analysis").
//
// - Attempts: each member's counted attempt (counted.ts: the best submitted one). A practice test may be analysed
//   too (the committee checks its questions as well); the same best-attempt rule picks its attempts.
// - A member's paper is a random draw, so a question is on some papers only: each question's numbers are over the
//   attempts that had it. A taker's total is their percent score (score / paper total), the same on every paper.
// - The only dashboard that reads attempt_item: one query, each counted attempt's items packed into one text, the
//   options read from choice answers without JSON.parse, and the result kept in memory until a submission or a
//   regrade changes it (`itemAnalysis`).

/**
 * Flag thresholds for the "too easy" and "too hard": rules of thumb chosen for this project (p above 0.9,
 * below 0.2), not a standard. Item-analysis texts
 * make the reason plain (Crocker & Algina 1986, item analysis): an item almost everyone gets right, or almost
 * nobody does, adds almost nothing to the spread of scores and says little about who knows more. The flags are
 * prompts to look at a question, not verdicts.
 */
export const tooEasyAbove = 0.9;
export const tooHardBelow = 0.2;
/** "Below zero" as the page shows it, to two decimals: an r of −0.001 prints as 0.00 and is noise, not a warning. */
export const negativeBelow = -0.005;

/**
 * - too_easy / too_hard: facility outside tooHardBelow..tooEasyAbove;
 * - negative: the corrected correlation or the 27% index below 0 (weaker takers did better: a wrong key, an
 *   ambiguous stem);
 * - unused_option: a wrong option of a choice question that no taker chose (it distracts nobody).
 */
export type ItemFlag = 'too_easy' | 'too_hard' | 'negative' | 'unused_option';
export type ReliabilityKind = 'kr20' | 'alpha' | 'nested';

/** Shares of takers (0..1). For true/false, option 0 is 正确 (true) and 1 is 错误 (false). */
export type OptionStats = { index: number; key: boolean; chosen: number; share: number; upper: number | null; lower: number | null };

export type ItemStats = {
	questionId: number;
	type: QuestionType;
	/** Stem of the version whose key scored the latest papers. */
	stem: string;
	pointsCents: number;
	/** Counted attempts whose paper had the question. */
	n: number;
	facility: number | null;
	/** Corrected item-total (point-biserial) correlation with the rest of the paper, in percent. */
	itemRest: number | null;
	/** Upper-lower 27% index (null when the item's score does not vary) and the two groups' facilities (whenever there are groups). */
	discrimination: number | null;
	upper: number | null;
	lower: number | null;
	groupSize: number | null;
	/** Choice questions only (original option order, A = 0); [] for fill in the blank. */
	options: OptionStats[];
	/** Takers who left a choice question blank; null for fill in the blank. */
	omitted: Omit<OptionStats, 'index' | 'key'> | null;
	flags: ItemFlag[];
	/** The papers were scored with different keys (a key was corrected and the regrade is not done yet). */
	keyChanged: boolean;
};

export type ItemAnalysis = {
	exam: { id: number; title: string; quarter: string; kind: ExamKind };
	/** When these numbers were computed (see `freshForMs`). */
	computedAt: number;
	takers: number;
	/** Percent scores (0..100) of the counted attempts. */
	mean: number | null;
	median: number | null;
	/** Population SD (statistics.ts `variance` says why). */
	sd: number | null;
	/** kr20 / alpha when every taker had the same questions; nested otherwise. README.md "Reliability". */
	reliability: { kind: ReliabilityKind; value: number | null };
	sem: number | null;
	items: ItemStats[];
};

const typeOrder: Record<QuestionType, number> = { single: 0, multiple: 1, true_false: 2, fill: 3 };

type Cached = { attempts: string; regrade: number; at: number; analysis: ItemAnalysis };
// Per database (tests open many), per test; a handful of tests are looked at in a quarter.
const cache = new WeakMap<Db, Map<number, Cached>>();
const cacheSize = 16;

/**
 * How long a result may be shown after new submissions came in. Computing a 10,000-taker test takes about a
 * second of the server's only JavaScript thread; while a test is open and members submit every few seconds,
 * recomputing on every look would take that second from the members' autosaves again and again. A regrade is
 * always shown at once.
 */
export const freshForMs = 60_000;

/**
 * Item analysis of a published test, or null for a draft or a missing one. Computed once and kept until its
 * stamp changes: the number, last submission time and score sum of the test's submitted attempts (new
 * submissions: recomputed once the result is `freshForMs` old) and its last regrade (at once; a regrade that
 * changes no score still moves the key shown).
 */
export async function itemAnalysis(db: Db, examId: number, now = Date.now()): Promise<ItemAnalysis | null> {
	const exam = await db
		.selectFrom('exam')
		.select(['id', 'title', 'quarter', 'kind', 'status'])
		.select((eb) => [
			eb
				.selectFrom('attempt')
				.select(sql<string>`count(*) || ':' || coalesce(max(submitted_at), 0) || ':' || coalesce(sum(score_cents), 0)`.as('s'))
				.where('attempt.exam_id', '=', examId)
				.where('attempt.submitted_at', 'is not', null)
				.as('attempts'),
			eb.selectFrom('exam_regrade').select(sql<number>`coalesce(max(id), 0)`.as('r')).where('exam_regrade.exam_id', '=', examId).as('regrade')
		])
		.where('id', '=', examId)
		.executeTakeFirst();
	if (!exam || exam.status !== 'published') return null;
	const attempts = exam.attempts ?? '';
	const regrade = exam.regrade ?? 0;
	let byExam = cache.get(db);
	if (!byExam) cache.set(db, (byExam = new Map()));
	const hit = byExam.get(examId);
	if (hit && hit.regrade === regrade && (hit.attempts === attempts || now - hit.at < freshForMs)) {
		// Most recently used last, so the oldest entry is the first to go.
		byExam.delete(examId);
		byExam.set(examId, hit);
		return hit.analysis;
	}
	const analysis = await compute(db, { id: exam.id, title: exam.title, quarter: exam.quarter, kind: exam.kind }, now);
	byExam.set(examId, { attempts, regrade, at: now, analysis });
	if (byExam.size > cacheSize) byExam.delete(byExam.keys().next().value as number);
	return analysis;
}

async function compute(db: Db, exam: ItemAnalysis['exam'], now: number): Promise<ItemAnalysis> {
	const counted = countedAttempts(db, ['quarterly', 'practice']).where('exam_result.exam_id', '=', exam.id);
	const countedIds = db.selectFrom(counted.as('c')).select('c.attempt_id');
	// One row per counted attempt with its items packed into one text, `question,keyVersion,earned,points,answer;…`
	// (answers of choice questions only): SQLite packs each attempt's items as it reads them, without sorting,
	// and JavaScript builds 10,000 rows instead of 500,000 (measured: several times faster than a row per item).
	// group_concat on SQLite, string_agg on PostgreSQL (db/dialect.ts).
	const packed = await db
		.selectFrom('attempt')
		.innerJoin('attempt_item', 'attempt_item.attempt_id', 'attempt.id')
		.select(['attempt.id', 'attempt.score_cents', 'attempt.max_cents'])
		.select(
			stringAgg(
				db,
				sql`attempt_item.question_id || ',' || attempt_item.key_version_id || ',' || coalesce(attempt_item.earned_cents, 0) || ',' || attempt_item.points_cents || ',' || case when attempt_item.type = 'fill' then '' else coalesce(attempt_item.answer, '') end`,
				';'
			).as('items')
		)
		.where('attempt_item.attempt_id', 'in', countedIds)
		.groupBy('attempt.id')
		.execute();
	const p = parse(packed);
	const keys = await keyVersions(db, p.questions.flatMap((q) => q.keyVersions));
	const columns = byQuestion(p);
	const items = p.questions.map((q, qi) => itemStats(q, keys, columns, qi));
	items.sort((x, y) => typeOrder[x.type] - typeOrder[y.type] || x.questionId - y.questionId);

	const sd = standardDeviation(p.percent);
	const reliability = testReliability(p, columns);
	return {
		exam,
		computedAt: now,
		takers: p.n,
		mean: mean(p.percent),
		median: median(p.percent),
		sd,
		reliability,
		sem: standardErrorOfMeasurement(sd, reliability.value),
		items
	};
}

type QuestionSeen = { id: number; keyVersions: number[] };

/** The packed rows read into flat columns, one entry per (attempt, item), attempt after attempt. */
type Parsed = {
	n: number;
	percent: Float64Array;
	scoreCents: Float64Array;
	maxCents: Float64Array;
	/** Each attempt's entries are start[a] … start[a + 1] − 1. */
	start: Int32Array;
	question: Int32Array;
	earned: Int32Array;
	points: Int32Array;
	mask: Int32Array;
	questions: QuestionSeen[];
	/** Per attempt: items, Σ and Σ² of item scores (earned / points), points earned. */
	paper: { items: Int32Array; sum: Float64Array; sumSquares: Float64Array; earned: Float64Array };
};

function parse(rows: { score_cents: number | null; max_cents: number; items: string | null }[]): Parsed {
	const n = rows.length;
	let capacity = Math.max(64, n * 32);
	let question: Int32Array<ArrayBuffer> = new Int32Array(capacity);
	let earnedCol: Int32Array<ArrayBuffer> = new Int32Array(capacity);
	let pointsCol: Int32Array<ArrayBuffer> = new Int32Array(capacity);
	let maskCol: Int32Array<ArrayBuffer> = new Int32Array(capacity);
	const percent = new Float64Array(n);
	const scoreCents = new Float64Array(n);
	const maxCents = new Float64Array(n);
	const start = new Int32Array(n + 1);
	const paper = { items: new Int32Array(n), sum: new Float64Array(n), sumSquares: new Float64Array(n), earned: new Float64Array(n) };
	const questions: QuestionSeen[] = [];
	const indexOf = new Map<number, number>();
	const lastKey: number[] = [];
	let t = 0;
	for (let a = 0; a < n; a++) {
		const row = rows[a] as (typeof rows)[number];
		scoreCents[a] = row.score_cents ?? 0;
		maxCents[a] = row.max_cents;
		percent[a] = row.max_cents > 0 ? (100 * (row.score_cents ?? 0)) / row.max_cents : 0;
		start[a] = t;
		const text = row.items ?? '';
		let i = 0;
		let items = 0;
		let sum = 0;
		let sumSquares = 0;
		let earnedTotal = 0;
		while (i < text.length) {
			// Four integers, then the answer up to the next ';' (a choice answer's JSON has none).
			const questionId = readInt(text, i);
			i = next;
			const keyVersion = readInt(text, i);
			i = next;
			const earned = readInt(text, i);
			i = next;
			const points = readInt(text, i);
			i = next;
			let end = text.indexOf(';', i);
			if (end < 0) end = text.length;
			let qi = indexOf.get(questionId);
			if (qi === undefined) {
				qi = questions.length;
				indexOf.set(questionId, qi);
				questions.push({ id: questionId, keyVersions: [] });
				lastKey.push(-1);
			}
			if (lastKey[qi] !== keyVersion) {
				lastKey[qi] = keyVersion;
				const seen = (questions[qi] as QuestionSeen).keyVersions;
				if (!seen.includes(keyVersion)) seen.push(keyVersion);
			}
			if (t === capacity) {
				capacity *= 2;
				question = grow(question, capacity);
				earnedCol = grow(earnedCol, capacity);
				pointsCol = grow(pointsCol, capacity);
				maskCol = grow(maskCol, capacity);
			}
			question[t] = qi;
			earnedCol[t] = earned;
			pointsCol[t] = points;
			maskCol[t] = end > i ? choiceMask(text, i, end) : 0;
			t++;
			const x = points > 0 ? earned / points : 0;
			items += 1;
			sum += x;
			sumSquares += x * x;
			earnedTotal += earned;
			i = end + 1;
		}
		paper.items[a] = items;
		paper.sum[a] = sum;
		paper.sumSquares[a] = sumSquares;
		paper.earned[a] = earnedTotal;
	}
	start[n] = t;
	return { n, percent, scoreCents, maxCents, start, question, earned: earnedCol, points: pointsCol, mask: maskCol, questions, paper };
}

// readInt leaves the position after the integer's separator here (one module-level variable instead of an object per call).
let next = 0;
function readInt(text: string, from: number): number {
	let v = 0;
	let i = from;
	let c = text.charCodeAt(i);
	while (c >= 48 && c <= 57) {
		v = v * 10 + (c - 48);
		c = text.charCodeAt(++i);
	}
	next = i + 1;
	return v;
}

function grow(array: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
	const bigger = new Int32Array(capacity);
	bigger.set(array);
	return bigger;
}

/**
 * The entries regrouped question by question, each question's attempts from the highest percent score down
 * (attempts are visited in score order once, so no question needs its own sort). Question qi is
 * offset[qi] … offset[qi + 1] − 1; `x` is earned / points, `rest` the rest of the paper in percent (NaN if none).
 */
type Columns = { offset: Int32Array; x: Float64Array; total: Float64Array; rest: Float64Array; mask: Int32Array; earned: Float64Array; points: Int32Array };

function byQuestion(p: Parsed): Columns {
	const q = p.questions.length;
	const size = p.start[p.n] as number;
	const offset = new Int32Array(q + 1);
	for (let t = 0; t < size; t++) offset[(p.question[t] as number) + 1] = (offset[(p.question[t] as number) + 1] as number) + 1;
	for (let i = 0; i < q; i++) offset[i + 1] = (offset[i + 1] as number) + (offset[i] as number);
	const cursor = offset.slice(0, q);
	const columns: Columns = {
		offset,
		x: new Float64Array(size),
		total: new Float64Array(size),
		rest: new Float64Array(size),
		mask: new Int32Array(size),
		earned: new Float64Array(size),
		points: new Int32Array(size)
	};
	const byScore = Array.from({ length: p.n }, (_, i) => i).sort((a, b) => (p.percent[b] as number) - (p.percent[a] as number));
	for (const a of byScore) {
		const score = p.scoreCents[a] as number;
		const max = p.maxCents[a] as number;
		const percent = p.percent[a] as number;
		for (let t = p.start[a] as number; t < (p.start[a + 1] as number); t++) {
			const qi = p.question[t] as number;
			const at = cursor[qi] as number;
			cursor[qi] = at + 1;
			const earned = p.earned[t] as number;
			const points = p.points[t] as number;
			columns.x[at] = points > 0 ? earned / points : 0;
			columns.total[at] = percent;
			// The rest of the paper in percent of its points, so papers of any total compare.
			columns.rest[at] = max - points > 0 ? (100 * (score - earned)) / (max - points) : NaN;
			columns.mask[at] = p.mask[t] as number;
			columns.earned[at] = earned;
			columns.points[at] = points;
		}
	}
	return columns;
}

/**
 * The chosen options of a stored answer as a bit mask over ORIGINAL option indexes (bit i = option i; true/false:
 * bit 0 true, bit 1 false); 0 when blank. Answers are stored by exams/scoring.ts as `{"type":"single","choice":2}`,
 * `{"type":"multiple","choices":[0,2]}`, `{"type":"true_false","value":true}`: the only digits in a choice answer
 * are its option indexes (0–7, one digit each), which is all this reads; no JSON.parse for half a million rows.
 */
export function choiceMask(text: string, start = 0, end = text.length): number {
	let mask = 0;
	for (let i = start; i < end; i++) {
		const c = text.charCodeAt(i);
		if (c >= 48 && c <= 55) mask |= 1 << (c - 48);
		// `"value":true`; the type `"true_false"` follows a colon too, but with a quote.
		else if (c === 58 /* : */ && text.startsWith(':true', i)) return 1;
		else if (c === 58 && text.startsWith(':false', i)) return 2;
	}
	return mask;
}

type KeyVersion = { questionId: number; type: QuestionType; stem: string; options: number; key: number; answer: string };

/** The versions whose keys scored the papers: the key as a bit mask (like choiceMask), the option count, the stem. */
async function keyVersions(db: Db, ids: number[]): Promise<Map<number, KeyVersion>> {
	const out = new Map<number, KeyVersion>();
	if (ids.length === 0) return out;
	const rows = await db.selectFrom('question_version').select(['id', 'question_id', 'type', 'stem', 'options', 'answer']).where('id', 'in', [...new Set(ids)]).execute();
	for (const r of rows) {
		const correct = (JSON.parse(r.answer) as { correct?: number | number[] | boolean }).correct;
		let key = 0;
		if (r.type === 'single' && typeof correct === 'number') key = 1 << correct;
		if (r.type === 'multiple' && Array.isArray(correct)) for (const c of correct) key |= 1 << c;
		if (r.type === 'true_false') key = correct === true ? 1 : 2;
		const options = r.type === 'true_false' ? 2 : r.type === 'fill' ? 0 : (JSON.parse(r.options) as string[]).length;
		out.set(r.id, { questionId: r.question_id, type: r.type, stem: r.stem, options, key, answer: r.answer });
	}
	return out;
}

function itemStats(q: QuestionSeen, keys: Map<number, KeyVersion>, c: Columns, qi: number): ItemStats {
	const from = c.offset[qi] as number;
	const to = c.offset[qi + 1] as number;
	const m = to - from;
	const x = c.x.subarray(from, to);
	const total = c.total.subarray(from, to);
	const rest = c.rest.subarray(from, to);
	const masks = c.mask.subarray(from, to);

	const latest = keys.get(Math.max(...q.keyVersions));
	const type = latest?.type ?? 'fill';
	const keyChanged = new Set(q.keyVersions.map((v) => keys.get(v)?.answer)).size > 1;
	const facilityValue = mean(x);
	let restDefined = true;
	for (let s = 0; s < m; s++) if (Number.isNaN(rest[s])) restDefined = false;
	const itemRest = restDefined ? itemRestCorrelation(x, rest) : null;
	const groups = m >= 2 && varies(total) ? groupsOfSorted(total) : null;
	// The groups' facilities exist whenever the groups do; D only when the item's score varies (statistics.ts).
	const g = groups ? groupDifference(x, groups) : null;
	const d = g && varies(x) ? g : null;

	let options: OptionStats[] = [];
	let omitted: ItemStats['omitted'] = null;
	if (type !== 'fill') {
		// One pass: for each option (and for "left blank") how many chose it, and its weight in each group.
		const count = Math.max(latest?.options ?? 0, highestBit(masks));
		const chosen = new Float64Array(count + 1);
		const upper = new Float64Array(count + 1);
		const lower = new Float64Array(count + 1);
		for (let s = 0; s < m; s++) {
			const mask = masks[s] as number;
			const wu = groups ? (groups.upper[s] as number) : 0;
			const wl = groups ? (groups.lower[s] as number) : 0;
			for (let b = 0; b <= count; b++) {
				// The last slot is "left blank".
				if (b === count ? mask !== 0 : (mask & (1 << b)) === 0) continue;
				chosen[b] = (chosen[b] as number) + 1;
				upper[b] = (upper[b] as number) + wu;
				lower[b] = (lower[b] as number) + wl;
			}
		}
		const share = (i: number) => ({
			chosen: chosen[i] as number,
			share: m > 0 ? (chosen[i] as number) / m : 0,
			upper: groups ? (upper[i] as number) / groups.size : null,
			lower: groups ? (lower[i] as number) / groups.size : null
		});
		const key = latest?.key ?? 0;
		options = Array.from({ length: count }, (_, index) => ({ index, key: (key & (1 << index)) !== 0, ...share(index) }));
		omitted = share(count);
	}

	const flags: ItemFlag[] = [];
	if (facilityValue !== null && facilityValue > tooEasyAbove) flags.push('too_easy');
	if (facilityValue !== null && facilityValue < tooHardBelow) flags.push('too_hard');
	if ((itemRest !== null && itemRest < negativeBelow) || (d !== null && d.index < negativeBelow)) flags.push('negative');
	if ((type === 'single' || type === 'multiple') && options.some((o) => !o.key && o.chosen === 0)) flags.push('unused_option');

	return {
		questionId: q.id,
		type,
		stem: latest?.stem ?? '',
		pointsCents: m > 0 ? (c.points[to - 1] as number) : 0,
		n: m,
		facility: facilityValue,
		itemRest,
		discrimination: d?.index ?? null,
		upper: g?.upper ?? null,
		lower: g?.lower ?? null,
		groupSize: groups?.size ?? null,
		options,
		omitted,
		flags,
		keyChanged
	};
}

/** Number of options a set of masks reaches: the highest set bit + 1. */
function highestBit(masks: Int32Array): number {
	let all = 0;
	for (let s = 0; s < masks.length; s++) all |= masks[s] as number;
	return 32 - Math.clz32(all);
}

/** The 27% groups of takers already sorted by total, highest first: runs of equal totals are the levels. */
function groupsOfSorted(totalsDesc: Float64Array): ExtremeGroups | null {
	const levelOf = new Int32Array(totalsDesc.length);
	const counts: number[] = [];
	for (let s = 0; s < totalsDesc.length; s++) {
		if (s === 0 || totalsDesc[s] !== totalsDesc[s - 1]) counts.push(0);
		levelOf[s] = counts.length - 1;
		counts[counts.length - 1] = (counts[counts.length - 1] as number) + 1;
	}
	const levels = levelGroups(counts);
	if (!levels) return null;
	const upper = new Float64Array(totalsDesc.length);
	const lower = new Float64Array(totalsDesc.length);
	for (let s = 0; s < totalsDesc.length; s++) {
		upper[s] = levels.upper[levelOf[s] as number] as number;
		lower[s] = levels.lower[levelOf[s] as number] as number;
	}
	return { size: levels.size, upper, lower };
}

/**
 * Which coefficient (README.md "Reliability"): when every taker had the same questions, KR-20 if every item is
 * right/wrong with the same points (KR-20 then equals alpha), else Cronbach's alpha on the points earned; when
 * the papers differ, the reliability of a paper drawn at random (items nested in takers).
 */
function testReliability(p: Parsed, c: Columns): ItemAnalysis['reliability'] {
	const q = p.questions.length;
	const sizes = Array.from({ length: q }, (_, qi) => (c.offset[qi + 1] as number) - (c.offset[qi] as number));
	const common = p.n > 0 && sizes.every((size) => size === p.n);
	if (!common) {
		const sums: PaperSums[] = Array.from({ length: p.n }, (_, a) => ({
			items: p.paper.items[a] as number,
			sum: p.paper.sum[a] as number,
			sumSquares: p.paper.sumSquares[a] as number
		}));
		return { kind: 'nested', value: nestedReliabilityFromSums(sums) };
	}
	const points = c.points[0] as number;
	let dichotomous = points > 0;
	for (let t = 0; dichotomous && t < c.points.length; t++) {
		const e = c.earned[t] as number;
		dichotomous = c.points[t] === points && (e === 0 || e === points);
	}
	const question = (qi: number) => c.earned.subarray(c.offset[qi] as number, c.offset[qi + 1] as number);
	if (dichotomous) {
		const proportions = Array.from({ length: q }, (_, qi) => (mean(question(qi)) as number) / points);
		const numberRight = Float64Array.from(p.paper.earned, (e) => e / points);
		return { kind: 'kr20', value: kr20FromProportions(proportions, variance(numberRight) ?? 0) };
	}
	const itemVariances = Array.from({ length: q }, (_, qi) => variance(question(qi)) ?? 0);
	return { kind: 'alpha', value: alphaFromVariances(itemVariances, variance(p.paper.earned) ?? 0) };
}
