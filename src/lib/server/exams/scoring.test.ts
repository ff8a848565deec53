import { describe, expect, it } from 'vitest';
import type { QuestionKey } from '../bank/types';
import {
	isAnswered,
	parseAnswer,
	passed,
	scoreAnswer,
	splitPoints,
	sumByArea,
	type Answer,
	type MultiplePolicy,
	type Outcome
} from './scoring';

const policies: MultiplePolicy[] = ['all_or_nothing', 'partial_half'];

const single: QuestionKey = { type: 'single', options: ['每月', '每季度', '每半年', '每年'], correct: 1 };
// Correct: A, C, D (0, 2, 3); B (1) and E (4) are wrong.
const multiple: QuestionKey = { type: 'multiple', options: ['A', 'B', 'C', 'D', 'E'], correct: [0, 2, 3] };
const trueFalse: QuestionKey = { type: 'true_false', correct: true };
const fillOne: QuestionKey = { type: 'fill', blanks: [['季度', '每季度']] };
const fillTwo: QuestionKey = { type: 'fill', blanks: [['ABC'], ['中国共产党', '党']] };
const fillThree: QuestionKey = { type: 'fill', blanks: [['一'], ['二'], ['三']] };

type Case = {
	name: string;
	key: QuestionKey;
	answer: Answer | null;
	points: number;
	/** Expected result per policy; a single value means the same under both. */
	expect: Record<MultiplePolicy, [number, Outcome]> | [number, Outcome];
};

