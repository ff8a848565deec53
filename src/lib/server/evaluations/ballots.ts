import { randomBytes } from 'node:crypto';
import type { Db } from '../db';
import { forgetOldRowVersions, lockKeys, rewriteInKeyOrder as rewriteRowsInKeyOrder } from '../db/dialect';
import type { Evaluation } from '../db/schema';
import { hashCode, normalizeCode, randomSymbols } from './codes';
import type { BallotContent, BallotInput, Level, Rater } from './types';

// Casting a ballot. The anonymity invariants (README.md beside this file) are kept here:
// - the participation row (who) and the ballot row (what) are written in one transaction but share nothing:
//   the ballot has a random key, the campaign and the rater group, and no member, session, address or time;
// - a code is marked used and nothing else is recorded;
// - the receipt is random and not derived from the ballot;
// - the campaign's ballots, participation rows and receipts are written again in key order with every ballot
//   (every batch of ballots cast together), so that their places inside the database pages do not keep the
//   order of writing (rewriteInKeyOrder);
// - after every batch the database forgets the rows' earlier versions (forgetOldRowVersions: SQLite's
//   write-ahead log is emptied, PostgreSQL's tables are written anew without their dead row versions);
// - nothing here logs, and errors carry no ballot content.

export const maxCommentLength = 500;

export type CastProblem =
	| 'not_found'
	| 'not_open'
	| 'not_eligible'
	| 'already_rated'
	| 'code_unknown'
	| 'code_used'
	| 'incomplete'
	| 'invalid'
	| 'comment_too_long';

export type CastResult = { ok: true; receipt: string } | { ok: false; problem: CastProblem; targetId?: number; criterionId?: number };

/** Ballots are taken in the test run at any time, and in the real run inside its window. */
export function acceptsBallots(campaign: Pick<Evaluation, 'status' | 'opens_at' | 'closes_at'>, now: number): boolean {
	if (campaign.status === 'trial') return true;
	return campaign.status === 'live' && now >= campaign.opens_at && now < campaign.closes_at;
}

/**
 * How long after the end results wait. A ballot sent just before the end may still wait behind another batch
 * of the campaign (milliseconds; castBallot refuses it past this point), and several app servers' clocks may
 * differ a little (NTP keeps them well inside a second): ten seconds cover both, so nobody can read a result
 * (results.ts) that a late ballot could still change.
 */
export const resultsSettleMs = 10_000;

/** When results appear: ten seconds after the end. */
export function resultsAt(campaign: Pick<Evaluation, 'closes_at'>): number {
	return campaign.closes_at + resultsSettleMs;
}

/** Closed: the real run's window has passed. Receipts are published then. */
export function isClosed(campaign: Pick<Evaluation, 'status' | 'closes_at'>, now: number): boolean {
	return campaign.status === 'live' && now >= campaign.closes_at;
}

/**
 * Raters, groups, threshold and anonymity settings are locked once the first real ballot is in: the real run is
 * open and has a ballot (the test run's were wiped when it opened). Ballots have no time to go by.
 */
export async function isLocked(db: Db, evaluationId: number): Promise<boolean> {
	const campaign = await db.selectFrom('evaluation').select('status').where('id', '=', evaluationId).executeTakeFirst();
	if (campaign?.status !== 'live') return false;
	const ballot = await db.selectFrom('evaluation_ballot').select('id').where('evaluation_id', '=', evaluationId).limit(1).executeTakeFirst();
	return ballot !== undefined;
}

export function parseLevels(json: string): Level[] {
	try {
		const value: unknown = JSON.parse(json);
		if (!Array.isArray(value)) return [];
		return value.filter((l): l is Level => typeof l === 'object' && l !== null && typeof l.label === 'string' && typeof l.score === 'number');
	} catch {
		return [];
	}
}

