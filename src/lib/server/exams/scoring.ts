// Scoring a member's answers on the quarterly theory test. Pure functions, no database: the paper pages and the
// marking job both call them, so a score shown to the member is always the score that was recorded.
//
// The rules here are the product's policy (agreed with the committee), not implementation detail: a change to any
// of them changes members' results and must be deliberate.

import { maxOptions, type QuestionKey, type QuestionType } from '../bank/types';
import { normalizeAnswer } from '../bank/normalize';

/**
 * How a multiple-choice question with a partly right answer is scored.
 * - 'all_or_nothing': only the exact set of correct options scores.
 * - 'partial_half': 少选得一半、错选不得分 — a non-empty strict subset of the correct options with no wrong option
 *   earns half the points; any wrong option earns nothing.
 */
export type MultiplePolicy = 'all_or_nothing' | 'partial_half';

/** A member's answer; option indexes are the ORIGINAL option indexes (the paper's shuffle is only for display). null = unanswered. */
export type Answer =
	| { type: 'single'; choice: number | null }
	| { type: 'multiple'; choices: number[] }
	| { type: 'true_false'; value: boolean | null }
	| { type: 'fill'; blanks: string[] };

export type Outcome = 'correct' | 'partial' | 'wrong' | 'unanswered';

export type ScoredAnswer = { earnedCents: number; outcome: Outcome };

/** Longest text accepted for one blank; a real answer is a few words, anything longer is not an answer. */
export const maxBlankLength = 200;
/** Most blanks accepted in one fill answer; the bank's questions have far fewer. */
export const maxBlanks = 10;

const unanswered: ScoredAnswer = { earnedCents: 0, outcome: 'unanswered' };

/**
 * Scores one answer. Points are in hundredths (cents) so that a paper's total is an exact integer sum: 2 points = 200.
 * An answer whose type does not match the key (a stale form, a changed question) counts as unanswered rather than
 * wrong, since the member never answered the question as it is now.
 */
export function scoreAnswer(
	key: QuestionKey,
	answer: Answer | null,
	pointsCents: number,
	policy: MultiplePolicy
): ScoredAnswer {
	// A fractional or negative weight is a bug in the blueprint, not something to round away silently.
	if (!Number.isSafeInteger(pointsCents) || pointsCents < 0) {
		throw new RangeError(`pointsCents must be a non-negative integer, got ${pointsCents}`);
	}
	if (answer === null) return unanswered;

	switch (key.type) {
		case 'single': {
			if (answer.type !== 'single' || answer.choice === null) return unanswered;
			return answer.choice === key.correct ? full(pointsCents) : wrong();
		}
		case 'true_false': {
			if (answer.type !== 'true_false' || answer.value === null) return unanswered;
			return answer.value === key.correct ? full(pointsCents) : wrong();
		}
		case 'multiple': {
			if (answer.type !== 'multiple') return unanswered;
			return scoreMultiple(key.correct, answer.choices, pointsCents, policy);
		}
		case 'fill': {
			if (answer.type !== 'fill') return unanswered;
			return scoreFill(key.blanks, answer.blanks, pointsCents);
		}
	}
}

function full(pointsCents: number): ScoredAnswer {
	return { earnedCents: pointsCents, outcome: 'correct' };
}

function wrong(): ScoredAnswer {
	return { earnedCents: 0, outcome: 'wrong' };
}

function scoreMultiple(
	correct: number[],
	choices: number[],
	pointsCents: number,
	policy: MultiplePolicy
): ScoredAnswer {
	// Sets, so a repeated index (which parseAnswer already refuses) can neither help nor hurt.
	const right = new Set(correct);
	const chosen = new Set(choices);
	if (chosen.size === 0) return unanswered;

	// Any option outside the key — including an index past the question's options — is a wrong choice.
	for (const c of chosen) if (!right.has(c)) return wrong();

	if (chosen.size === right.size) return full(pointsCents);
	// Here `chosen` is a non-empty strict subset of the correct options (少选).
	if (policy === 'partial_half') {
		// Round down: a member never gets more than half, and odd cents (e.g. 1 cent) give 0 yet still show 'partial'.
		return { earnedCents: Math.floor(pointsCents / 2), outcome: 'partial' };
	}
	return wrong();
}

/**
 * Splits `pointsCents` evenly over `count` parts in whole cents; the remainder goes one cent each to the first parts,
 * so the shares always add up to exactly the question's points (3 points over 2 blanks = 150 + 150,
 * 1 point over 3 blanks = 34 + 33 + 33).
 */
export function splitPoints(pointsCents: number, count: number): number[] {
	if (count <= 0) return [];
	const base = Math.floor(pointsCents / count);
	const remainder = pointsCents % count;
	return Array.from({ length: count }, (_, i) => base + (i < remainder ? 1 : 0));
}

