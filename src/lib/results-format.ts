// Numbers on the progress and results pages, the same in both languages. Safe for components to import.

import { centsToPoints as points } from '$lib/points';

/** Points from integer cents: 8550 → "85.5", 8000 → "80". */
export { points };

/** A signed change in points: "+2", "−1.5", "0". */
export function signedPoints(cents: number): string {
	return cents > 0 ? `+${points(cents)}` : cents < 0 ? `−${points(-cents)}` : '0';
}

/** A rate as a percentage with one decimal, or "—" when there is nothing to divide. */
export function percent(rate: number | null): string {
	return rate === null ? '—' : `${(rate * 100).toFixed(1).replace(/\.0$/, '')}%`;
}