const cases: Case[] = [
	// single
	{ name: 'single: right index', key: single, answer: { type: 'single', choice: 1 }, points: 200, expect: [200, 'correct'] },
	{ name: 'single: wrong index', key: single, answer: { type: 'single', choice: 0 }, points: 200, expect: [0, 'wrong'] },
	{ name: 'single: index past the options', key: single, answer: { type: 'single', choice: 7 }, points: 200, expect: [0, 'wrong'] },
	{ name: 'single: null choice', key: single, answer: { type: 'single', choice: null }, points: 200, expect: [0, 'unanswered'] },
	{ name: 'single: no answer', key: single, answer: null, points: 200, expect: [0, 'unanswered'] },
	{ name: 'single: wrong type', key: single, answer: { type: 'true_false', value: true }, points: 200, expect: [0, 'unanswered'] },
	{ name: 'single: zero points', key: single, answer: { type: 'single', choice: 1 }, points: 0, expect: [0, 'correct'] },

	// multiple
	{ name: 'multiple: exact set', key: multiple, answer: { type: 'multiple', choices: [0, 2, 3] }, points: 300, expect: [300, 'correct'] },
	{ name: 'multiple: exact set, unsorted', key: multiple, answer: { type: 'multiple', choices: [3, 0, 2] }, points: 300, expect: [300, 'correct'] },
	{
		name: 'multiple: strict subset (two of three)',
		key: multiple,
		answer: { type: 'multiple', choices: [0, 3] },
		points: 300,
		expect: { all_or_nothing: [0, 'wrong'], partial_half: [150, 'partial'] }
	},
	{
		name: 'multiple: strict subset (one of three)',
		key: multiple,
		answer: { type: 'multiple', choices: [2] },
		points: 300,
		expect: { all_or_nothing: [0, 'wrong'], partial_half: [150, 'partial'] }
	},
	{
		name: 'multiple: subset, odd cents round down',
		key: multiple,
		answer: { type: 'multiple', choices: [0] },
		points: 151,
		expect: { all_or_nothing: [0, 'wrong'], partial_half: [75, 'partial'] }
	},
	{
		name: 'multiple: subset of a 1-cent question earns 0 but is partial',
		key: multiple,
		answer: { type: 'multiple', choices: [0] },
		points: 1,
		expect: { all_or_nothing: [0, 'wrong'], partial_half: [0, 'partial'] }
	},
	{ name: 'multiple: superset', key: multiple, answer: { type: 'multiple', choices: [0, 1, 2, 3] }, points: 300, expect: [0, 'wrong'] },
	{ name: 'multiple: subset plus a wrong one', key: multiple, answer: { type: 'multiple', choices: [0, 4] }, points: 300, expect: [0, 'wrong'] },
	{ name: 'multiple: only wrong choices', key: multiple, answer: { type: 'multiple', choices: [1, 4] }, points: 300, expect: [0, 'wrong'] },
	{ name: 'multiple: index past the options', key: multiple, answer: { type: 'multiple', choices: [0, 7] }, points: 300, expect: [0, 'wrong'] },
	{ name: 'multiple: every option', key: multiple, answer: { type: 'multiple', choices: [0, 1, 2, 3, 4] }, points: 300, expect: [0, 'wrong'] },
	{ name: 'multiple: empty', key: multiple, answer: { type: 'multiple', choices: [] }, points: 300, expect: [0, 'unanswered'] },
	{ name: 'multiple: no answer', key: multiple, answer: null, points: 300, expect: [0, 'unanswered'] },
	{ name: 'multiple: wrong type', key: multiple, answer: { type: 'single', choice: 0 }, points: 300, expect: [0, 'unanswered'] },
	{
		name: 'multiple: repeated index does not make a subset exact',
		key: multiple,
		answer: { type: 'multiple', choices: [0, 0, 2] },
		points: 300,
		expect: { all_or_nothing: [0, 'wrong'], partial_half: [150, 'partial'] }
	},

	// true_false
	{ name: 'true_false: equal', key: trueFalse, answer: { type: 'true_false', value: true }, points: 100, expect: [100, 'correct'] },
	{ name: 'true_false: different', key: trueFalse, answer: { type: 'true_false', value: false }, points: 100, expect: [0, 'wrong'] },
	{
		name: 'true_false: false key, false answer',
		key: { type: 'true_false', correct: false },
		answer: { type: 'true_false', value: false },
		points: 100,
		expect: [100, 'correct']
	},
	{ name: 'true_false: null value', key: trueFalse, answer: { type: 'true_false', value: null }, points: 100, expect: [0, 'unanswered'] },
	{ name: 'true_false: no answer', key: trueFalse, answer: null, points: 100, expect: [0, 'unanswered'] },
	{ name: 'true_false: wrong type', key: trueFalse, answer: { type: 'single', choice: 0 }, points: 100, expect: [0, 'unanswered'] },

	// fill, one blank
	{ name: 'fill: exact', key: fillOne, answer: { type: 'fill', blanks: ['季度'] }, points: 200, expect: [200, 'correct'] },
	{ name: 'fill: second alternative', key: fillOne, answer: { type: 'fill', blanks: ['每季度'] }, points: 200, expect: [200, 'correct'] },
	{ name: 'fill: surrounding and full-width spaces', key: fillOne, answer: { type: 'fill', blanks: ['\u3000 季度  '] }, points: 200, expect: [200, 'correct'] },
	{ name: 'fill: wrong text', key: fillOne, answer: { type: 'fill', blanks: ['每月'] }, points: 200, expect: [0, 'wrong'] },
	{ name: 'fill: empty blank', key: fillOne, answer: { type: 'fill', blanks: [''] }, points: 200, expect: [0, 'unanswered'] },
	{ name: 'fill: whitespace-only blank', key: fillOne, answer: { type: 'fill', blanks: [' \u3000 '] }, points: 200, expect: [0, 'unanswered'] },
	{ name: 'fill: no blanks sent', key: fillOne, answer: { type: 'fill', blanks: [] }, points: 200, expect: [0, 'unanswered'] },
	{ name: 'fill: extra blanks ignored', key: fillOne, answer: { type: 'fill', blanks: ['季度', '多余'] }, points: 200, expect: [200, 'correct'] },
	{
		name: 'fill: only an extra blank filled',
		key: fillOne,
		answer: { type: 'fill', blanks: ['', '季度'] },
		points: 200,
		expect: [0, 'unanswered']
	},
	{ name: 'fill: no answer', key: fillOne, answer: null, points: 200, expect: [0, 'unanswered'] },
	{ name: 'fill: wrong type', key: fillOne, answer: { type: 'single', choice: 0 }, points: 200, expect: [0, 'unanswered'] },
	{
		name: 'fill: empty typed blank never matches an empty alternative',
		key: { type: 'fill', blanks: [['', '季度'], ['党']] },
		answer: { type: 'fill', blanks: ['', '党'] },
		points: 200,
		expect: [100, 'partial']
	},

	// fill, width folding, case and inner spaces (key and answer both normalised)
	{ name: 'fill: full-width letters', key: fillTwo, answer: { type: 'fill', blanks: ['ＡＢＣ', '党'] }, points: 300, expect: [300, 'correct'] },
	{ name: 'fill: lower case', key: fillTwo, answer: { type: 'fill', blanks: ['abc', '党'] }, points: 300, expect: [300, 'correct'] },
	{
		name: 'fill: full-width key matches half-width answer',
		key: { type: 'fill', blanks: [['ＡＢＣ １２３']] },
		answer: { type: 'fill', blanks: ['abc   123'] },
		points: 100,
		expect: [100, 'correct']
	},
	{
		name: 'fill: inner spaces collapse but are not removed',
		key: { type: 'fill', blanks: [['two words']] },
		answer: { type: 'fill', blanks: ['twowords'] },
		points: 100,
		expect: [0, 'wrong']
	},

	// fill, several blanks and odd points
	{ name: 'fill: 3 points over 2 blanks, both right', key: fillTwo, answer: { type: 'fill', blanks: ['abc', '党'] }, points: 300, expect: [300, 'correct'] },
	{ name: 'fill: 3 points over 2 blanks, first right', key: fillTwo, answer: { type: 'fill', blanks: ['abc', '错'] }, points: 300, expect: [150, 'partial'] },
	{ name: 'fill: 3 points over 2 blanks, second right', key: fillTwo, answer: { type: 'fill', blanks: ['', '中国共产党'] }, points: 300, expect: [150, 'partial'] },
	{ name: 'fill: 3 points over 2 blanks, none right', key: fillTwo, answer: { type: 'fill', blanks: ['x', 'y'] }, points: 300, expect: [0, 'wrong'] },
	{ name: 'fill: fewer blanks than the key', key: fillTwo, answer: { type: 'fill', blanks: ['abc'] }, points: 300, expect: [150, 'partial'] },
	{ name: 'fill: 1 point over 3 blanks, all right', key: fillThree, answer: { type: 'fill', blanks: ['一', '二', '三'] }, points: 100, expect: [100, 'correct'] },
	{ name: 'fill: 1 point over 3 blanks, first right', key: fillThree, answer: { type: 'fill', blanks: ['一', '', ''] }, points: 100, expect: [34, 'partial'] },
	{ name: 'fill: 1 point over 3 blanks, second right', key: fillThree, answer: { type: 'fill', blanks: ['', '二', ''] }, points: 100, expect: [33, 'partial'] },
	{ name: 'fill: 1 point over 3 blanks, last two right', key: fillThree, answer: { type: 'fill', blanks: ['x', '二', '三'] }, points: 100, expect: [66, 'partial'] },
	{ name: 'fill: 1 point over 3 blanks, first two right', key: fillThree, answer: { type: 'fill', blanks: ['一', '二', 'x'] }, points: 100, expect: [67, 'partial'] }
];

