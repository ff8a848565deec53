import { describe, expect, it } from 'vitest';
import { defaultWindow, formatQuarter, fromLocalInput, nextQuarter, parseQuarter, previousQuarter, quarterOf, toLocalInput, zonedTime } from './quarters';

const shanghai = 'Asia/Shanghai';
const newYork = 'America/New_York';
const hour = 60 * 60_000;

describe('quarter codes', () => {
	it('parses 2026Q4 and refuses what is not a quarter', () => {
		expect(parseQuarter('2026Q4')).toEqual({ year: 2026, q: 4 });
		expect(parseQuarter(' 2027Q1 ')).toEqual({ year: 2027, q: 1 });
		for (const bad of ['2026Q0', '2026Q5', '2026q4', '26Q4', '2026-Q4', '2026Q4x', '', 'Q4']) expect(parseQuarter(bad), bad).toBeNull();
	});

	it('steps across year ends both ways', () => {
		expect(nextQuarter('2026Q3')).toBe('2026Q4');
		expect(nextQuarter('2026Q4')).toBe('2027Q1');
		expect(previousQuarter('2027Q1')).toBe('2026Q4');
		expect(previousQuarter('2026Q2')).toBe('2026Q1');
		expect(formatQuarter(2026, 2)).toBe('2026Q2');
		expect(() => nextQuarter('2026Q9')).toThrow();
	});

	it('takes the quarter of an instant in the organization time zone, not UTC', () => {
		// 2026-09-30 16:00 UTC is already 1 October 00:00 in Shanghai: the fourth quarter there.
		const edge = Date.UTC(2026, 8, 30, 16, 0);
		expect(quarterOf(edge, shanghai)).toBe('2026Q4');
		expect(quarterOf(edge - 1, shanghai)).toBe('2026Q3');
		expect(quarterOf(edge, 'UTC')).toBe('2026Q3');
		// New Year in New York comes five hours after UTC's.
		expect(quarterOf(Date.UTC(2027, 0, 1, 3), newYork)).toBe('2026Q4');
		expect(quarterOf(Date.UTC(2027, 0, 1, 5), newYork)).toBe('2027Q1');
	});
});

describe('defaultWindow', () => {
	it("is the quarter's last month, midnight to midnight, in Shanghai", () => {
		expect(defaultWindow('2026Q4', shanghai)).toEqual({ opensAt: Date.UTC(2026, 10, 30, 16), closesAt: Date.UTC(2026, 11, 31, 16) });
		expect(defaultWindow('2027Q1', shanghai)).toEqual({ opensAt: Date.UTC(2027, 1, 28, 16), closesAt: Date.UTC(2027, 2, 31, 16) });
		const w = defaultWindow('2026Q2', shanghai);
		expect(toLocalInput(w.opensAt, shanghai)).toBe('2026-06-01T00:00');
		expect(toLocalInput(w.closesAt, shanghai)).toBe('2026-07-01T00:00');
	});

	it('follows daylight saving time in New York: the March window opens in EST and closes in EDT', () => {
		// DST starts 2026-03-08, so 1 March midnight is UTC-5 and 1 April midnight is UTC-4.
		const q1 = defaultWindow('2026Q1', newYork);
		expect(q1.opensAt).toBe(Date.UTC(2026, 2, 1, 5));
		expect(q1.closesAt).toBe(Date.UTC(2026, 3, 1, 4));
		expect(q1.closesAt - q1.opensAt).toBe(31 * 24 * hour - hour);
		expect(toLocalInput(q1.opensAt, newYork)).toBe('2026-03-01T00:00');
		expect(toLocalInput(q1.closesAt, newYork)).toBe('2026-04-01T00:00');
		// December is all EST; the window runs into the next year.
		const q4 = defaultWindow('2026Q4', newYork);
		expect(q4).toEqual({ opensAt: Date.UTC(2026, 11, 1, 5), closesAt: Date.UTC(2027, 0, 1, 5) });
	});

	it('refuses a code that is not a quarter', () => {
		expect(() => defaultWindow('2026Q5', shanghai)).toThrow();
	});
});

describe('datetime-local values', () => {
	it('round-trip through an instant in the time zone', () => {
		for (const zone of [shanghai, newYork, 'UTC']) {
			for (const value of ['2026-12-01T08:30', '2026-03-08T01:59', '2026-03-08T03:00', '2027-01-01T00:00', '2028-02-29T23:59']) {
				const at = fromLocalInput(value, zone);
				expect(at, `${value} in ${zone}`).not.toBeNull();
				expect(toLocalInput(at as number, zone), `${value} in ${zone}`).toBe(value);
			}
		}
		expect(fromLocalInput('2026-12-01T08:30', shanghai)).toBe(Date.UTC(2026, 11, 1, 0, 30));
		expect(fromLocalInput('2026-12-01T08:30', newYork)).toBe(Date.UTC(2026, 11, 1, 13, 30));
		// Seconds, as some browsers send them, are accepted and dropped.
		expect(fromLocalInput('2026-12-01T08:30:00', shanghai)).toBe(Date.UTC(2026, 11, 1, 0, 30));
	});

	it('refuses dates that do not exist, including 2026-02-31 and a time skipped by DST', () => {
		for (const bad of ['2026-02-31T00:00', '2026-02-29T10:00', '2026-04-31T12:00', '2026-13-01T00:00', '2026-00-10T00:00', '2026-01-01T24:00', '2026-01-01T10:60']) {
			expect(fromLocalInput(bad, shanghai), bad).toBeNull();
		}
		// 02:30 on 8 March 2026 never happens on a New York clock.
		expect(fromLocalInput('2026-03-08T02:30', newYork)).toBeNull();
		expect(fromLocalInput('2026-03-08T02:30', shanghai)).not.toBeNull();
	});

	it('refuses what is not a datetime-local value', () => {
		for (const bad of ['', 'tomorrow', '2026-12-01', '2026-12-01 08:30x', '2026/12/01T08:30', '20261201T0830']) expect(fromLocalInput(bad, shanghai), bad).toBeNull();
	});

	it('zonedTime agrees with the fixed offset of a zone without DST', () => {
		expect(zonedTime(2026, 10, 1, 0, 0, shanghai)).toBe(Date.UTC(2026, 8, 30, 16));
	});
});
