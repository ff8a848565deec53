import { describe, expect, it } from 'vitest';
import { joinFeedback, optionLabel, splitFeedback } from './feedback';

describe('feedback in the explanation', () => {
	it('puts the general feedback first and one labelled line per answer, and reads them back', () => {
		const text = joinFeedback('见《条例》第五条。', [
			{ label: 'A', text: '对，原文如此。' },
			{ label: 'B', text: '' },
			{ label: 'C', text: '不对：\n这是第六条。' }
		]);
		expect(text).toBe('见《条例》第五条。\n【A】对，原文如此。\n【C】不对： 这是第六条。');
		expect(splitFeedback(text, ['A', 'B', 'C', 'D'])).toEqual({
			general: '见《条例》第五条。',
			perAnswer: [
				{ label: 'A', text: '对，原文如此。' },
				{ label: 'C', text: '不对： 这是第六条。' }
			]
		});
	});

	it('leaves lines whose label is not an answer of the question in the general part', () => {
		expect(splitFeedback('【原文】学习是第一位的。\n【Z】不是选项', ['A', 'B'])).toEqual({ general: '【原文】学习是第一位的。\n【Z】不是选项', perAnswer: [] });
		expect(splitFeedback('', ['A'])).toEqual({ general: '', perAnswer: [] });
		expect(joinFeedback('', [{ label: optionLabel(1), text: '选B' }])).toBe('【B】选B');
		expect(splitFeedback('【对】说得对', ['对', '错'])).toEqual({ general: '', perAnswer: [{ label: '对', text: '说得对' }] });
	});
});