/** `ABCD-EFGH-JKMN`: 12 random symbols of the code alphabet, so a receipt is read and typed as easily as a code. */
function newReceipt(): string {
	const out = randomSymbols(12);
	return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8)}`;
}

type Form = { targetIds: number[]; criteria: { id: number; levelCount: number }[]; commentsEnabled: boolean };

/** Every target rated on every criterion with a level of its scale; comments trimmed, kept only when allowed. */
export function checkBallot(form: Form, input: BallotInput): { ok: true; content: BallotContent } | { ok: false; problem: CastProblem; targetId?: number; criterionId?: number } {
	const ratings: BallotContent['ratings'] = {};
	const comments: BallotContent['comments'] = {};
	for (const targetId of form.targetIds) {
		const given = input.ratings?.[targetId] ?? {};
		const out: Record<string, number> = {};
		for (const criterion of form.criteria) {
			const level = given[criterion.id];
			if (level === undefined || level === null) return { ok: false, problem: 'incomplete', targetId, criterionId: criterion.id };
			if (!Number.isInteger(level) || level < 0 || level >= criterion.levelCount) return { ok: false, problem: 'invalid', targetId, criterionId: criterion.id };
			out[String(criterion.id)] = level;
		}
		ratings[String(targetId)] = out;
		const comment = typeof input.comments?.[targetId] === 'string' ? input.comments[targetId].trim() : '';
		if (comment.length > maxCommentLength) return { ok: false, problem: 'comment_too_long', targetId };
		if (comment && form.commentsEnabled) comments[String(targetId)] = comment;
	}
	const known = new Set(form.targetIds.map(String));
	if (Object.keys(input.ratings ?? {}).some((t) => !known.has(String(t)))) return { ok: false, problem: 'invalid' };
	return { ok: true, content: { ratings, comments } };
}

/**
 * Casts one ballot for a signed-in member or a code, all or nothing. Exactly one ballot per eligible member or
 * code, also when two submissions race: the participation row's key (or the code's `used = 0` condition) lets
 * only one of them through, inside the same transaction as the ballot.
 *
 * Ballots of one campaign that arrive while another batch of its ballots is being cast wait and are then cast
 * together, in one transaction with one rewrite of the campaign's rows (group commit): the rewrite costs as much
 * for several ballots as for one, so at a meeting where hundreds rate within a minute the campaign keeps up
 * instead of queueing one rewrite per ballot. A batch is never held back to wait for more. Each ballot gets its
 * own result; a batch whose transaction fails is cast again one ballot at a time, so only the failing one fails.
 */
export function castBallot(db: Db, evaluationId: number, rater: Rater, input: BallotInput, now = Date.now()): Promise<CastResult> {
	return new Promise<CastResult>((resolve, reject) => {
		let campaigns = waiting.get(db);
		if (!campaigns) waiting.set(db, (campaigns = new Map()));
		const queue = campaigns.get(evaluationId);
		const entry: Waiting = { rater, input, now, receivedAt: performance.now(), resolve, reject };
		if (queue) {
			queue.push(entry);
			return;
		}
		campaigns.set(evaluationId, [entry]);
		void castWaiting(db, evaluationId, campaigns);
	});
}

type Waiting = {
	rater: Rater;
	input: BallotInput;
	/** When the ballot was sent (the campaign's clock; tests set it). */
	now: number;
	/** When castBallot was called, on this process's monotonic clock: how long the ballot has waited. */
	receivedAt: number;
	resolve: (result: CastResult) => void; reject: (error: unknown) => void };

/** Per database and campaign, the ballots waiting for the batch being cast; present while one is being cast. */
const waiting = new WeakMap<Db, Map<number, Waiting[]>>();

async function castWaiting(db: Db, evaluationId: number, campaigns: Map<number, Waiting[]>): Promise<void> {
	const queue = campaigns.get(evaluationId) as Waiting[];
	try {
		while (queue.length > 0) {
			const batch = queue.splice(0);
			// On PostgreSQL one failing statement aborts the whole transaction: a batch that fails is cast again
			// one ballot at a time, so that one rater's failure is nobody else's.
			const outcome = await castSettled(db, evaluationId, batch);
			if (outcome === 'failed') for (const entry of batch) await castSettled(db, evaluationId, [entry], true);
		}
	} finally {
		campaigns.delete(evaluationId);
	}
}

/**
 * Casts the batch and answers its callers, unless it failed and `last` is not set (the caller then retries).
 * After the commit, the database forgets the rows' earlier versions before anyone is answered: SQLite's
 * write-ahead log would hold this commit (participation and ballots together) until the next checkpoint, and
 * PostgreSQL's tables the rewritten rows' earlier versions, each with the transaction id of the ballots that
 * wrote it, until vacuum (README.md).
 */
async function castSettled(db: Db, evaluationId: number, batch: readonly Waiting[], last = batch.length === 1): Promise<'done' | 'failed'> {
	let results: CastResult[];
	try {
		results = await castBatch(db, evaluationId, batch);
	} catch (error) {
		if (!last) return 'failed';
		for (const entry of batch) entry.reject(error);
		return 'done';
	}
	if (results.some((r) => r.ok)) await forgetOldRowVersions(db, ballotTables);
	batch.forEach((entry, i) => entry.resolve(results[i] as CastResult));
	return 'done';
}

function castBatch(db: Db, evaluationId: number, batch: readonly Waiting[]): Promise<CastResult[]> {
	return db.transaction().execute(async (trx) => {
		await lockCampaignBallots(trx, evaluationId);
		// The campaign and its form once for the batch: under the lock, nothing that may change them runs.
		const campaign = await trx.selectFrom('evaluation').select(['status', 'opens_at', 'closes_at', 'comments_enabled']).where('id', '=', evaluationId).executeTakeFirst();
		const targets = await trx.selectFrom('evaluation_target').select('id').where('evaluation_id', '=', evaluationId).orderBy('position').execute();
		const criteria = await trx.selectFrom('evaluation_criterion').select(['id', 'levels']).where('evaluation_id', '=', evaluationId).orderBy('position').execute();
		const form: Form | undefined = campaign && {
			targetIds: targets.map((t) => t.id),
			criteria: criteria.map((c) => ({ id: c.id, levelCount: parseLevels(c.levels).length })),
			commentsEnabled: campaign.comments_enabled === 1
		};
		const results: CastResult[] = [];
		for (const { rater, input, now, receivedAt } of batch) {
			if (!campaign || !form) results.push({ ok: false, problem: 'not_found' });
			else if (!acceptsBallots(campaign, now)) results.push({ ok: false, problem: 'not_open' });
			// Sent in time but waited so long that results may already be shown: casting it now would change
			// figures someone has read (results.ts, rule 7). Milliseconds are the norm; this is the backstop.
			else if (now + (performance.now() - receivedAt) >= resultsAt(campaign)) results.push({ ok: false, problem: 'not_open' });
			else results.push(await castOne(trx, evaluationId, form, rater, input));
		}
		if (results.some((r) => r.ok)) await rewriteInKeyOrder(trx, evaluationId);
		return results;
	});
}

/**
 * Makes the rest of the transaction wait for any batch of this campaign's ballots being cast, on any app server,
 * and keeps the next one waiting until it ends. Two batches rewriting the campaign's rows side by side on
 * PostgreSQL would each rewrite only what it saw, leaving the second one's ballots and participation rows with
 * their shared transaction id; starting the real run or going back to draft must not wipe the test ballots in
 * the middle of a batch (SQLite's writers are one at a time anyway).
 */
export function lockCampaignBallots(trx: Db, evaluationId: number): Promise<void> {
	return lockKeys(trx, 'evaluation_ballot', [evaluationId]);
}

/** One ballot's checks and rows, inside the batch's transaction, for a campaign that takes ballots. */
async function castOne(trx: Db, evaluationId: number, form: Form, rater: Rater, input: BallotInput): Promise<CastResult> {

	let groupId: number;
	if (rater.kind === 'member') {
		const eligible = await trx
			.selectFrom('evaluation_eligible')
			.select('group_id')
			.where('evaluation_id', '=', evaluationId)
			.where('member_id', '=', rater.memberId)
			.executeTakeFirst();
		if (!eligible) return { ok: false, problem: 'not_eligible' };
		groupId = eligible.group_id;
	} else {
		const code = normalizeCode(rater.code);
		if (!code) return { ok: false, problem: 'code_unknown' };
		const row = await trx
			.selectFrom('evaluation_code')
			.select(['group_id', 'used', 'voided'])
			.where('code_hash', '=', hashCode(evaluationId, code))
			.where('evaluation_id', '=', evaluationId)
			.executeTakeFirst();
		if (!row || row.voided === 1) return { ok: false, problem: 'code_unknown' };
		if (row.used === 1) return { ok: false, problem: 'code_used' };
		groupId = row.group_id;
	}

	const checked = checkBallot(form, input);
	if (!checked.ok) return checked;

	if (rater.kind === 'member') {
		const inserted = await trx
			.insertInto('evaluation_participation')
			.values({ evaluation_id: evaluationId, member_id: rater.memberId })
			.onConflict((oc) => oc.doNothing())
			.executeTakeFirst();
		if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return { ok: false, problem: 'already_rated' };
	} else {
		const used = await trx
			.updateTable('evaluation_code')
			.set({ used: 1 })
			.where('code_hash', '=', hashCode(evaluationId, normalizeCode(rater.code) as string))
			.where('used', '=', 0)
			.executeTakeFirst();
		if (Number(used.numUpdatedRows) === 0) return { ok: false, problem: 'code_used' };
	}

	await trx
		.insertInto('evaluation_ballot')
		.values({ id: randomBytes(16).toString('hex'), evaluation_id: evaluationId, group_id: groupId, content: JSON.stringify(checked.content) })
		.execute();
	const receipt = newReceipt();
	await trx.insertInto('evaluation_receipt').values({ evaluation_id: evaluationId, code: receipt }).execute();
	return { ok: true, receipt };
}

/**
 * The tables rewritten after each ballot, each with its key (its stored order) and its other columns. The
 * campaign's column (evaluation_id) is the same on every row and written back as is.
 */
const rewritten = [
	{ table: 'evaluation_ballot', key: 'id', columns: ['id', 'group_id', 'content'] },
	{ table: 'evaluation_participation', key: 'member_id', columns: ['member_id'] },
	{ table: 'evaluation_receipt', key: 'code', columns: ['code'] }
] as const;

/**
 * Writes the campaign's ballots, participation rows and receipts again, in the order of their keys.
 *
 * Keys alone do not hide the order of writing: inside a page, SQLite places each new row just below the ones
 * before it, so the byte offsets of the rows in a page follow the order they were written in, until the page is
 * rebuilt. A campaign of a few dozen raters has all its ballots in one page and all its participation rows in
 * another, and the k-th ballot written would belong to the k-th member written, for anyone reading the file's
 * bytes (anonymity.test.ts measured a rank correlation of −1.00: the exact order). Deleted and inserted again in
 * key order, inside the ballot's own transaction, the rows sit in their pages in the order of their random or
 * member-id keys.
 *
 * On PostgreSQL a row also carries the id of the transaction that wrote it (xmin), readable by any query: the
 * ballot and the participation row written together would share one. Rewritten, every live row of the campaign
 * carries the latest ballot's transaction id instead. How each database does it: db/dialect.ts. Costs
 * O(ballots so far) per ballot, all inside the database (README.md has the figures).
 */
async function rewriteInKeyOrder(trx: Db, evaluationId: number): Promise<void> {
	for (const { table, key, columns } of rewritten) {
		await rewriteRowsInKeyOrder(trx, table, { column: 'evaluation_id', value: evaluationId }, key, columns);
	}
}

/** Has this member rated in this campaign? (Participation only; never which ballot.) */
export async function hasRated(db: Db, evaluationId: number, memberId: number): Promise<boolean> {
	const row = await db
		.selectFrom('evaluation_participation')
		.select('member_id')
		.where('evaluation_id', '=', evaluationId)
		.where('member_id', '=', memberId)
		.executeTakeFirst();
	return row !== undefined;
}

/** The published receipt list, sorted (so its order says nothing either); only once the campaign has closed. */
export async function publishedReceipts(db: Db, evaluationId: number, now = Date.now()): Promise<string[] | null> {
	const campaign = await db.selectFrom('evaluation').select(['status', 'closes_at']).where('id', '=', evaluationId).executeTakeFirst();
	if (!campaign || !isClosed(campaign, now)) return null;
	const rows = await db.selectFrom('evaluation_receipt').select('code').where('evaluation_id', '=', evaluationId).orderBy('code').execute();
	return rows.map((r) => r.code);
}

/** Every table whose rows a ballot writes: the three rewritten ones and the codes (a code is marked used). */
export const ballotTables = [...rewritten.map((r) => r.table), 'evaluation_code'] as const;

/**
 * The test run's ballots, participation and receipts go, and its codes can be used again. Inside the caller's
 * transaction; after it commits, `forgetOldRowVersions(db, ballotTables)` drops what the database keeps of them.
 */
export async function wipeBallots(trx: Db, evaluationId: number): Promise<void> {
	await trx.deleteFrom('evaluation_ballot').where('evaluation_id', '=', evaluationId).execute();
	await trx.deleteFrom('evaluation_receipt').where('evaluation_id', '=', evaluationId).execute();
	await trx.deleteFrom('evaluation_participation').where('evaluation_id', '=', evaluationId).execute();
	await trx.updateTable('evaluation_code').set({ used: 0 }).where('evaluation_id', '=', evaluationId).execute();
}
