import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';

// Reading uploaded .xlsx files safely. An .xlsx is a zip; ExcelJS unpacks and parses all of it in memory on the
// main thread, so a small file that unpacks to gigabytes (a zip bomb) could stop or kill the server. Before
// ExcelJS sees a file, every entry is inflated here with a hard output limit (the sizes a zip declares can
// lie), and only one workbook is parsed at a time, so the worst case is one file within the budget.

const centralEntry = 0x02014b50;
const endOfCentralDirectory = 0x06054b50;
const localHeader = 0x04034b50;

/** 'ok' when every entry of the zip inflates to at most `budget` bytes in all; otherwise why not. */
export function checkZipBudget(bytes: Uint8Array, budget: number): 'ok' | 'too_large' | 'unreadable' {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const u32 = (at: number) => (at + 4 <= bytes.byteLength ? view.getUint32(at, true) : -1);
	const u16 = (at: number) => (at + 2 <= bytes.byteLength ? view.getUint16(at, true) : -1);
	let eocd = -1;
	for (let at = bytes.byteLength - 22; at >= Math.max(0, bytes.byteLength - 22 - 65_535); at--) {
		if (u32(at) === endOfCentralDirectory) {
			eocd = at;
			break;
		}
	}
	if (eocd < 0) return 'unreadable';
	const entries = u16(eocd + 10);
	let at = u32(eocd + 16);
	let total = 0;
	for (let i = 0; i < entries; i++) {
		if (u32(at) !== centralEntry) return 'unreadable';
		const method = u16(at + 10);
		const compressed = u32(at + 20);
		const local = u32(at + 42);
		const next = at + 46 + u16(at + 28) + u16(at + 30) + u16(at + 32);
		if (u32(local) !== localHeader) return 'unreadable';
		const start = local + 30 + u16(local + 26) + u16(local + 28);
		if (compressed < 0 || start + compressed > bytes.byteLength) return 'unreadable';
		const data = bytes.subarray(start, start + compressed);
		if (method === 0) total += compressed;
		else if (method === 8) {
			try {
				total += inflateRawSync(data, { maxOutputLength: Math.max(1, budget - total + 1) }).byteLength;
			} catch (e) {
				return e instanceof RangeError ? 'too_large' : 'unreadable';
			}
		} else return 'unreadable';
		if (total > budget) return 'too_large';
		at = next;
	}
	return 'ok';
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs workbook parses one after another: at most one large file is in memory at a time. */
function serially<T>(work: () => Promise<T>): Promise<T> {
	const run = queue.then(work, work);
	queue = run.catch(() => undefined);
	return run;
}

export type LoadedWorkbook = { ok: true; workbook: ExcelJS.Workbook } | { ok: false; reason: 'too_large' | 'unreadable' };

/** An uploaded .xlsx, checked against the unpacked-size budget and parsed one at a time. */
export async function loadWorkbook(bytes: Uint8Array, unpackedBudget: number): Promise<LoadedWorkbook> {
	const check = checkZipBudget(bytes, unpackedBudget);
	if (check !== 'ok') return { ok: false, reason: check };
	return serially(async (): Promise<LoadedWorkbook> => {
		const workbook = new ExcelJS.Workbook();
		try {
			await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
			return { ok: true, workbook };
		} catch {
			return { ok: false, reason: 'unreadable' };
		}
	});
}
