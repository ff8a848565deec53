// Points as people type and read them, and as the database keeps them: integer hundredths ("cents"), so that a
// paper's total is an exact sum (2 points = 200). Shared by the committee's forms on the server and in the page.

/**
 * `60`, `1.5`, `0.25` points to integer cents; NaN for anything else. Exact (no floating point): a pass mark of
 * 59.99 must stay 5999 cents. Two decimals at most, since points are stored in hundredths. A full-width point
 * (．) from a Chinese keyboard counts as a point.
 */
export function pointsToCents(value: string): number {
	const m = /^(\d{1,6})(?:[.．](\d{1,2}))?$/.exec(value.trim());
	if (!m) return NaN;
	return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Cents as points, without trailing zeros: 6000 → `60`, 150 → `1.5`, 5999 → `59.99`. */
export function centsToPoints(cents: number): string {
	const whole = Math.trunc(cents / 100);
	const rest = Math.abs(cents % 100);
	return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(2, '0').replace(/0$/, '')}`;
}
