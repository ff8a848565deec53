import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { freshDatabase, makeMember, makeUnit, onPostgres } from '../testing/db';
import { fullBallot, makeCampaign, type CampaignFixture } from '../testing/evaluations';
import { forgetOldRowVersions } from '../db/dialect';
import { ballotTables, castBallot } from './ballots';
import { startLive } from './campaigns';

// What any SQL user can read on PostgreSQL besides the columns (README.md beside this file): each row version
// carries the id of the transaction that wrote it (xmin) and has a place in the table (ctid). A ballot and the
// participation row written in one transaction would share an xmin, and places taken in the order of writing
// would give the order of casting. After castBallot's rewrite, every live row of the campaign carries the last
// ballot's transaction id and the rows sit in the order of their keys.
// A database superuser reads more: the pages themselves (pageinspect), where the versions a rewrite or a delete
// left behind would keep their transaction ids and contents until vacuum. castBallot and the wipe of the test run
// have each table written anew (forgetOldRowVersions), so the pages hold the live rows and nothing else.
// PostgreSQL only: SQLite has neither; anonymity.test.ts reads its file's bytes instead.

let db: Db;
let f: CampaignFixture;
let members: number[];
let unitId: number;

beforeEach(async (ctx) => {
	ctx.skip(!onPostgres, 'PostgreSQL row versions (xmin, ctid); anonymity.test.ts covers the SQLite file');
	db = (await freshDatabase()).db;
	// Autovacuum's ANALYZE, run at any moment on a fresh database, holds a snapshot while it reads a table, and
	// VACUUM FULL keeps the row versions that snapshot may see (forgetOldRowVersions: a later call drops them).
	// Off for this database's tables, so that the product's own calls usually clear the pages at once.
	const tables = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'public'`.execute(db);
	for (const { name } of tables.rows) await sql`alter table ${sql.table(name)} set (autovacuum_enabled = off)`.execute(db);
	// What a database superuser reads: the raw pages (PostgreSQL's contrib extension, shipped with the server).
	await sql`create extension if not exists pageinspect`.execute(db);
	const root = await makeUnit(db, { name: '党委', kind: 'committee' });
	unitId = await makeUnit(db, { name: '教工支部', kind: 'branch', parentId: root });
	const leader = await makeMember(db, { unitId: root, isLeader: true });
	members = [];
	for (let i = 0; i < 12; i++) members.push(await makeMember(db, { unitId }));
	f = await makeCampaign(db, { targets: [leader], groups: [{ name: '党员', unitIds: [unitId] }] });
});

/** The campaign's live rows of a table: transaction id, place in the table, key; in the order of their places. */
async function rows(table: string, key: string) {
	const { rows } = await sql<{ xmin: string; key: string }>`select xmin::text as xmin, ${sql.ref(key)}::text as key from ${sql.table(table)} where evaluation_id = ${f.id} order by ctid`.execute(db);
	return rows;
}

async function expectUnlinked(count: number) {
	for (const [table, key] of [
		['evaluation_ballot', 'id'],
		['evaluation_participation', 'member_id'],
		['evaluation_receipt', 'code']
	] as const) {
		const live = await rows(table, key);
		expect(live).toHaveLength(count);
		expect(new Set(live.map((r) => r.xmin)).size, `${table}: one transaction id for all rows`).toBe(1);
		const keys = live.map((r) => r.key);
		const byKey = [...keys].sort((a, b) => (key === 'member_id' ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
		expect(keys, `${table}: stored in key order`).toEqual(byKey);
	}
	const ballots = new Set((await rows('evaluation_ballot', 'id')).map((r) => r.xmin));
	const participation = new Set((await rows('evaluation_participation', 'member_id')).map((r) => r.xmin));
	expect(ballots).toEqual(participation);
}

describe('ballots on PostgreSQL', () => {
	it('leave no transaction id or place that pairs a ballot with its participation row', async () => {
		// Cast in an order unrelated to the member ids.
		const order = [...members].sort((a, b) => ((a * 7919) % 13) - ((b * 7919) % 13));
		for (const memberId of order) {
			expect(await castBallot(db, f.id, { kind: 'member', memberId }, fullBallot(f, 1))).toMatchObject({ ok: true });
		}
		await expectUnlinked(members.length);
	});

	it('keeps that when ballots arrive at the same moment (one campaign’s ballots are cast one at a time)', async () => {
		const results = await Promise.all(members.map((memberId) => castBallot(db, f.id, { kind: 'member', memberId }, fullBallot(f, 2))));
		expect(results.every((r) => r.ok)).toBe(true);
		await expectUnlinked(members.length);
	});
});

/** Every row version in a table's pages, live or not: its line pointer's state, transaction ids and bytes. */
async function pageItems(table: string) {
	const { rows } = await sql<{ lp_flags: number; t_xmin: string | null; t_xmax: string | null; t_data: Buffer | null }>`
		select i.lp_flags, i.t_xmin::text as t_xmin, i.t_xmax::text as t_xmax, i.t_data
		from generate_series(0, (pg_relation_size(${table}::regclass) / current_setting('block_size')::int)::int - 1) as b(n),
			lateral heap_page_items(get_raw_page(${table}, b.n)) as i`.execute(db);
	return rows;
}

/** The file each ballot table is stored in: VACUUM FULL gives a table a new one. */
async function fileNodes(): Promise<string[]> {
	const nodes: string[] = [];
	for (const table of ballotTables) nodes.push((await sql<{ f: string }>`select pg_relation_filenode(${table})::text as f`.execute(db)).rows[0]?.f ?? '');
	return nodes;
}

/**
 * VACUUM FULL keeps the versions another transaction on the server could still see. On a busy server (this suite's
 * other files creating and filling databases side by side) the clearing then waits for a later call, which in the
 * app is the next ballot or the hourly clean-up. So: the product's own call must have written every table anew
 * (fileNodes), and calling again, as the clean-up does, must clear the pages once nothing older runs (on a quiet
 * server the first check already finds them clear). Gives up after about 20 s.
 */
async function clearedByLaterCalls(clear: () => Promise<boolean>): Promise<boolean> {
	for (let call = 0; call < 100; call++) {
		if (await clear()) return true;
		await new Promise((done) => setTimeout(done, 200));
		await forgetOldRowVersions(db, ballotTables);
	}
	return false;
}

describe('the pages of the ballot tables on PostgreSQL', () => {
	it('hold only the live rows after ballots: no earlier version with its transaction id', async () => {
		for (const memberId of members.slice(0, 6)) {
			const before = await fileNodes();
			expect(await castBallot(db, f.id, { kind: 'member', memberId }, fullBallot(f, 1))).toMatchObject({ ok: true });
			const after = await fileNodes();
			expect(after.every((node, i) => node !== before[i]), 'each ballot had every ballot table written anew').toBe(true);
		}
		const onlyLiveRows = async () => {
			for (const table of ballotTables) {
				const items = await pageItems(table);
				const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
				if (items.length !== rows[0]?.n || !items.every((i) => i.lp_flags === 1 && i.t_xmax === '0')) return false;
			}
			return true;
		};
		expect(await clearedByLaterCalls(onlyLiveRows), 'one item per live row, no dead or deleted version').toBe(true);
		const xmins = new Set((await pageItems('evaluation_participation')).map((i) => i.t_xmin));
		expect(xmins.size, 'every participation version carries the last ballot’s transaction id').toBe(1);
	});

	it('hold nothing of the test run’s ballots once the real run starts', async () => {
		const trial = await makeCampaign(db, { targets: f.targetIds, groups: [{ name: '党员', unitIds: [unitId] }], status: 'trial', commentsEnabled: true });
		const secret = Buffer.from('试测评论甲乙丙丁');
		for (const memberId of members.slice(0, 4)) {
			const ballot = fullBallot(trial, 1);
			ballot.comments[trial.targetIds[0] as number] = secret.toString();
			expect(await castBallot(db, trial.id, { kind: 'member', memberId }, ballot)).toMatchObject({ ok: true });
		}
		const rawPages = async () => {
			const { rows } = await sql<{ page: Buffer }>`select get_raw_page('evaluation_ballot', b.n) as page
				from generate_series(0, (pg_relation_size('evaluation_ballot') / current_setting('block_size')::int)::int - 1) as b(n)`.execute(db);
			return Buffer.concat(rows.map((r) => r.page));
		};
		expect((await rawPages()).includes(secret), 'the comment is there while the test run lasts').toBe(true);
		const before = await fileNodes();
		expect(await startLive(db, trial.id)).toMatchObject({ ok: true });
		const after = await fileNodes();
		expect(after.every((node, i) => node !== before[i]), 'starting the real run had every ballot table written anew').toBe(true);
		expect(await db.selectFrom('evaluation_ballot').select('id').where('evaluation_id', '=', trial.id).execute()).toEqual([]);
		expect(await clearedByLaterCalls(async () => !(await rawPages()).includes(secret)), 'no byte of a wiped ballot is left in the pages').toBe(true);
	});
});
