import { describe, expect, it } from 'vitest';
import { barHeight, labelLines, mostLabelLines } from './mastery-charts';

describe('area labels on a bar chart', () => {
	it('puts a bracketed note on its own line and wraps a long English name between words', () => {
		expect(labelLines('政治理论（党的创新理论）')).toEqual(['政治理论', '（党的创新理论）']);
		expect(labelLines('Provincial, city and county affairs')).toEqual(['Provincial, city', 'and county', 'affairs']);
		expect(labelLines('Ecological civilization')).toEqual(['Ecological', 'civilization']);
		expect(labelLines('生态文明')).toEqual(['生态文明']);
	});
});

describe('barHeight', () => {
	it('gives a category the room of its tallest label, so wrapped names never overlap', () => {
		const oneLine = parseFloat(barHeight(5, 1));
		const threeLines = parseFloat(barHeight(5, 1, 3));
		expect(threeLines).toBeGreaterThan(oneLine);
		// Five three-line labels of about 0.9rem a line need more than 13.5rem besides the axes.
		expect(threeLines - 3).toBeGreaterThan(5 * 3 * 0.9);
		expect(mostLabelLines(['Provincial, city and county affairs', '生态文明'])).toBe(3);
	});
});
