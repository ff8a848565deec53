import { createHash, randomInt } from 'node:crypto';
import type { Db } from '../db';
import { lockKeys } from '../db/dialect';

// One-time ballot codes (一次性测评码) for raters without accounts. A code is shown once, on the printed slips,
// and stored only as a hash; using it sets `used` and records nothing else. Slips are handed out at random in the
// meeting, so nobody (the committee included) knows whose code is whose.

/** No 0/O, 1/I/L: codes are typed from paper on a phone. 31 symbols. */
const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** 10 symbols: 31^10 ≈ 8·10^14, beyond guessing at the sign-in throttle's pace. */
const codeLength = 10;
export const maxCodesPerBatch = 500;

/** `ABCDE-FGHJK`: what is printed on a slip and typed back. */
export function formatCode(code: string): string {
	return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** What a rater typed (any case, spaces, dashes, a pasted URL fragment) to the bare code, or null. */
export function normalizeCode(input: string): string | null {
	const bare = input
		.trim()
		.replace(/^.*#/, '')
		.toUpperCase()
		.replace(/[\s-]/g, '');
	if (bare.length !== codeLength) return null;
	for (const ch of bare) if (!alphabet.includes(ch)) return null;
	return bare;
}

export function hashCode(evaluationId: number, code: string): string {
	return createHash('sha256').update(`${evaluationId}:${code}`).digest('hex');
}

/** `length` random symbols of the code alphabet: ballot codes, and receipts (which are typed back too). */
export function randomSymbols(length: number): string {
	let out = '';
	for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
	return out;
}

const newCode = () => randomSymbols(codeLength);

/**
 * Makes `count` codes for a rater group as one batch and returns them (formatted) in random order, the only time
 * they exist in plain text. All or nothing.
 */
export async function generateCodes(db: Db, evaluationId: number, groupId: number, count: number): Promise<{ batch: number; codes: string[] }> {
	if (!Number.isInteger(count) || count < 1 || count > maxCodesPerBatch) throw new Error(`count must be 1–${maxCodesPerBatch}`);
	return db.transaction().execute(async (trx) => {
		const last = await trx
			.selectFrom('evaluation_code')
			.select((eb) => eb.fn.max('batch').as('batch'))
			.where('evaluation_id', '=', evaluationId)
			.executeTakeFirst();
		const batch = Number(last?.batch ?? 0) + 1;
		const codes = new Set<string>();
		while (codes.size < count) codes.add(newCode());
		const rows = [...codes].map((code) => ({ code_hash: hashCode(evaluationId, code), evaluation_id: evaluationId, group_id: groupId, batch }));
		for (let i = 0; i < rows.length; i += 200) await trx.insertInto('evaluation_code').values(rows.slice(i, i + 200)).execute();
		// A Set keeps insertion order; the slips go out shuffled anyway, and the codes were random to begin with.
		return { batch, codes: [...codes].map(formatCode) };
	});
}

/**
 * Voids the unused codes of a batch (a lost print-out). Used codes stay counted. Under the campaign's ballot lock
 * (ballots.ts), so that it waits for a batch of ballots marking codes used instead of deadlocking with it.
 */
export async function voidBatch(db: Db, evaluationId: number, batch: number): Promise<number> {
	return db.transaction().execute(async (trx) => {
		await lockKeys(trx, 'evaluation_ballot', [evaluationId]);
		const result = await trx
			.updateTable('evaluation_code')
			.set({ voided: 1 })
			.where('evaluation_id', '=', evaluationId)
			.where('batch', '=', batch)
			.where('used', '=', 0)
			.executeTakeFirst();
		return Number(result.numUpdatedRows);
	});
}

export type CodeBatch = { batch: number; groupId: number; issued: number; used: number; voided: number };

export async function codeBatches(db: Db, evaluationId: number): Promise<CodeBatch[]> {
	const rows = await db
		.selectFrom('evaluation_code')
		.select((eb) => [
			'batch',
			'group_id',
			eb.fn.countAll<number>().as('issued'),
			eb.fn.sum<number>('used').as('used'),
			eb.fn.sum<number>('voided').as('voided')
		])
		.where('evaluation_id', '=', evaluationId)
		.groupBy(['batch', 'group_id'])
		.orderBy('batch')
		.execute();
	return rows.map((r) => ({ batch: r.batch, groupId: r.group_id, issued: Number(r.issued), used: Number(r.used), voided: Number(r.voided) }));
}
