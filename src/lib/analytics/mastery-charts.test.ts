import { describe, expect, it } from 'vitest';
import { labelLines } from './mastery-charts';

describe('area labels on a bar chart', () => {
	it('puts a bracketed note on its own line and wraps a long English name between words', () => {
		expect(labelLines('政治理论（党的创新理论）')).toEqual(['政治理论', '（党的创新理论）']);
		expect(labelLines('Provincial, city and county affairs')).toEqual(['Provincial, city', 'and county', 'affairs']);
		expect(labelLines('Ecological civilization')).toEqual(['Ecological', 'civilization']);
		expect(labelLines('生态文明')).toEqual(['生态文明']);
	});
});
