// Quarters and test windows in the organization's time zone. The Xuchang plan (seed 001 五) has the test "每季度最后
// 一个月组织测试", so a test's default window is the quarter's last month, from its first day 00:00 to the first day of
// the next quarter 00:00, local time.

/** `2026Q4` */
export type Quarter = string;
export const quarterPattern = /^(\d{4})Q([1-4])$/;

export function parseQuarter(quarter: string): { year: number; q: number } | null {
	const m = quarterPattern.exec(quarter.trim());
	return m ? { year: Number(m[1]), q: Number(m[2]) } : null;
}

export function formatQuarter(year: number, q: number): Quarter {
	return `${year}Q${q}`;
}

/** Local calendar parts of an instant in a time zone. */
function zonedParts(at: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
		second: 'numeric'
	}).formatToParts(new Date(at));
	const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
	return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** The instant of a local wall-clock time in a time zone (two passes settle a DST change). */
export function zonedTime(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
	const wanted = Date.UTC(year, month - 1, day, hour, minute);
	let guess = wanted;
	for (let i = 0; i < 2; i++) {
		const p = zonedParts(guess, timeZone);
		const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
		guess += wanted - shown;
	}
	return guess;
}

export function quarterOf(at: number, timeZone: string): Quarter {
	const p = zonedParts(at, timeZone);
	return formatQuarter(p.year, Math.floor((p.month - 1) / 3) + 1);
}

export function nextQuarter(quarter: Quarter): Quarter {
	const p = parseQuarter(quarter);
	if (!p) throw new Error(`not a quarter: ${quarter}`);
	return p.q === 4 ? formatQuarter(p.year + 1, 1) : formatQuarter(p.year, p.q + 1);
}

export function previousQuarter(quarter: Quarter): Quarter {
	const p = parseQuarter(quarter);
	if (!p) throw new Error(`not a quarter: ${quarter}`);
	return p.q === 1 ? formatQuarter(p.year - 1, 4) : formatQuarter(p.year, p.q - 1);
}

/** The quarter's last month, local time: [first day 00:00, first day of next quarter 00:00). */
export function defaultWindow(quarter: Quarter, timeZone: string): { opensAt: number; closesAt: number } {
	const p = parseQuarter(quarter);
	if (!p) throw new Error(`not a quarter: ${quarter}`);
	const lastMonth = p.q * 3;
	const next = p.q === 4 ? { year: p.year + 1, month: 1 } : { year: p.year, month: lastMonth + 1 };
	return {
		opensAt: zonedTime(p.year, lastMonth, 1, 0, 0, timeZone),
		closesAt: zonedTime(next.year, next.month, 1, 0, 0, timeZone)
	};
}

/** `YYYY-MM-DDTHH:MM` in the time zone, for `<input type="datetime-local">`. */
export function toLocalInput(at: number, timeZone: string): string {
	const p = zonedParts(at, timeZone);
	const two = (n: number) => String(n).padStart(2, '0');
	return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}`;
}

/** The instant a `datetime-local` value names in the time zone; null when it is not such a value. */
export function fromLocalInput(value: string, timeZone: string): number | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2})?$/.exec(value.trim());
	if (!m) return null;
	const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
	if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
	const at = zonedTime(year, month, day, hour, minute, timeZone);
	// 2026-02-31 rolls over to March: refuse it rather than guess.
	return toLocalInput(at, timeZone) === `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}` ? at : null;
}