function scoreFill(keyBlanks: string[][], answerBlanks: string[], pointsCents: number): ScoredAnswer {
	// Only the key's blanks count: a missing blank is empty (so wrong), an extra one is ignored.
	const typed = keyBlanks.map((_, i) => normalizeAnswer(answerBlanks[i] ?? ''));
	if (typed.every((t) => t === '')) return unanswered;

	const shares = splitPoints(pointsCents, keyBlanks.length);
	let earnedCents = 0;
	let rightCount = 0;
	keyBlanks.forEach((alternatives, i) => {
		const t = typed[i] ?? '';
		// An empty blank is never right, even if an alternative normalises to '' (a badly written key).
		if (t !== '' && alternatives.some((alt) => normalizeAnswer(alt) === t)) {
			earnedCents += shares[i] ?? 0;
			rightCount += 1;
		}
	});

	const outcome: Outcome = rightCount === keyBlanks.length ? 'correct' : rightCount > 0 ? 'partial' : 'wrong';
	return { earnedCents, outcome };
}

/**
 * Validates an answer sent by the browser (untrusted JSON) for a question of `type`. Returns null for anything
 * malformed, so the caller can refuse the request instead of storing garbage. Accepted:
 * - an object (not an array); a `type` field may be left out, since the server knows the question's type, but if
 *   present it must equal `type`; other fields are dropped;
 * - single: `choice` an integer 0..7 or null;
 * - multiple: `choices` an array of distinct integers 0..7 (returned sorted; an empty array = unanswered);
 * - true_false: `value` a boolean or null;
 * - fill: `blanks` an array of at most 10 strings, each at most 200 characters.
 * Indexes are only checked against the largest paper (8 options); an index past this question's options is scored
 * as a wrong choice.
 */
export function parseAnswer(type: QuestionType, raw: unknown): Answer | null {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
	const obj = raw as Record<string, unknown>;
	if ('type' in obj && obj.type !== type) return null;

	switch (type) {
		case 'single': {
			const choice = obj.choice;
			if (choice === null) return { type, choice: null };
			return isOptionIndex(choice) ? { type, choice: choice + 0 } : null;
		}
		case 'multiple': {
			const choices = obj.choices;
			if (!Array.isArray(choices)) return null;
			const seen = new Set<number>();
			for (const c of choices) {
				if (!isOptionIndex(c) || seen.has(c + 0)) return null;
				seen.add(c + 0);
			}
			return { type, choices: [...seen].sort((a, b) => a - b) };
		}
		case 'true_false': {
			const value = obj.value;
			return value === null || typeof value === 'boolean' ? { type, value } : null;
		}
		case 'fill': {
			const blanks = obj.blanks;
			if (!Array.isArray(blanks) || blanks.length > maxBlanks) return null;
			const out: string[] = [];
			for (const b of blanks) {
				// Characters, not UTF-16 units, so 200 emoji or rare CJK characters are as welcome as 200 letters.
				if (typeof b !== 'string' || b.length > maxBlankLength * 2 || [...b].length > maxBlankLength) return null;
				out.push(b);
			}
			return { type, blanks: out };
		}
		default:
			return null;
	}
}

/** An integer option index within the largest possible question (0..7). `+ 0` at call sites turns JSON's -0 into 0. */
function isOptionIndex(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < maxOptions;
}

/**
 * Whether the member has given an answer, for the paper's "answered N of M" count. Matches scoreAnswer's
 * 'unanswered' except that it cannot know the key: a fill answer counts if any blank has text after normalising.
 */
export function isAnswered(answer: Answer | null): boolean {
	if (answer === null) return false;
	switch (answer.type) {
		case 'single':
			return answer.choice !== null;
		case 'multiple':
			return answer.choices.length > 0;
		case 'true_false':
			return answer.value !== null;
		case 'fill':
			return answer.blanks.some((b) => normalizeAnswer(b) !== '');
	}
}

export type AreaTotals = Map<number, { earnedCents: number; possibleCents: number }>;

/**
 * Totals per content area, for the member's and the committee's "how did we do on each area" report.
 *
 * A question tagged with several areas counts fully toward EACH of them (its points are not split): the question
 * tests every area it is tagged with, and splitting would make an area's result depend on how many other tags its
 * questions happen to carry. Consequence: the areas' possible points can add up to more than the paper's total, so
 * the paper's total comes from the answers, never from summing areas. A repeated area id on one question counts
 * once; a question with no areas appears in no area.
 */
export function sumByArea(items: { areaIds: number[]; earnedCents: number; pointsCents: number }[]): AreaTotals {
	const totals: AreaTotals = new Map();
	for (const item of items) {
		for (const areaId of new Set(item.areaIds)) {
			const t = totals.get(areaId) ?? { earnedCents: 0, possibleCents: 0 };
			t.earnedCents += item.earnedCents;
			t.possibleCents += item.pointsCents;
			totals.set(areaId, t);
		}
	}
	return totals;
}

/** Reaching the pass mark exactly is a pass. */
export function passed(totalCents: number, passMarkCents: number): boolean {
	return totalCents >= passMarkCents;
}
