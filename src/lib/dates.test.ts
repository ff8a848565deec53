import { afterEach, describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatTime } from './dates';
import { baseLocale, overwriteGetLocale } from './paraglide/runtime';

const shanghai = 'Asia/Shanghai';
// 2026-12-07 13:30 UTC is 21:30 in Shanghai.
const evening = Date.UTC(2026, 11, 7, 13, 30);

afterEach(() => overwriteGetLocale(() => baseLocale));

describe('dates in Chinese', () => {
	it('writes the day as 年月日 and the time on a 24-hour clock', () => {
		overwriteGetLocale(() => 'zh-CN');
		expect(formatDate(evening, shanghai)).toBe('2026年12月7日');
		expect(formatTime(evening, shanghai)).toBe('21:30');
		expect(formatDateTime(evening, shanghai)).toBe('2026年12月7日 21:30');
	});
});

describe('dates in English', () => {
	it('writes day, short month and year, then the time on a 24-hour clock', () => {
		overwriteGetLocale(() => 'en');
		expect(formatDate(evening, shanghai)).toBe('7 Dec 2026');
		expect(formatTime(evening, shanghai)).toBe('21:30');
		expect(formatDateTime(evening, shanghai)).toBe('7 Dec 2026, 21:30');
	});

	it('names every month the same way on every engine', () => {
		const months = Array.from({ length: 12 }, (_, i) => formatDate(Date.UTC(2026, i, 15, 4), 'UTC', 'en').split(' ')[1]);
		expect(months).toEqual(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']);
	});
});

describe('dates in the organization time zone', () => {
	it('shows the wall-clock time there, not the machine’s, and moves the day with it', () => {
		// 16:05 UTC on 31 December is already 00:05 on 1 January in Shanghai.
		const newYear = Date.UTC(2026, 11, 31, 16, 5);
		expect(formatDateTime(newYear, shanghai, 'zh-CN')).toBe('2027年1月1日 00:05');
		expect(formatDateTime(newYear, shanghai, 'en')).toBe('1 Jan 2027, 00:05');
		expect(formatDateTime(newYear, 'UTC', 'en')).toBe('31 Dec 2026, 16:05');
	});

	it('writes midnight as 00, never 24', () => {
		expect(formatTime(Date.UTC(2026, 5, 1, 16, 0), shanghai)).toBe('00:00');
	});
});
