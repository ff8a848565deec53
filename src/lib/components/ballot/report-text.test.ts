import { describe, expect, it } from 'vitest';
import { reportBlocks, runs } from './report-text';

describe('reportBlocks', () => {
	it('reads paragraphs, list items and bold runs', () => {
		const blocks = reportBlocks('第一段\n第二行\n\n- 一\n- **二**\n\n**存在问题**：不足');
		expect(blocks).toEqual([
			{ kind: 'p', lines: [[{ text: '第一段', bold: false }], [{ text: '第二行', bold: false }]] },
			{ kind: 'ul', items: [[{ text: '一', bold: false }], [{ text: '二', bold: true }]] },
			{ kind: 'p', lines: [[{ text: '存在问题', bold: true }, { text: '：不足', bold: false }]] }
		]);
	});

	it('keeps markup-looking text as text and an unclosed ** as typed', () => {
		expect(runs('<script>x</script> **a')).toEqual([
			{ text: '<script>x</script> ', bold: false },
			{ text: '**a', bold: false }
		]);
		expect(reportBlocks('')).toEqual([]);
	});
});
