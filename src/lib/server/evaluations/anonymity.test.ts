import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupSqlite } from '../db/backup';
import { openDatabase } from '../db/index';
import { migrateToLatest } from '../db/migrate';
import { makeMember, makeUnit, onPostgres } from '../testing/db';
import { fullBallot, makeCampaign } from '../testing/evaluations';
import { castBallot } from './ballots';
import { hashCode, normalizeCode } from './codes';
import { mulberry32 } from '../testing/random';

// The issue's anonymity test: 1,000 ballots cast in a known order, then the database FILE is opened again,
// read-only and without any of our code, to show that no column links a ballot to a participant and that the
// order in which rows are stored does not follow the order in which ballots were cast: the order SQLite returns
// rows in, the byte positions of the rows in the file (read from the pages themselves), inside each page, for
// ballots, their index, participation and receipts; in small campaigns too, in a backup copy, and for codes.
// Figures are printed (`anonymity:` lines). README.md beside this file says what this does and does not cover.
// SQLite only (its file's bytes): skipped on PostgreSQL (npm run test:unit:pg); postgres-anonymity.test.ts has
// PostgreSQL's own checks.

const n = 1000;
/** Casting index i is written into the ballot itself, base 4 over the first five criteria (4^5 = 1024 ≥ n). */
const digits = 5;

let dir: string;
let file: string;
let run: Run;


function shuffled<T>(items: T[], random: () => number): T[] {
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[out[i], out[j]] = [out[j] as T, out[i] as T];
	}
	return out;
}

/**
 * Spearman's rank correlation: Pearson's correlation of the two lists' ranks (ties get their average rank).
 * With no ties it equals 1 − 6·Σd² / (n·(n² − 1)), d being the difference of a pair's ranks. 1 means the
 * stored order is the casting order, −1 its reverse, about 0 (±2/√n by chance: ±0.06 for 1,000) no relation.
 */
