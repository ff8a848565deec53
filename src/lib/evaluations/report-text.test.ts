import { describe, expect, it } from 'vitest';
import { reportBlocks, spans } from './report-text';

describe('reportBlocks', () => {
	it('reads paragraphs, list items and bold text', () => {
		expect(reportBlocks('一年来坚持学习。\n第二行\n\n- 中心组 **12** 次\n- 心得 6 篇\n\n**存在问题**：不足。')).toEqual([
			{ kind: 'paragraph', lines: [[{ text: '一年来坚持学习。', bold: false }], [{ text: '第二行', bold: false }]] },
			{
				kind: 'list',
				items: [
					[
						{ text: '中心组 ', bold: false },
						{ text: '12', bold: true },
						{ text: ' 次', bold: false }
					],
					[{ text: '心得 6 篇', bold: false }]
				]
			},
			{
				kind: 'paragraph',
				lines: [
					[
						{ text: '存在问题', bold: true },
						{ text: '：不足。', bold: false }
					]
				]
			}
		]);
	});

	it('keeps markup-looking text as text and an unpaired ** as typed', () => {
		expect(spans('<b>x</b> **y')).toEqual([{ text: '<b>x</b> **y', bold: false }]);
		expect(reportBlocks('\n\n')).toEqual([]);
	});
});
