import { getLocale } from '$lib/paraglide/runtime';
import { partsIn, twoDigits, type Parts } from './zoned';

export { isoDay } from './zoned';

// Dates and times for reading, one format per kind in each language, always in the organization's time zone
// (a test window means the same wall-clock time to everyone, whatever the reader's device says):
//   zh-CN  2026年12月7日 · 21:30 · 2026年12月7日 21:30
//   en     7 Dec 2026    · 21:30 · 7 Dec 2026, 21:30
// The patterns are put together here from numeric parts rather than left to the locale's dateStyle: those
// differ between ICU versions (Node on the server, the browser on the client), and the page must read the same
// before and after hydration. A 24-hour clock in both languages.

// English month abbreviations as in "7 Dec 2026"; fixed, because CLDR has changed September's ("Sep"/"Sept").
const monthsEn = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const isChinese = (locale: string) => locale.toLowerCase().startsWith('zh');

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

/** A `YYYY-MM-DD` day for reading: 2026年12月7日 / 7 Dec 2026. */
export function formatIsoDay(day: string, locale: string = getLocale()): string {
	const [year, month, date] = day.split('-').map(Number);
	return dateOf({ year: year ?? 0, month: month ?? 1, day: date ?? 1, hour: 0, minute: 0 }, locale);
}