describe('scoreAnswer', () => {
	const rows = cases.flatMap((c) =>
		policies.map((policy) => {
			const [earnedCents, outcome] = Array.isArray(c.expect) ? c.expect : c.expect[policy];
			return { ...c, policy, earnedCents, outcome };
		})
	);

	it.each(rows)('$name ($policy) → $earnedCents $outcome', ({ key, answer, points, policy, earnedCents, outcome }) => {
		expect(scoreAnswer(key, answer, points, policy)).toEqual({ earnedCents, outcome });
	});

	it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses points of %s', (points) => {
		expect(() => scoreAnswer(single, { type: 'single', choice: 1 }, points, 'all_or_nothing')).toThrow(RangeError);
	});
});

describe('splitPoints', () => {
	it.each([
		{ points: 300, count: 2, shares: [150, 150] },
		{ points: 100, count: 3, shares: [34, 33, 33] },
		{ points: 200, count: 3, shares: [67, 67, 66] },
		{ points: 1, count: 3, shares: [1, 0, 0] },
		{ points: 0, count: 2, shares: [0, 0] },
		{ points: 500, count: 1, shares: [500] },
		{ points: 100, count: 0, shares: [] }
	])('$points over $count → $shares', ({ points, count, shares }) => {
		const got = splitPoints(points, count);
		expect(got).toEqual(shares);
		if (count > 0) expect(got.reduce((a, b) => a + b, 0)).toBe(points);
	});
});

