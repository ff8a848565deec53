import { describe, expect, it } from 'vitest';
import {
	alphaFromVariances,
	correctedItemTotal,
	cronbachAlpha,
	discriminationIndex,
	extremeGroups,
	facility,
	kr20,
	levelGroups,
	mean,
	median,
	nestedReliability,
	pearson,
	standardDeviation,
	standardErrorOfMeasurement,
	variance
} from './statistics';

// Every expected value below is worked out by hand in the comment above it.

describe('mean, median, standard deviation', () => {
	// 2 4 4 4 5 5 7 9: Σ = 40, mean 5. Deviations² 9 1 1 1 0 0 4 16, Σ = 32.
	// Population σ² = 32/8 = 4, σ = 2. Sample s² = 32/7 = 4.5714…, s = 2.13809….
	// Median of 8 values: the 4th and 5th sorted (4 and 5) averaged = 4.5.
	const xs = [9, 2, 4, 5, 4, 7, 4, 5];

	it('computes them on a small set', () => {
		expect(mean(xs)).toBe(5);
		expect(median(xs)).toBe(4.5);
		expect(variance(xs)).toBe(4);
		expect(standardDeviation(xs)).toBe(2);
		expect(variance(xs, 'sample')).toBeCloseTo(32 / 7, 12);
		expect(standardDeviation(xs, 'sample')).toBeCloseTo(2.13809, 5);
		// Odd count: 1 2 3 → the middle one.
		expect(median([3, 1, 2])).toBe(2);
	});

	it('one taker: mean and median are the score, population SD 0, sample SD undefined', () => {
		expect(mean([70])).toBe(70);
		expect(median([70])).toBe(70);
		expect(standardDeviation([70])).toBe(0);
		expect(standardDeviation([70], 'sample')).toBeNull();
	});

	it('nothing to average answers null', () => {
		expect(mean([])).toBeNull();
		expect(median([])).toBeNull();
		expect(variance([])).toBeNull();
	});
});

describe('facility and correlations', () => {
	it('facility is the mean score over the maximum', () => {
		// Right/wrong: 3 of 5 right = 0.6. Partial credit out of 2: 2 1 1 0 → mean 1 → 1/2 = 0.5.
		expect(facility([1, 1, 0, 1, 0], 1)).toBe(0.6);
		expect(facility([2, 1, 1, 0], 2)).toBe(0.5);
		expect(facility([], 1)).toBeNull();
	});

	it('pearson on three points', () => {
		// x 1 2 3 (mean 2), y 2 4 7 (mean 13/3). dx −1 0 1; dy −7/3 −1/3 8/3.
		// Σdxdy = 7/3 + 8/3 = 5; Σdx² = 2; Σdy² = (49 + 1 + 64)/9 = 114/9. r = 5/√(228/9) = 5/5.03322 = 0.993399.
		expect(pearson([1, 2, 3], [2, 4, 7])).toBeCloseTo(0.993399, 6);
		expect(pearson([1, 1, 1], [2, 4, 7])).toBeNull();
		expect(pearson([1], [2])).toBeNull();
	});

	// The small test used below: 5 takers × 4 right/wrong items.
	//        i1 i2 i3 i4 | total
	//   P1    1  1  1  1 |  4
	//   P2    1  1  1  0 |  3
	//   P3    1  0  1  0 |  2
	//   P4    1  1  0  0 |  2
	//   P5    1  0  0  0 |  1
	const matrix = [
		[1, 1, 1, 1],
		[1, 1, 1, 0],
		[1, 0, 1, 0],
		[1, 1, 0, 0],
		[1, 0, 0, 0]
	];
	const totals = matrix.map((r) => r.reduce((a, b) => a + b, 0));
	const column = (j: number) => matrix.map((r) => r[j] as number);

	it('corrected point-biserial: item against the total without it', () => {
		// i2 = 1 1 0 1 0 (mean 0.6); rest = total − i2 = 3 2 2 1 1 (mean 1.8).
		// dx .4 .4 −.6 .4 −.6; dy 1.2 .2 .2 −.8 −.8.
		// Σdxdy = .48 + .08 − .12 − .32 + .48 = 0.6; Σdx² = 3(.16) + 2(.36) = 1.2; Σdy² = 1.44 + .04 + .04 + .64 + .64 = 2.8.
		// r = 0.6 / √(1.2 · 2.8) = 0.6 / 1.833030 = 0.327327.
		expect(correctedItemTotal(column(1), totals)).toBeCloseTo(0.327327, 6);
	});

	it('an item everyone got right has no correlation and no discrimination', () => {
		// i1 is 1 for all five: its variance is 0, r = 0/0.
		expect(correctedItemTotal(column(0), totals)).toBeNull();
		expect(discriminationIndex(column(0), totals)).toBeNull();
	});

	it('KR-20 and alpha agree on right/wrong items', () => {
		// p = 1, .6, .6, .2; pq = 0, .24, .24, .16, Σ = 0.64.
		// Totals 4 3 2 2 1, mean 2.4, deviations² 2.56 .36 .16 .16 1.96, Σ = 5.2, σ² = 1.04.
		// KR-20 = 4/3 · (1 − 0.64/1.04) = 4/3 · 0.4/1.04 = 1.6/3.12 = 0.512821.
		expect(kr20(matrix)).toBeCloseTo(0.512821, 6);
		expect(cronbachAlpha(matrix)).toBeCloseTo(0.512821, 6);
	});

	it('upper and lower groups of one each when n = 5', () => {
		// g = round(0.27 · 5) = round(1.35) = 1: upper = P1 (total 4), lower = P5 (total 1).
		// i2: P1 right, P5 wrong → D = 1 − 0 = 1. i4: P1 right, P5 wrong → D = 1.
		expect(discriminationIndex(column(1), totals)).toEqual({ index: 1, upper: 1, lower: 0, size: 1 });
		expect(discriminationIndex(column(3), totals)?.index).toBe(1);
	});
});

