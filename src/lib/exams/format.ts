import { m } from '$lib/paraglide/messages';

// Shared formatting for test pages (client-safe: no server imports).

/** Points are stored in hundredths: 500 → "5", 250 → "2.5". */
export { centsToPoints as points } from '$lib/points';

/** `2026Q4` → 2026年第四季度 / 2026 Q4 */
export function quarterLabel(quarter: string): string {
	const match = /^(\d{4})Q([1-4])$/.exec(quarter);
	if (!match) return quarter;
	// Named calls, not m[`quarter_${n}`]: a computed lookup would pull every message of the app into the bundle.
	const names = [m.quarter_1, m.quarter_2, m.quarter_3, m.quarter_4];
	return m.quarter_label({ year: match[1] as string, quarter: (names[Number(match[2]) - 1] ?? m.quarter_1)() });
}

/** A moment in the organization's time zone, in the reader's language. */
export { formatDateTime as dateTime } from '$lib/dates';
