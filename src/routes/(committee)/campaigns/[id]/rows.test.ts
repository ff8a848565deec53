import { describe, expect, it } from 'vitest';
import { moved, patched, without } from './rows';

describe('the row editors’ list functions', () => {
	const rows = [
		{ name: 'a', ids: [1] },
		{ name: 'b', ids: [] as number[] }
	];

	it('patches one row with values or with a function of the row as it is', () => {
		expect(patched(rows, 1, { name: 'B' })).toEqual([rows[0], { name: 'B', ids: [] }]);
		// Two ticks in a row, each from the list the one before produced: neither is lost.
		const once = patched(rows, 1, (r) => ({ ids: [...r.ids, 2] }));
		const twice = patched(once, 1, (r) => ({ ids: [...r.ids, 3] }));
		expect(twice[1]).toEqual({ name: 'b', ids: [2, 3] });
		expect(rows[1]?.ids).toEqual([]);
	});

	it('moves a row within the list and removes one', () => {
		expect(moved(rows, 0, 1).map((r) => r.name)).toEqual(['b', 'a']);
		expect(moved(rows, 0, -1)).toBe(rows);
		expect(without(rows, 0).map((r) => r.name)).toEqual(['b']);
	});
});