describe('upper and lower 27% groups', () => {
	it('rounds 27% of n to the nearest whole, halves up, at least one', () => {
		// 0.27·50 = 13.5 → 14; 0.27·2 = 0.54 → 1; 0.27·3 = 0.81 → 1; 0.27·10 = 2.7 → 3; 0.27·100 = 27.
		expect(extremeGroups(Array.from({ length: 50 }, (_, i) => i))?.size).toBe(14);
		expect(extremeGroups([1, 2])?.size).toBe(1);
		expect(extremeGroups([1, 2, 3])?.size).toBe(1);
		expect(extremeGroups(Array.from({ length: 10 }, (_, i) => i))?.size).toBe(3);
		expect(extremeGroups(Array.from({ length: 100 }, (_, i) => i))?.size).toBe(27);
		// One taker cannot be both groups.
		expect(extremeGroups([5])).toBeNull();
	});

	// Ten takers, g = round(2.7) = 3.
	//   total  10  9  9  9  8  7  6  5  5  5
	//   item    1  1  1  0  1  0  1  0  0  1
	// Upper: 10 fills one place; the three 9s share the two left → weight 2/3 each.
	// Lower: the three 5s fill the three places exactly → weight 1 each.
	// p_U = (1 + 2/3 · (1 + 1 + 0)) / 3 = (7/3)/3 = 7/9; p_L = (0 + 0 + 1)/3 = 1/3; D = 7/9 − 3/9 = 4/9.
	const totals = [10, 9, 9, 9, 8, 7, 6, 5, 5, 5];
	const item = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1];

	it('shares the places at a tied cut equally', () => {
		const groups = extremeGroups(totals);
		expect([...(groups?.upper ?? [])]).toEqual([1, 2 / 3, 2 / 3, 2 / 3, 0, 0, 0, 0, 0, 0]);
		expect([...(groups?.lower ?? [])]).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
		const d = discriminationIndex(item, totals);
		expect(d?.upper).toBeCloseTo(7 / 9, 12);
		expect(d?.lower).toBeCloseTo(1 / 3, 12);
		expect(d?.index).toBeCloseTo(4 / 9, 12);
	});

	it('the same weights from the number of takers at each total', () => {
		// Levels 10 | 9 9 9 | 8 | 7 | 6 | 5 5 5 → counts 1 3 1 1 1 3: one weight per level, as above.
		const groups = levelGroups([1, 3, 1, 1, 1, 3]);
		expect(groups?.size).toBe(3);
		expect([...(groups?.upper ?? [])]).toEqual([1, 2 / 3, 0, 0, 0, 0]);
		expect([...(groups?.lower ?? [])]).toEqual([0, 0, 0, 0, 0, 1]);
		// One level holding everyone: both groups share it, 3 of 10 places each.
		expect([...(levelGroups([10])?.upper ?? [])]).toEqual([0.3]);
	});

	it('does not depend on the order the takers come in', () => {
		const order = [7, 2, 9, 0, 4, 1, 8, 3, 6, 5];
		const d = discriminationIndex(
			order.map((i) => item[i] as number),
			order.map((i) => totals[i] as number)
		);
		expect(d?.index).toBeCloseTo(4 / 9, 12);
	});

	it('no discrimination when every total is the same', () => {
		expect(discriminationIndex([1, 0, 1, 0], [7, 7, 7, 7])).toBeNull();
	});
});

