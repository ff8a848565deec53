import { getLocale } from '$lib/paraglide/runtime';

// Dates and times for reading, one format per kind in each language, always in the organization's time zone
// (a test window means the same wall-clock time to everyone, whatever the reader's device says):
//   zh-CN  2026年12月7日 · 21:30 · 2026年12月7日 21:30
//   en     7 Dec 2026    · 21:30 · 7 Dec 2026, 21:30
// The patterns are put together here from numeric parts rather than left to the locale's dateStyle: those
// differ between ICU versions (Node on the server, the browser on the client), and the page must read the same
// before and after hydration. A 24-hour clock in both languages.

type Parts = { year: number; month: number; day: number; hour: number; minute: number };

const partFormats = new Map<string, Intl.DateTimeFormat>();

function partsIn(at: number, timeZone: string): Parts {
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

// English month abbreviations as in "7 Dec 2026"; fixed, because CLDR has changed September's ("Sep"/"Sept").
const monthsEn = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const isChinese = (locale: string) => locale.toLowerCase().startsWith('zh');
const twoDigits = (n: number) => String(n).padStart(2, '0');

function dateOf(p: Parts, locale: string): string {
	return isChinese(locale) ? `${p.year}年${p.month}月${p.day}日` : `${p.day} ${monthsEn[p.month - 1]} ${p.year}`;
}

const timeOf = (p: Parts) => `${twoDigits(p.hour)}:${twoDigits(p.minute)}`;

/** The calendar day of an instant in the given time zone: 2026年12月7日 / 7 Dec 2026. */
export function formatDate(at: number, timeZone: string, locale: string = getLocale()): string {
	return dateOf(partsIn(at, timeZone), locale);
}

/** The wall-clock time of an instant in the given time zone, to the minute: 21:30. */
export function formatTime(at: number, timeZone: string): string {
	return timeOf(partsIn(at, timeZone));
}

/** An instant in the given time zone, to the minute: 2026年12月7日 21:30 / 7 Dec 2026, 21:30. */
export function formatDateTime(at: number, timeZone: string, locale: string = getLocale()): string {
	const p = partsIn(at, timeZone);
	return isChinese(locale) ? `${dateOf(p, locale)} ${timeOf(p)}` : `${dateOf(p, locale)}, ${timeOf(p)}`;
}
