// Classical test statistics for item analysis (issue 6). Pure functions over numbers; `items.ts` feeds them the
// stored answers of one test. Every formula is written beside its function with where it comes from; README.md
// ("Statistics") has the same list with the full references. Functions answer null when a value does not exist
// (no data, or a division by a zero variance), never NaN, so pages show "—" rather than a made-up number.
//
// Notation: n takers, k items, x a score, X̄ the mean, σ² the variance.

/** How a variance is divided: by n (the group itself) or by n − 1 (an estimate for a larger population). */
export type Divisor = 'population' | 'sample';

/** X̄ = Σx / n. */
export function mean(xs: ArrayLike<number>): number | null {
	if (xs.length === 0) return null;
	let sum = 0;
	for (let i = 0; i < xs.length; i++) sum += xs[i] as number;
	return sum / xs.length;
}

/** The middle value after sorting; for an even n the mean of the two middle values. */
export function median(xs: ArrayLike<number>): number | null {
	const n = xs.length;
	if (n === 0) return null;
	const sorted = Float64Array.from(xs).sort();
	const mid = n >> 1;
	return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * σ² = Σ(x − X̄)² / n (population) or s² = Σ(x − X̄)² / (n − 1) (sample).
 *
 * Item analysis uses the POPULATION form throughout: the takers of a test are the whole group the committee is
 * describing, not a sample drawn to estimate some larger one, and it is the form of the textbook formulas for
 * KR-20 and alpha (Crocker & Algina 1986, chapters on reliability and item analysis). Both coefficients are ratios of variances, so they come
 * out the same with either divisor as long as one is used throughout; the population form also gives a single
 * taker an SD of 0 instead of nothing. The sample form needs n ≥ 2.
 */
export function variance(xs: ArrayLike<number>, divisor: Divisor = 'population'): number | null {
	const n = xs.length;
	const m = mean(xs);
	if (m === null || (divisor === 'sample' && n < 2)) return null;
	let ss = 0;
	for (let i = 0; i < n; i++) ss += ((xs[i] as number) - m) ** 2;
	return ss / (divisor === 'population' ? n : n - 1);
}

/** σ = √σ² (see `variance` for the divisor). */
export function standardDeviation(xs: ArrayLike<number>, divisor: Divisor = 'population'): number | null {
	const v = variance(xs, divisor);
	return v === null ? null : Math.sqrt(v);
}

/**
 * Pearson's r = Σ(x − X̄)(y − Ȳ) / √(Σ(x − X̄)² · Σ(y − Ȳ)²). Null when n < 2 or either variable does not vary
 * (the correlation is then undefined, not zero).
 */
export function pearson(xs: ArrayLike<number>, ys: ArrayLike<number>): number | null {
	const n = xs.length;
	if (n !== ys.length) throw new RangeError('pearson: xs and ys differ in length');
	if (n < 2) return null;
	const mx = mean(xs) as number;
	const my = mean(ys) as number;
	let sxy = 0;
	let sxx = 0;
	let syy = 0;
	for (let i = 0; i < n; i++) {
		const dx = (xs[i] as number) - mx;
		const dy = (ys[i] as number) - my;
		sxy += dx * dy;
		sxx += dx * dx;
		syy += dy * dy;
	}
	// Sums of squares of values that are all equal can come out as 1e-30 instead of 0.
	if (sxx <= 1e-12 * n || syy <= 1e-12 * n) return null;
	return sxy / Math.sqrt(sxx * syy);
}

/**
 * Facility (difficulty index, "p value"): p = mean item score / maximum item score, the share of the item's
 * points the takers earned. For a right/wrong item it is the share who got it right (Crocker & Algina 1986,
 * item analysis). Higher p = easier item.
 */
export function facility(scores: ArrayLike<number>, maxScore: number): number | null {
	const m = mean(scores);
	return m === null || !(maxScore > 0) ? null : m / maxScore;
}

/**
 * Corrected item-total correlation (the point-biserial correlation when the item is scored right/wrong):
 * r = Pearson(item score, rest score) where rest = total − item. Correlating with the total itself would include
 * the item in its own criterion and overstate r, most on short tests (Crocker & Algina 1986, item analysis:
 * the "corrected" item-total correlation). Null when n < 2 or the item or the rest does not vary (everyone got the item right).
 */
export function itemRestCorrelation(item: ArrayLike<number>, rest: ArrayLike<number>): number | null {
	return pearson(item, rest);
}

/** As `itemRestCorrelation`, given the totals that still include the item (same units as the item score). */
export function correctedItemTotal(item: ArrayLike<number>, total: ArrayLike<number>): number | null {
	if (item.length !== total.length) throw new RangeError('correctedItemTotal: lengths differ');
	const rest = new Float64Array(item.length);
	for (let i = 0; i < item.length; i++) rest[i] = (total[i] as number) - (item[i] as number);
	return itemRestCorrelation(item, rest);
}

/**
 * Kelley (1939): upper and lower groups of 27% of the takers by total score make the difference between the
 * groups' facilities most reliable for a normally distributed total.
 */
export const kelleyFraction = 0.27;

export type ExtremeGroups = {
	/** Group size g = round(0.27 · n), at least 1; each group's weights add up to g. */
	size: number;
	/** Weight (0..1) of each taker in the upper group, in the order of the totals given. */
	upper: Float64Array;
	lower: Float64Array;
};

/**
 * Upper and lower 27% groups by total score. g = round(fraction · n), rounding halves up (n = 50 → 13.5 → 14),
 * at least 1. Null when n < 2 (a single taker would be both groups).
 *
 * Ties at the cut: the takers whose total equals the total at the cut SHARE the places left, each with the same
 * fractional weight. Upper group of 3 from totals 90, 80, 80, 80, 70 → 90 has weight 1 and each 80 has 2/3.
 * This keeps every group at exactly g, never depends on the order rows happen to come in (as breaking ties by id
 * would), and treats equal scores equally. When one run of equal totals straddles both cuts (few distinct
 * scores), its takers carry the same weight in both groups and so add nothing to the difference.
 */
export function extremeGroups(totals: ArrayLike<number>, fraction = kelleyFraction): ExtremeGroups | null {
	const n = totals.length;
	const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (totals[b] as number) - (totals[a] as number));
	// Levels: runs of equal totals, highest first.
	const levelOf = new Int32Array(n);
	const counts: number[] = [];
	order.forEach((taker, position) => {
		if (position === 0 || totals[taker] !== totals[order[position - 1] as number]) counts.push(0);
		levelOf[taker] = counts.length - 1;
		counts[counts.length - 1] = (counts[counts.length - 1] as number) + 1;
	});
	const levels = levelGroups(counts, fraction);
	if (!levels) return null;
	return {
		size: levels.size,
		upper: Float64Array.from(levelOf, (l) => levels.upper[l] as number),
		lower: Float64Array.from(levelOf, (l) => levels.lower[l] as number)
	};
}

