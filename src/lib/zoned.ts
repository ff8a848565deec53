// Wall-clock parts of an instant in a time zone, without any import: shared by the pages' date formats
// ($lib/dates) and server modules that command-line tasks also load (which cannot resolve $lib).

export type Parts = { year: number; month: number; day: number; hour: number; minute: number };

const partFormats = new Map<string, Intl.DateTimeFormat>();

export function partsIn(at: number, timeZone: string): Parts {
	let format = partFormats.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-US', {
			timeZone,
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			hourCycle: 'h23'
		});
		partFormats.set(timeZone, format);
	}
	const parts: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
	for (const part of format.formatToParts(new Date(at))) {
		if (part.type !== 'literal') parts[part.type] = Number(part.value);
	}
	// Some engines still write midnight as 24 even with h23.
	return { year: parts.year ?? 0, month: parts.month ?? 1, day: parts.day ?? 1, hour: (parts.hour ?? 0) % 24, minute: parts.minute ?? 0 };
}

export const twoDigits = (n: number) => String(n).padStart(2, '0');

/**
 * The calendar day of an instant in the given time zone as `YYYY-MM-DD`: a date that carries no time, for what
 * is shown by the day only (a member's last sign-in: to the minute it could be matched with other activity).
 */
export function isoDay(at: number, timeZone: string): string {
	const p = partsIn(at, timeZone);
	return `${p.year}-${twoDigits(p.month)}-${twoDigits(p.day)}`;
}