describe('parseAnswer', () => {
	const accepted: { name: string; type: Answer['type']; raw: unknown; answer: Answer }[] = [
		{ name: 'single index', type: 'single', raw: { type: 'single', choice: 3 }, answer: { type: 'single', choice: 3 } },
		{ name: 'single without a type field', type: 'single', raw: { choice: 0 }, answer: { type: 'single', choice: 0 } },
		{ name: 'single highest index', type: 'single', raw: { choice: 7 }, answer: { type: 'single', choice: 7 } },
		{ name: 'single null', type: 'single', raw: { choice: null }, answer: { type: 'single', choice: null } },
		{ name: 'single -0 as 0', type: 'single', raw: JSON.parse('{"choice":-0}'), answer: { type: 'single', choice: 0 } },
		{
			name: 'extra fields dropped',
			type: 'single',
			raw: { type: 'single', choice: 2, note: 'x', __proto__x: 1 },
			answer: { type: 'single', choice: 2 }
		},
		{ name: 'multiple sorted', type: 'multiple', raw: { choices: [3, 0, 7] }, answer: { type: 'multiple', choices: [0, 3, 7] } },
		{ name: 'multiple empty', type: 'multiple', raw: { choices: [] }, answer: { type: 'multiple', choices: [] } },
		{
			name: 'multiple extra fields dropped',
			type: 'multiple',
			raw: { type: 'multiple', choices: [1], extra: [9] },
			answer: { type: 'multiple', choices: [1] }
		},
		{ name: 'true_false true', type: 'true_false', raw: { value: true }, answer: { type: 'true_false', value: true } },
		{ name: 'true_false false', type: 'true_false', raw: { value: false }, answer: { type: 'true_false', value: false } },
		{ name: 'true_false null', type: 'true_false', raw: { value: null }, answer: { type: 'true_false', value: null } },
		{ name: 'fill texts kept as typed', type: 'fill', raw: { blanks: [' ＡＢＣ ', ''] }, answer: { type: 'fill', blanks: [' ＡＢＣ ', ''] } },
		{ name: 'fill no blanks', type: 'fill', raw: { blanks: [] }, answer: { type: 'fill', blanks: [] } },
		{
			name: 'fill 10 blanks of 200 characters',
			type: 'fill',
			raw: { blanks: Array(10).fill('党'.repeat(200)) },
			answer: { type: 'fill', blanks: Array<string>(10).fill('党'.repeat(200)) }
		},
		{
			name: 'fill 200 astral characters count as 200',
			type: 'fill',
			raw: { blanks: ['𠀀'.repeat(200)] },
			answer: { type: 'fill', blanks: ['𠀀'.repeat(200)] }
		},
		{
			name: 'fill extra fields dropped',
			type: 'fill',
			raw: { type: 'fill', blanks: ['a'], choice: 1 },
			answer: { type: 'fill', blanks: ['a'] }
		}
	];

	it.each(accepted)('accepts $name', ({ type, raw, answer }) => {
		expect(parseAnswer(type, raw)).toStrictEqual(answer);
	});

	const rejected: { name: string; type: Answer['type']; raw: unknown }[] = [
		{ name: 'null', type: 'single', raw: null },
		{ name: 'undefined', type: 'single', raw: undefined },
		{ name: 'a number', type: 'single', raw: 1 },
		{ name: 'a string', type: 'single', raw: '{"choice":1}' },
		{ name: 'an array', type: 'multiple', raw: [0, 1] },
		{ name: 'a mismatched type field', type: 'single', raw: { type: 'multiple', choice: 1 } },
		{ name: 'single missing choice', type: 'single', raw: {} },
		{ name: 'single string index', type: 'single', raw: { choice: '1' } },
		{ name: 'single NaN', type: 'single', raw: { choice: Number.NaN } },
		{ name: 'single Infinity', type: 'single', raw: { choice: Number.POSITIVE_INFINITY } },
		{ name: 'single fraction', type: 'single', raw: { choice: 1.5 } },
		{ name: 'single negative', type: 'single', raw: { choice: -1 } },
		{ name: 'single index 8', type: 'single', raw: { choice: 8 } },
		{ name: 'single boolean', type: 'single', raw: { choice: true } },
		{ name: 'single array', type: 'single', raw: { choice: [1] } },
		{ name: 'multiple missing choices', type: 'multiple', raw: {} },
		{ name: 'multiple null choices', type: 'multiple', raw: { choices: null } },
		{ name: 'multiple a number', type: 'multiple', raw: { choices: 1 } },
		{ name: 'multiple string index', type: 'multiple', raw: { choices: [0, '1'] } },
		{ name: 'multiple NaN', type: 'multiple', raw: { choices: [Number.NaN] } },
		{ name: 'multiple null inside', type: 'multiple', raw: { choices: [0, null] } },
		{ name: 'multiple out of range', type: 'multiple', raw: { choices: [0, 8] } },
		{ name: 'multiple negative', type: 'multiple', raw: { choices: [-1] } },
		{ name: 'multiple duplicates', type: 'multiple', raw: { choices: [2, 0, 2] } },
		{ name: 'true_false missing value', type: 'true_false', raw: {} },
		{ name: 'true_false string', type: 'true_false', raw: { value: 'true' } },
		{ name: 'true_false number', type: 'true_false', raw: { value: 1 } },
		{ name: 'fill missing blanks', type: 'fill', raw: {} },
		{ name: 'fill a string', type: 'fill', raw: { blanks: '季度' } },
		{ name: 'fill a number inside', type: 'fill', raw: { blanks: ['a', 1] } },
		{ name: 'fill null inside', type: 'fill', raw: { blanks: [null] } },
		{ name: 'fill nested array', type: 'fill', raw: { blanks: [['a']] } },
		{ name: 'fill 201 characters', type: 'fill', raw: { blanks: ['a'.repeat(201)] } },
		{ name: 'fill 201 astral characters', type: 'fill', raw: { blanks: ['𠀀'.repeat(201)] } },
		{ name: 'fill a huge string', type: 'fill', raw: { blanks: ['a'.repeat(1_000_000)] } },
		{ name: 'fill 11 blanks', type: 'fill', raw: { blanks: Array(11).fill('a') } }
	];

	it.each(rejected)('rejects $name', ({ type, raw }) => {
		expect(parseAnswer(type, raw)).toBeNull();
	});

	it('rejects an unknown question type', () => {
		expect(parseAnswer('essay' as Answer['type'], { choice: 1 })).toBeNull();
	});
});

