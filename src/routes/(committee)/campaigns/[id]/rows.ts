// The criteria and rater-group editors keep their rows in page state while the committee edits them (the server
// gets them all at once, all or nothing). Plain functions that return a new list, for both editors.

/** Row i with the patch applied; a patch given as a function reads the row as it is now, not as last drawn. */
export function patched<T>(rows: T[], i: number, patch: Partial<T> | ((row: T) => Partial<T>)): T[] {
	return rows.map((r, k) => (k === i ? { ...r, ...(typeof patch === 'function' ? patch(r) : patch) } : r));
}

/** Row i moved one place up (step −1) or down (+1); the list as it was at either end. */
export function moved<T>(rows: T[], i: number, step: -1 | 1): T[] {
	const j = i + step;
	if (j < 0 || j >= rows.length) return rows;
	const next = [...rows];
	[next[i], next[j]] = [next[j] as T, next[i] as T];
	return next;
}

export function without<T>(rows: T[], i: number): T[] {
	return rows.filter((_, k) => k !== i);
}