/**
 * The same groups from the number of takers at each distinct total (levels ordered from the highest total down):
 * the weight of ONE taker at each level. Every taker at a level has the same weight, so item analysis can count
 * answers per level in SQL instead of reading every taker.
 */
export function levelGroups(counts: ArrayLike<number>, fraction = kelleyFraction): ExtremeGroups | null {
	let n = 0;
	for (let i = 0; i < counts.length; i++) n += counts[i] as number;
	if (n < 2) return null;
	const size = Math.max(1, Math.round(fraction * n));
	return { size, upper: take(counts, size, 1), lower: take(counts, size, -1) };
}

/** Whole levels get weight 1 until the level at the cut shares the places left; walks down (1) or up (−1). */
function take(counts: ArrayLike<number>, size: number, step: 1 | -1): Float64Array {
	const weights = new Float64Array(counts.length);
	let left = size;
	for (let i = step === 1 ? 0 : counts.length - 1; i >= 0 && i < counts.length && left > 0; i += step) {
		const count = counts[i] as number;
		if (count === 0) continue;
		const w = count <= left ? 1 : left / count;
		weights[i] = w;
		left = count <= left ? left - count : 0;
	}
	return weights;
}

export type Discrimination = {
	/** D = p_upper − p_lower, in −1..1. */
	index: number;
	upper: number;
	lower: number;
	size: number;
};

