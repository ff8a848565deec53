import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { freshDatabase, makeMember, makeUnit, onPostgres } from '../testing/db';
import { fullBallot, makeCampaign, type CampaignFixture } from '../testing/evaluations';
import { castBallot } from './ballots';

// What any SQL user can read on PostgreSQL besides the columns (README.md beside this file): each row version
// carries the id of the transaction that wrote it (xmin) and has a place in the table (ctid). A ballot and the
// participation row written in one transaction would share an xmin, and places taken in the order of writing
// would give the order of casting. After castBallot's rewrite, every live row of the campaign carries the last
// ballot's transaction id and the rows sit in the order of their keys.
// PostgreSQL only: SQLite has neither; anonymity.test.ts reads its file's bytes instead.

let db: Db;
let f: CampaignFixture;
let members: number[];

beforeEach(async (ctx) => {
	ctx.skip(!onPostgres, 'PostgreSQL row versions (xmin, ctid); anonymity.test.ts covers the SQLite file');
	db = (await freshDatabase()).db;
	const root = await makeUnit(db, { name: '党委', kind: 'committee' });
	const unitId = await makeUnit(db, { name: '教工支部', kind: 'branch', parentId: root });
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