describe('reliability', () => {
	it('alpha with partial credit', () => {
		// 4 takers × 3 items scored 0..2.
		//        i1 i2 i3 | total
		//   P1    2  2  1 |  5
		//   P2    1  2  2 |  5
		//   P3    1  0  1 |  2
		//   P4    0  1  0 |  1
		// Item σ²: i1 (mean 1) 1+0+0+1 = 2 → 0.5; i2 (mean 1.25) .5625+.5625+1.5625+.0625 = 2.75 → 0.6875;
		// i3 (mean 1) 0+1+0+1 = 2 → 0.5. Σ = 1.6875.
		// Totals mean 3.25, deviations² 3.0625 3.0625 1.5625 5.0625 = 12.75 → σ² = 3.1875.
		// α = 3/2 · (1 − 1.6875/3.1875) = 3/2 · 8/17 = 12/17 = 0.705882.
		const m = [
			[2, 2, 1],
			[1, 2, 2],
			[1, 0, 1],
			[0, 1, 0]
		];
		expect(cronbachAlpha(m)).toBeCloseTo(12 / 17, 12);
		// The ratio is the same with sample variances (each is multiplied by 4/3).
		expect(alphaFromVariances([0.5 * (4 / 3), 0.6875 * (4 / 3), 0.5 * (4 / 3)], 3.1875 * (4 / 3))).toBeCloseTo(12 / 17, 12);
	});

	it('one taker or no spread: no reliability', () => {
		expect(kr20([[1, 0, 1]])).toBeNull();
		expect(cronbachAlpha([[2, 1, 0]])).toBeNull();
		// Everyone scores 2 of 3: σ_X² = 0.
		expect(
			kr20([
				[1, 1, 0],
				[0, 1, 1],
				[1, 0, 1]
			])
		).toBeNull();
		// A single item: k/(k − 1) is undefined.
		expect(alphaFromVariances([0.25], 0.25)).toBeNull();
	});

	it('items nested in takers (different papers), equal lengths', () => {
		// P1 [1 1] mean 1; P2 [1 0] mean .5; P3 [0 0] mean 0. N = 3, M = 6, grand mean .5.
		// SS_b = 2(.25) + 0 + 2(.25) = 1, MS_b = 1/2. SS_w = 0 + (.25 + .25) + 0 = .5, MS_w = .5/3 = 1/6.
		// ρ = (MS_b − MS_w)/MS_b = (1/3)/(1/2) = 2/3.
		expect(nestedReliability([[1, 1], [1, 0], [0, 0]])).toBeCloseTo(2 / 3, 12);
	});

	it('items nested in takers, unequal lengths', () => {
		// P1 [1 1 1], P2 [0 1], P3 [0 0]: N = 3, M = 7, grand mean 4/7; means 1, 1/2, 0.
		// SS_b = 3(3/7)² + 2(1/14)² + 2(4/7)² = 27/49 + 1/98 + 32/49 = 119/98; MS_b = 119/196 = 17/28.
		// SS_w = 0 + .5 + 0; MS_w = .5/4 = 1/8.  n₀ = (7 − (9 + 4 + 4)/7)/2 = 16/7.
		// ρ₁ = (17/28 − 1/8)/(17/28 + (9/7)(1/8)) = (27/56)/(43/56) = 27/43.
		// ρ = (16/7 · 27/43)/(1 + 9/7 · 27/43) = (432/301)/(544/301) = 27/34 = 0.794118.
		expect(nestedReliability([[1, 1, 1], [0, 1], [0, 0]])).toBeCloseTo(27 / 34, 12);
	});

	it('nested: no reliability without spread between takers or with one taker', () => {
		expect(nestedReliability([[1, 0], [0, 1]])).toBeNull();
		expect(nestedReliability([[1, 0]])).toBeNull();
	});

	it('standard error of measurement', () => {
		// SD 2, ρ .75: 2 · √.25 = 1. ρ below 0 counts as 0: SEM = SD. No ρ: none.
		expect(standardErrorOfMeasurement(2, 0.75)).toBe(1);
		expect(standardErrorOfMeasurement(2, -0.2)).toBe(2);
		expect(standardErrorOfMeasurement(2, null)).toBeNull();
		expect(standardErrorOfMeasurement(null, 0.5)).toBeNull();
	});
});