describe('isAnswered', () => {
	it.each<{ answer: Answer | null; answered: boolean }>([
		{ answer: null, answered: false },
		{ answer: { type: 'single', choice: null }, answered: false },
		{ answer: { type: 'single', choice: 0 }, answered: true },
		{ answer: { type: 'multiple', choices: [] }, answered: false },
		{ answer: { type: 'multiple', choices: [1] }, answered: true },
		{ answer: { type: 'true_false', value: null }, answered: false },
		{ answer: { type: 'true_false', value: false }, answered: true },
		{ answer: { type: 'fill', blanks: [] }, answered: false },
		{ answer: { type: 'fill', blanks: ['', ' \u3000 '] }, answered: false },
		{ answer: { type: 'fill', blanks: ['', '季度'] }, answered: true }
	])('$answer → $answered', ({ answer, answered }) => {
		expect(isAnswered(answer)).toBe(answered);
	});
});

describe('sumByArea', () => {
	it.each<{
		name: string;
		items: { areaIds: number[]; earnedCents: number; pointsCents: number }[];
		totals: [number, { earnedCents: number; possibleCents: number }][];
	}>([
		{ name: 'no questions', items: [], totals: [] },
		{
			name: 'one area per question',
			items: [
				{ areaIds: [1], earnedCents: 200, pointsCents: 200 },
				{ areaIds: [1], earnedCents: 0, pointsCents: 300 },
				{ areaIds: [2], earnedCents: 150, pointsCents: 300 }
			],
			totals: [
				[1, { earnedCents: 200, possibleCents: 500 }],
				[2, { earnedCents: 150, possibleCents: 300 }]
			]
		},
		{
			name: 'a question with two areas counts fully toward both',
			items: [
				{ areaIds: [1, 2], earnedCents: 100, pointsCents: 200 },
				{ areaIds: [2], earnedCents: 300, pointsCents: 300 }
			],
			totals: [
				[1, { earnedCents: 100, possibleCents: 200 }],
				[2, { earnedCents: 400, possibleCents: 500 }]
			]
		},
		{
			name: 'a repeated area on one question counts once',
			items: [{ areaIds: [3, 3], earnedCents: 50, pointsCents: 100 }],
			totals: [[3, { earnedCents: 50, possibleCents: 100 }]]
		},
		{
			name: 'a question with no areas is in no area',
			items: [
				{ areaIds: [], earnedCents: 100, pointsCents: 100 },
				{ areaIds: [4], earnedCents: 0, pointsCents: 100 }
			],
			totals: [[4, { earnedCents: 0, possibleCents: 100 }]]
		}
	])('$name', ({ items, totals }) => {
		expect(sumByArea(items)).toEqual(new Map(totals));
	});
});

describe('passed', () => {
	it.each([
		{ total: 6000, mark: 6000, pass: true },
		{ total: 6001, mark: 6000, pass: true },
		{ total: 5999, mark: 6000, pass: false },
		{ total: 0, mark: 0, pass: true },
		{ total: 0, mark: 1, pass: false }
	])('$total against $mark → $pass', ({ total, mark, pass }) => {
		expect(passed(total, mark)).toBe(pass);
	});
});