function spearman(xs: number[], ys: number[]): number {
	const rank = (values: number[]) => {
		const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
		const ranks = new Array<number>(values.length);
		for (let i = 0; i < order.length; ) {
			let j = i;
			while (j + 1 < order.length && order[j + 1]?.[0] === order[i]?.[0]) j++;
			for (let k = i; k <= j; k++) ranks[order[k]?.[1] as number] = (i + j) / 2;
			i = j + 1;
		}
		return ranks;
	};
	const rx = rank(xs);
	const ry = rank(ys);
	const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
	const mx = mean(rx);
	const my = mean(ry);
	let sxy = 0;
	let sxx = 0;
	let syy = 0;
	for (let i = 0; i < rx.length; i++) {
		const dx = (rx[i] as number) - mx;
		const dy = (ry[i] as number) - my;
		sxy += dx * dy;
		sxx += dx * dx;
		syy += dy * dy;
	}
	return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

/** The casting index a ballot's content carries (the test's own marking, see `digits`). */
function castIndexOfContent(content: string, targetId: number, criterionIds: number[]): number {
	const ratings = (JSON.parse(content) as { ratings: Record<string, Record<string, number>> }).ratings[String(run.targetId)] ?? {};
	let index = 0;
	for (let d = digits - 1; d >= 0; d--) index = index * 4 + (ratings[String(criterionIds[d])] as number);
	return index;
}

type StoredCell = { page: number; offset: number; columns: (string | number | null)[] };

/**
 * Where each row of a WITHOUT ROWID table (an index b-tree in SQLite's file format) sits in the file: page
 * number and byte offset of its cell, read straight from the bytes (https://sqlite.org/fileformat2.html),
 * and the row's columns (key columns first). Index b-trees keep entries in interior pages too; all are returned, in key
 * order (an in-order walk). Rows here are small, so no payload spills to overflow pages.
 */
function storedCells(bytes: Buffer, rootPage: number): StoredCell[] {
	const pageSize = bytes.readUInt16BE(16) === 1 ? 65536 : bytes.readUInt16BE(16);
	const varint = (at: number): [number, number] => {
		let value = 0;
		for (let i = 0; i < 9; i++) {
			const b = bytes[at + i] as number;
			if (i === 8) return [value * 256 + b, 9];
			value = value * 128 + (b & 0x7f);
			if (b < 0x80) return [value, i + 1];
		}
		return [value, 9];
	};
	/** The record's columns (text and integers are all these tables hold). */
	const columns = (payloadAt: number): (string | number | null)[] => {
		const [headerSize, h] = varint(payloadAt);
		const types: number[] = [];
		for (let at = payloadAt + h; at < payloadAt + headerSize; ) {
			const [type, size] = varint(at);
			types.push(type);
			at += size;
		}
		const sizes: Record<number, number> = { 0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8, 8: 0, 9: 0 };
		const out: (string | number | null)[] = [];
		let body = payloadAt + headerSize;
		for (const type of types) {
			if (type >= 13 && type % 2 === 1) {
				const length = (type - 13) / 2;
				out.push(bytes.toString('utf8', body, body + length));
				body += length;
			} else if (type in sizes) {
				const size = sizes[type] as number;
				out.push(type === 0 ? null : type === 8 ? 0 : type === 9 ? 1 : size === 8 ? Number(bytes.readBigInt64BE(body)) : bytes.readIntBE(body, size));
				body += size;
			} else throw new Error(`unexpected serial type ${type}`);
		}
		return out;
	};
	const out: StoredCell[] = [];
	const walk = (page: number) => {
		const base = (page - 1) * pageSize;
		const header = base + (page === 1 ? 100 : 0);
		const kind = bytes[header] as number;
		if (kind !== 0x02 && kind !== 0x0a) throw new Error(`page ${page}: not an index b-tree page (${kind})`);
		const interior = kind === 0x02;
		const cells = bytes.readUInt16BE(header + 3);
		const pointers = header + (interior ? 12 : 8);
		for (let i = 0; i < cells; i++) {
			const offset = bytes.readUInt16BE(pointers + 2 * i);
			let at = base + offset;
			if (interior) {
				walk(bytes.readUInt32BE(at));
				at += 4;
			}
			const [, p] = varint(at);
			out.push({ page, offset, columns: columns(at + p) });
		}
		if (interior) walk(bytes.readUInt32BE(header + 8));
	};
	walk(rootPage);
	return out;
}

/**
 * Inside a page, SQLite places each new cell just below the previous ones (the cell content area grows down),
 * so the byte offsets of cells written since a page was last rebuilt follow the order they were written in.
 * Mean over pages (with at least 3 of the rows) of the rank correlation between offset and casting index.
 */
function withinPageCorrelation(cells: StoredCell[], castIndexOfCell: (columns: StoredCell['columns']) => number | undefined): { pages: number; mean: number } {
	const byPage = new Map<number, { offset: number; index: number }[]>();
	for (const c of cells) {
		const index = castIndexOfCell(c.columns);
		if (index === undefined) continue;
		byPage.set(c.page, [...(byPage.get(c.page) ?? []), { offset: c.offset, index }]);
	}
	const figures = [...byPage.values()].filter((p) => p.length >= 3).map((p) => spearman(p.map((c) => c.offset), p.map((c) => c.index)));
	return { pages: figures.length, mean: figures.reduce((s, x) => s + x, 0) / Math.max(figures.length, 1) };
}

type Run = {
	evaluationId: number;
	targetId: number;
	criterionIds: number[];
	/** What the test knows and an observer of the file should not: each member's place in the casting order. */
	castIndexOf: Map<number, number>;
	/** receipts[i] is the receipt of the i-th ballot cast. */
	receipts: string[];
	started: number;
	finished: number;
	logsLeft: number;
};

/**
 * A campaign in a fresh database file where `count` members cast one ballot each, one after the other, in a seeded
 * random order unrelated to their ids; each ballot carries its casting index (see `digits`). The file is
 * closed at the end, as a server stopping would.
 */
async function castInOrder(path: string, count: number, seed: number): Promise<Run> {
	const started = Date.now();
	const { db } = openDatabase(path);
	await migrateToLatest(db);
	const leaderUnit = await makeUnit(db, { name: '党委', kind: 'committee' });
	const leader = await makeMember(db, { unitId: leaderUnit, isLeader: true, name: '书记甲' });
	const unitId = await makeUnit(db, { name: '教工支部', kind: 'branch', parentId: leaderUnit });
	// Members get ids in one order (all in one transaction, for speed) and cast in another.
	const memberIds = await db.transaction().execute(async (trx) => {
		const ids: number[] = [];
		for (let i = 0; i < count; i++) ids.push(await makeMember(trx, { unitId, loginId: `r${i}` }));
		return ids;
	});
	const f = await makeCampaign(db, { targets: [leader], groups: [{ name: '党员', unitIds: [unitId] }] });
	const targetId = f.targetIds[0] as number;
	expect(f.criterionIds.length).toBeGreaterThanOrEqual(digits);
	const castIndexOf = new Map<number, number>();
	const receipts: string[] = [];
	// Ballots after which the write-ahead log was not empty (castBallot empties it after each).
	let logsLeft = 0;
	const castStarted = performance.now();
	let lastTenth = 0;
	for (const [i, memberId] of shuffled(memberIds, mulberry32(seed)).entries()) {
		if (i === count - Math.ceil(count / 10)) lastTenth = performance.now();
		const ratings: Record<number, number> = {};
		for (const [d, c] of f.criterionIds.entries()) ratings[c] = d < digits ? Math.floor(i / 4 ** d) % 4 : 0;
		const result = await castBallot(db, f.id, { kind: 'member', memberId }, { ratings: { [targetId]: ratings }, comments: {} });
		if (!result.ok) throw new Error(`ballot ${i} refused: ${result.problem}`);
		castIndexOf.set(memberId, i);
		receipts.push(result.receipt);
		if (statSync(`${path}-wal`).size > 0) logsLeft++;
	}
	const finished = Date.now();
	const castMs = performance.now() - castStarted;
	const lastTenthMs = (performance.now() - lastTenth) / Math.ceil(count / 10);
	await db.destroy();
	if (count >= 1000) console.log(`anonymity: ${count} ballots cast in ${castMs.toFixed(0)} ms; the last tenth took ${lastTenthMs.toFixed(2)} ms each`);
	return { evaluationId: f.id, targetId, criterionIds: f.criterionIds, castIndexOf, receipts, started, finished, logsLeft };
}

beforeAll(async () => {
	if (onPostgres) return;
	dir = mkdtempSync(join(tmpdir(), 'kaoping-anonymity-'));
	file = join(dir, 'anonymity.db');
	run = await castInOrder(file, n, 20261201);
}, 300_000);

afterAll(() => {
	if (dir) rmSync(dir, { recursive: true, force: true });
});

function openFile(path = file) {
	return new SqliteDatabase(path, { readonly: true, fileMustExist: true });
}

describe.skipIf(onPostgres)('the database file after 1,000 ballots', () => {
	it('kept no ballot in the write-ahead log, and is a single file once closed', () => {
		// While the server runs the -wal file is there; castBallot empties it after each ballot (README.md).
		expect(run.logsLeft).toBe(0);
		// SQLite checkpoints and deletes the -wal and -shm files when the last connection closes.
		expect(existsSync(`${file}-wal`)).toBe(false);
		expect(existsSync(`${file}-shm`)).toBe(false);
		console.log(`anonymity: -wal empty after ${n - run.logsLeft} of ${n} ballots; after close, -wal exists: ${existsSync(`${file}-wal`)}`);
	});

	it('keeps each ballot once in the file: no stale copy from an earlier place', () => {
		// secure_delete=FAST zeroes what a rewrite leaves behind. Each key is in the table and in the index on the
		// campaign, so twice; a third copy would be an old one.
		const sqlite = openFile();
		const ids = (sqlite.prepare('select id from evaluation_ballot').all() as { id: string }[]).map((b) => b.id);
		sqlite.close();
		const text = readFileSync(file).toString('latin1');
		const copies = ids.map((id) => text.split(id).length - 1);
		console.log(`anonymity: copies of a ballot key in the file: ${Math.min(...copies)}–${Math.max(...copies)} (table and index)`);
		expect(new Set(copies)).toEqual(new Set([2]));
	});

	it('has no column linking a ballot to a participant: the tables share only the campaign', () => {
		const sqlite = openFile();
		try {
			const columns = (table: string) => (sqlite.prepare(`select name from pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => c.name);
			const ballotColumns = columns('evaluation_ballot');
			const participationColumns = columns('evaluation_participation');
			expect(ballotColumns.sort()).toEqual(['content', 'evaluation_id', 'group_id', 'id']);
			expect(participationColumns.sort()).toEqual(['evaluation_id', 'member_id']);
			expect(ballotColumns.filter((c) => participationColumns.includes(c))).toEqual(['evaluation_id']);
			// No foreign key from a ballot to a member, a session or a participation row.
			const keys = sqlite.prepare(`select "table" from pragma_foreign_key_list('evaluation_ballot')`).all() as { table: string }[];
			expect(keys.map((k) => k.table).sort()).toEqual(['evaluation', 'evaluation_group']);

			const ballots = sqlite.prepare('select id, evaluation_id, group_id, content from evaluation_ballot').all() as { id: string; evaluation_id: number; group_id: number; content: string }[];
			const participants = (sqlite.prepare('select member_id from evaluation_participation').all() as { member_id: number }[]).map((p) => p.member_id);
			expect(ballots).toHaveLength(n);
			expect(participants).toHaveLength(n);
			const memberSet = new Set(participants);
			const sessions = sqlite.prepare('select id from session').all() as { id: string }[];
			const numbersIn = (text: string) => (text.match(/\d+/g) ?? []).map(Number);
			for (const b of ballots) {
				expect(b.id).toMatch(/^[0-9a-f]{32}$/);
				expect(b.evaluation_id).toBe(run.evaluationId);
				// group_id is the rater group (results are per group), never a member.
				expect(memberSet.has(b.group_id)).toBe(false);
				const content = JSON.parse(b.content) as { ratings: Record<string, Record<string, number>>; comments: Record<string, string> };
				expect(Object.keys(content).sort()).toEqual(['comments', 'ratings']);
				expect(Object.keys(content.ratings)).toEqual([String(run.targetId)]);
				expect(Object.keys(content.ratings[String(run.targetId)] ?? {}).sort()).toEqual(run.criterionIds.map(String).sort());
				expect(content.comments).toEqual({});
				// Nothing that looks like a member id outside the rating keys, and no time from this run anywhere.
				for (const value of [b.id, String(b.group_id), b.content]) {
					for (const number of numbersIn(value)) expect(number >= run.started && number <= run.finished).toBe(false);
					for (const s of sessions) expect(value).not.toContain(s.id);
				}
				for (const level of Object.values(content.ratings[String(run.targetId)] ?? {})) expect(level).toBeLessThan(4);
			}
		} finally {
			sqlite.close();
		}
	});

	it('stores ballots, participation and receipts in an order that does not follow the casting order', () => {
		const sqlite = openFile();
		try {
			// (b) Ballots as SQLite hands them back without ORDER BY: on a WITHOUT ROWID table, the key's order.
			const ballots = sqlite.prepare('select id, content from evaluation_ballot').all() as { id: string; content: string }[];
			expect(ballots.map((b) => b.id)).toEqual(ballots.map((b) => b.id).sort());
			const castIndexOfBallot = new Map(ballots.map((b) => [b.id, castIndexOfContent(b.content, run.targetId, run.criterionIds)]));
			expect(new Set(castIndexOfBallot.values()).size).toBe(n);
			const ballotRho = spearman(
				ballots.map((_, position) => position),
				ballots.map((b) => castIndexOfBallot.get(b.id) as number)
			);

			// The same from the file's bytes: where each ballot's cell sits (page, then offset in the page).
			const bytes = readFileSync(file);
			const root = (name: string) => (sqlite.prepare('select rootpage from sqlite_schema where name = ?').get(name) as { rootpage: number }).rootpage;
			const ballotCells = storedCells(bytes, root('evaluation_ballot'));
			expect(ballotCells.map((c) => c.columns[0])).toEqual(ballots.map((b) => b.id));
			const pageSize = bytes.readUInt16BE(16);
			const physical = ballotCells.map((c) => (c.page - 1) * pageSize + c.offset);
			const physicalRho = spearman(
				physical,
				ballotCells.map((c) => castIndexOfBallot.get(c.columns[0] as string) as number)
			);
			const pagesRho = spearman(
				ballotCells.map((c) => c.page),
				ballotCells.map((c) => castIndexOfBallot.get(c.columns[0] as string) as number)
			);
			const inPage = withinPageCorrelation(ballotCells, (c) => castIndexOfBallot.get(c[0] as string));
			// The index on the campaign holds (evaluation_id, id) in pages of its own.
			const indexCells = storedCells(bytes, root('evaluation_ballot_evaluation_idx'));
			expect(indexCells).toHaveLength(n);
			const indexInPage = withinPageCorrelation(indexCells, (c) => castIndexOfBallot.get(c[1] as string));

			// (c) Participation, keyed by member id; ids were given in an order unrelated to the casting order.
			const participants = (sqlite.prepare('select member_id from evaluation_participation').all() as { member_id: number }[]).map((p) => p.member_id);
			const participationRho = spearman(
				participants.map((_, position) => position),
				participants.map((m) => run.castIndexOf.get(m) as number)
			);
			const participationCells = storedCells(bytes, root('evaluation_participation'));
			const participationInPage = withinPageCorrelation(participationCells, (c) => (c[0] === run.evaluationId ? run.castIndexOf.get(c[1] as number) : undefined));

			// Receipts, keyed by their random code.
			const receiptIndex = new Map(run.receipts.map((r, i) => [r, i]));
			const stored = (sqlite.prepare('select code from evaluation_receipt').all() as { code: string }[]).map((r) => r.code);
			expect(stored).toHaveLength(n);
			const receiptRho = spearman(
				stored.map((_, position) => position),
				stored.map((r) => receiptIndex.get(r) as number)
			);

			console.log(
				[
					`anonymity: n=${n} Spearman rank correlation with the casting order`,
					`  ballots, rows as stored (select without order by, key order): ${ballotRho.toFixed(4)}`,
					`  ballots, byte position in the file: ${physicalRho.toFixed(4)}; page number: ${pagesRho.toFixed(4)}`,
					`  ballots, cell offset inside each page (mean over ${inPage.pages} pages): ${inPage.mean.toFixed(4)}`,
					`  ballot index on the campaign, cell offset inside each page (mean over ${indexInPage.pages} pages): ${indexInPage.mean.toFixed(4)}`,
					`  participation, rows as stored (member id order): ${participationRho.toFixed(4)}`,
					`  receipts, rows as stored (receipt code order): ${receiptRho.toFixed(4)}`,
					`  participation, cell offset inside each page (mean over ${participationInPage.pages} pages): ${participationInPage.mean.toFixed(4)}`
				].join('\n')
			);
			for (const rho of [ballotRho, physicalRho, pagesRho, inPage.mean, indexInPage.mean, participationRho, participationInPage.mean, receiptRho]) {
				expect(Math.abs(rho)).toBeLessThan(0.2);
			}
		} finally {
			sqlite.close();
		}
	});
});

describe.skipIf(onPostgres)('a backup (npm run db:backup)', () => {
	it('holds the same tables with the same columns, rows in key order, and no log beside it', async () => {
		const copy = join(dir, 'backup.db');
		await backupSqlite(file, copy);
		expect(existsSync(`${copy}-wal`)).toBe(false);
		const sqlite = openFile(copy);
		try {
			const columns = (table: string) => (sqlite.prepare(`select name from pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => c.name).sort();
			expect(columns('evaluation_ballot')).toEqual(['content', 'evaluation_id', 'group_id', 'id']);
			expect(columns('evaluation_participation')).toEqual(['evaluation_id', 'member_id']);
			const ballots = sqlite.prepare('select id, content from evaluation_ballot').all() as { id: string; content: string }[];
			const castIndexOfBallot = new Map(ballots.map((b) => [b.id, castIndexOfContent(b.content, run.targetId, run.criterionIds)]));
			const root = (sqlite.prepare('select rootpage from sqlite_schema where name = ?').get('evaluation_ballot') as { rootpage: number }).rootpage;
			const cells = storedCells(readFileSync(copy), root);
			const inPage = withinPageCorrelation(cells, (c) => castIndexOfBallot.get(c[0] as string));
			console.log(`anonymity: backup copy, ballots' cell offset inside each page (mean over ${inPage.pages} pages): ${inPage.mean.toFixed(4)}`);
			expect(Math.abs(inPage.mean)).toBeLessThan(0.2);
		} finally {
			sqlite.close();
		}
	});
});

describe.skipIf(onPostgres)('small campaigns, where a table fits in one page', () => {
	// A page's cell offsets are the subtlest stored order: with a few dozen raters, all ballots sit in one page,
	// and so do all participation rows. Were the offsets to follow the order of writing in both, the k-th
	// ballot written would belong to the k-th member written, for anyone reading the file's bytes.
	it('stores ballots and participation rows inside their pages in an order unrelated to the casting order', async () => {
		const runs = 10;
		const size = 20;
		const ballotFigures: number[] = [];
		const participationFigures: number[] = [];
		for (let r = 0; r < runs; r++) {
			const path = join(dir, `small-${r}.db`);
			const small = await castInOrder(path, size, 1000 + r);
			const bytes = readFileSync(path);
			const sqlite = openFile(path);
			try {
				const root = (name: string) => (sqlite.prepare('select rootpage from sqlite_schema where name = ?').get(name) as { rootpage: number }).rootpage;
				const ballots = sqlite.prepare('select id, content from evaluation_ballot').all() as { id: string; content: string }[];
				const castIndexOfBallot = new Map(ballots.map((b) => [b.id, castIndexOfContent(b.content, small.targetId, small.criterionIds)]));
				const ballotCells = storedCells(bytes, root('evaluation_ballot'));
				const participationCells = storedCells(bytes, root('evaluation_participation'));
				const pages = (cells: StoredCell[]) => new Set(cells.map((c) => c.page)).size;
				expect(pages(ballotCells)).toBe(1);
				expect(pages(participationCells)).toBe(1);
				ballotFigures.push(withinPageCorrelation(ballotCells, (c) => castIndexOfBallot.get(c[0] as string)).mean);
				participationFigures.push(withinPageCorrelation(participationCells, (c) => (c[0] === small.evaluationId ? small.castIndexOf.get(c[1] as number) : undefined)).mean);
			} finally {
				sqlite.close();
			}
		}
		const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
		console.log(
			[
				`anonymity: ${runs} campaigns of ${size} ballots, each table in one page; Spearman of cell offset and casting index`,
				`  ballots: mean ${mean(ballotFigures).toFixed(4)} (${ballotFigures.map((x) => x.toFixed(2)).join(' ')})`,
				`  participation: mean ${mean(participationFigures).toFixed(4)} (${participationFigures.map((x) => x.toFixed(2)).join(' ')})`
			].join('\n')
		);
		// One page of 20 gives ±0.23 by chance; the mean of ten, ±0.07.
		expect(Math.abs(mean(ballotFigures))).toBeLessThan(0.2);
		expect(Math.abs(mean(participationFigures))).toBeLessThan(0.2);
	}, 120_000);
});

describe.skipIf(onPostgres)('one-time codes', () => {
	it('stay where they were written when used: marking a code used does not move it to the place of the newest row', async () => {
		const path = join(dir, 'codes.db');
		const { db } = openDatabase(path);
		await migrateToLatest(db);
		const unitId = await makeUnit(db, { name: '党委', kind: 'committee' });
		const leader = await makeMember(db, { unitId, isLeader: true });
		const f = await makeCampaign(db, { targets: [leader], groups: [{ name: '教职工群众', membersRate: false }], codes: { 0: 30 } });
		const codes = f.codes.get(f.groupIds[0] as number) as string[];
		const hashes = new Set(codes.map((c) => hashCode(f.id, normalizeCode(c) as string)));
		const placesOf = () => {
			const bytes = readFileSync(path);
			const raw = openFile(path);
			const root = (raw.prepare('select rootpage from sqlite_schema where name = ?').get('evaluation_code') as { rootpage: number }).rootpage;
			raw.close();
			return new Map(storedCells(bytes, root).filter((c) => hashes.has(c.columns[0] as string)).map((c) => [c.columns[0] as string, `${c.page}:${c.offset}`]));
		};
		await db.destroy();
		const before = placesOf();
		const again = openDatabase(path).db;
		for (const code of shuffled(codes, mulberry32(7))) {
			expect(await castBallot(again, f.id, { kind: 'code', code }, fullBallot(f, 1))).toMatchObject({ ok: true });
		}
		await again.destroy();
		const after = placesOf();
		expect(before.size).toBe(30);
		expect(after).toEqual(before);
	});
});

describe('spearman', () => {
	it('is 1 for the same order, −1 for the reverse and near 0 for a shuffle', () => {
		const xs = Array.from({ length: 1000 }, (_, i) => i);
		expect(spearman(xs, xs)).toBeCloseTo(1, 10);
		expect(spearman(xs, [...xs].reverse())).toBeCloseTo(-1, 10);
		expect(Math.abs(spearman(xs, shuffled(xs, mulberry32(1))))).toBeLessThan(0.1);
		// Agrees with 1 − 6·Σd² / (n·(n² − 1)) when there are no ties.
		const ys = shuffled(xs, mulberry32(2));
		const d2 = xs.reduce((s, x, i) => s + (x - (ys[i] as number)) ** 2, 0);
		expect(spearman(xs, ys)).toBeCloseTo(1 - (6 * d2) / (1000 * (1000 ** 2 - 1)), 10);
	});
});