/**
 * Upper-lower discrimination index (Kelley 1939; Ebel & Frisbie 1991, item analysis): D = p_U − p_L, the item's facility
 * (share of its points earned, 0..1) in the upper 27% group minus that in the lower 27% group, with the groups and
 * their tie weights from `extremeGroups`: p_U = Σ wᵢ xᵢ / g.
 *
 * Null when n < 2, when the totals do not vary (there is no upper or lower group), and when the item's score does
 * not vary (everyone got it right, or everyone wrong): D would be 0, which reads as "does not discriminate" when
 * the truth is that the data cannot say. The corrected correlation is null in the same cases.
 */
export function discriminationIndex(item: ArrayLike<number>, totals: ArrayLike<number>, fraction = kelleyFraction): Discrimination | null {
	if (item.length !== totals.length) throw new RangeError('discriminationIndex: lengths differ');
	if (!varies(item) || !varies(totals)) return null;
	const groups = extremeGroups(totals, fraction);
	return groups && groupDifference(item, groups);
}

/** D from groups already formed (item scores 0..1 in the same order as the groups' weights). */
export function groupDifference(item: ArrayLike<number>, groups: ExtremeGroups): Discrimination {
	let u = 0;
	let l = 0;
	for (let i = 0; i < item.length; i++) {
		u += (groups.upper[i] as number) * (item[i] as number);
		l += (groups.lower[i] as number) * (item[i] as number);
	}
	const upper = u / groups.size;
	const lower = l / groups.size;
	return { index: upper - lower, upper, lower, size: groups.size };
}

export function varies(xs: ArrayLike<number>): boolean {
	for (let i = 1; i < xs.length; i++) if (xs[i] !== xs[0]) return true;
	return false;
}

/**
 * Cronbach's alpha (Cronbach 1951) from the parts: α = k/(k − 1) · (1 − Σσᵢ² / σ_X²), σᵢ² the variance of item i
 * and σ_X² that of the totals (population variances; see `variance`). Null when k < 2 or the totals do not vary.
 * Alpha may be negative (items that disagree); it is reported as computed.
 */
export function alphaFromVariances(itemVariances: ArrayLike<number>, totalVariance: number): number | null {
	const k = itemVariances.length;
	if (k < 2 || !(totalVariance > 1e-12)) return null;
	let sum = 0;
	for (let i = 0; i < k; i++) sum += itemVariances[i] as number;
	return (k / (k - 1)) * (1 - sum / totalVariance);
}

/** Cronbach's alpha of a complete takers × items score matrix (items may carry partial credit). */
export function cronbachAlpha(matrix: ArrayLike<number>[]): number | null {
	if (matrix.length === 0) return null;
	const k = (matrix[0] as ArrayLike<number>).length;
	const itemVariances = Array.from({ length: k }, (_, j) => variance(matrix.map((row) => row[j] as number)) as number);
	return alphaFromVariances(itemVariances, variance(matrix.map(rowSum)) as number);
}

/**
 * KR-20 (Kuder & Richardson 1937, formula 20) for right/wrong items: KR-20 = k/(k − 1) · (1 − Σpᵢqᵢ / σ_X²), pᵢ
 * the share right on item i, qᵢ = 1 − pᵢ, σ_X² the population variance of the number right. It is alpha for
 * items scored 0/1 (pᵢqᵢ is then the item's population variance).
 */
export function kr20FromProportions(proportions: ArrayLike<number>, totalVariance: number): number | null {
	return alphaFromVariances(Float64Array.from(proportions as ArrayLike<number>, (p) => p * (1 - p)), totalVariance);
}

/** KR-20 of a complete takers × items matrix of 0/1 scores. */
export function kr20(matrix: ArrayLike<number>[]): number | null {
	if (matrix.length === 0) return null;
	const k = (matrix[0] as ArrayLike<number>).length;
	const proportions = Array.from({ length: k }, (_, j) => mean(matrix.map((row) => row[j] as number)) as number);
	return kr20FromProportions(proportions, variance(matrix.map(rowSum)) as number);
}

function rowSum(row: ArrayLike<number>): number {
	let s = 0;
	for (let i = 0; i < row.length; i++) s += row[i] as number;
	return s;
}

/** One taker's paper summarised for `nestedReliability`: number of items, Σx and Σx² of its item scores. */
export type PaperSums = { items: number; sum: number; sumSquares: number };

/**
 * Reliability when every taker answers a DIFFERENT random draw of questions (items nested in persons, the i:p
 * design of generalizability theory: Brennan 2001, the i:p design; the same number as the intraclass correlation
 * ICC(1,k) of Shrout & Fleiss 1979 for the mean of a taker's k items).
 *
 * One-way analysis of variance with takers as groups and their item scores x as observations (N takers, M items
 * in all, nₚ items on taker p's paper, x̄ₚ their mean, x̄ the grand mean):
 *   MS_between = Σ nₚ(x̄ₚ − x̄)² / (N − 1),   MS_within = ΣΣ (x − x̄ₚ)² / (M − N),
 *   n₀ = (M − Σnₚ²/M) / (N − 1)              (= k when every paper has k items),
 *   ρ₁ = (MS_b − MS_w) / (MS_b + (n₀ − 1) MS_w)   (reliability of one item),
 *   ρ = n₀ ρ₁ / (1 + (n₀ − 1) ρ₁)               (Spearman-Brown to a paper of n₀ items; = (MS_b − MS_w)/MS_b).
 * Unlike alpha, the differences in difficulty between the questions drawn count as error: a taker who drew hard
 * questions scores lower for it, and comparing takers on different papers includes that. Null when N < 2, no
 * taker has two items, or MS_between is 0.
 */
export function nestedReliabilityFromSums(papers: PaperSums[]): number | null {
	const n = papers.length;
	if (n < 2) return null;
	let m = 0;
	let total = 0;
	let sumSquaredSizes = 0;
	for (const p of papers) {
		m += p.items;
		total += p.sum;
		sumSquaredSizes += p.items * p.items;
	}
	if (m - n < 1 || papers.some((p) => p.items === 0)) return null;
	const grand = total / m;
	let ssBetween = 0;
	let ssWithin = 0;
	for (const p of papers) {
		const pm = p.sum / p.items;
		ssBetween += p.items * (pm - grand) ** 2;
		ssWithin += p.sumSquares - p.items * pm * pm;
	}
	const msBetween = ssBetween / (n - 1);
	const msWithin = Math.max(0, ssWithin) / (m - n);
	if (!(msBetween > 1e-12)) return null;
	const n0 = (m - sumSquaredSizes / m) / (n - 1);
	const one = (msBetween - msWithin) / (msBetween + (n0 - 1) * msWithin);
	return (n0 * one) / (1 + (n0 - 1) * one);
}

/** `nestedReliabilityFromSums` from each taker's list of item scores. */
export function nestedReliability(papers: ArrayLike<number>[]): number | null {
	return nestedReliabilityFromSums(
		papers.map((scores) => {
			let sum = 0;
			let sumSquares = 0;
			for (let i = 0; i < scores.length; i++) {
				sum += scores[i] as number;
				sumSquares += (scores[i] as number) ** 2;
			}
			return { items: scores.length, sum, sumSquares };
		})
	);
}

/**
 * Standard error of measurement: SEM = σ_X · √(1 − ρ) (Crocker & Algina 1986, classical true-score model), in the units of σ_X. A
 * reliability below 0 is taken as 0 (then SEM = σ_X: the scores say nothing beyond their spread) rather than
 * giving an error larger than the spread itself. Null without a reliability.
 */
export function standardErrorOfMeasurement(sd: number | null, reliability: number | null): number | null {
	if (sd === null || reliability === null) return null;
	return sd * Math.sqrt(1 - Math.min(1, Math.max(0, reliability)));
}
