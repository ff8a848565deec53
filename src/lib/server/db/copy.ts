import { sql, type Kysely } from 'kysely';
import { continueIdsAfter, isPostgres } from './dialect';
import type { Db } from './index';
import { migrateToLatest } from './migrate';
import { migrations } from './migrations';
import type { Database } from './schema';

// `npm run db:copy -- <from> <to>`: moves an installation between SQLite and PostgreSQL (either way, or SQLite to
// SQLite). The target is migrated to the same schema, must hold no data, and is written in ONE transaction: a copy
// that fails halfway leaves the target as it was. The source is read in one transaction too, so the copy is the
// installation as it stood at one moment (servers should still be stopped first: saves after that moment are not
// copied). Row counts are compared table by table before the target commits.
//
// Rows are written in primary-key order. Besides making the copy repeatable, this matters for the ballots: their
// keys are random (evaluations/README.md), and PostgreSQL keeps heap rows in the order they were inserted, so
// writing them in key order leaves no trace of the order in which they were cast.

type Table = keyof Database;

/**
 * Every table, each after the tables it references, with its primary key (the order rows are read and written in).
 * `db/copy.test.ts` checks this list against the migrated schema, so a new table cannot be forgotten.
 */
export const copyOrder: { table: Table; key: string[]; parent?: string }[] = [
	// A unit can be moved under one created after it, and an exam cloned from... only an earlier one, but both are
	// written parents first rather than trusting the ids.
	{ table: 'unit', key: ['id'], parent: 'parent_id' },
	{ table: 'member', key: ['id'] },
	{ table: 'member_role', key: ['member_id', 'role'] },
	{ table: 'session', key: ['id'] },
	{ table: 'sign_in_throttle', key: ['key'] },
	{ table: 'sign_in_device', key: ['id', 'login_key'] },
	{ table: 'content_area', key: ['id'] },
	{ table: 'question', key: ['id'] },
	{ table: 'question_version', key: ['id'] },
	{ table: 'question_version_area', key: ['version_id', 'area_id'] },
	{ table: 'question_event', key: ['id'] },
	{ table: 'exam', key: ['id'], parent: 'cloned_from' },
	{ table: 'exam_blueprint_row', key: ['exam_id', 'position'] },
	{ table: 'exam_audience', key: ['exam_id', 'kind', 'ref'] },
	{ table: 'exam_makeup', key: ['id'] },
	{ table: 'exam_makeup_member', key: ['makeup_id', 'member_id'] },
	{ table: 'attempt', key: ['id'] },
	{ table: 'attempt_item', key: ['attempt_id', 'position'] },
	{ table: 'attempt_area', key: ['attempt_id', 'area_id'] },
	{ table: 'exam_regrade', key: ['id'] },
	{ table: 'exam_result', key: ['exam_id', 'member_id'] },
	{ table: 'exam_area_total', key: ['exam_id', 'unit_id', 'area_id'] },
	{ table: 'exam_expected', key: ['exam_id', 'member_id'] },
	{ table: 'evaluation', key: ['id'] },
	{ table: 'evaluation_target', key: ['id'] },
	{ table: 'evaluation_report_file', key: ['target_id'] },
	{ table: 'evaluation_criterion', key: ['id'] },
	{ table: 'evaluation_group', key: ['id'] },
	{ table: 'evaluation_eligible', key: ['evaluation_id', 'member_id'] },
	{ table: 'evaluation_participation', key: ['evaluation_id', 'member_id'] },
	{ table: 'evaluation_code', key: ['code_hash'] },
	{ table: 'evaluation_ballot', key: ['id'] },
	{ table: 'evaluation_receipt', key: ['evaluation_id', 'code'] }
];

/** The migration writes the standard content areas into every new database: a target holding only those is empty. */
const seededByMigration: Table = 'content_area';

export type CopiedTable = { table: Table; rows: number };

export class CopyRefused extends Error {}

// Kysely cannot type a table chosen at run time; these helpers keep the untyped part in one place.
type AnyDb = Kysely<any>;
type Row = Record<string, unknown>;

async function countRows(db: AnyDb, table: Table): Promise<number> {
	const row = await db
		.selectFrom(table)
		.select((eb) => eb.fn.countAll().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

async function appliedMigrations(db: AnyDb): Promise<string[]> {
	try {
		const rows = await db.selectFrom('kysely_migration').select('name').orderBy('name').execute();
		return rows.map((r) => r.name as string);
	} catch {
		// No migration table: a database this program never set up.
		return [];
	}
}

/** Rows of `table` after `after` (by key), at most `limit`: keyset pages, so a 4,000,000-row table costs no OFFSET scans. */
async function page(db: AnyDb, table: Table, key: string[], after: unknown[] | undefined, limit: number): Promise<Row[]> {
	let query = db.selectFrom(table).selectAll();
	if (after) {
		const columns = sql.join(key.map((k) => sql.ref(k)));
		const values = sql.join(after.map((v) => sql`${v}`));
		query = query.where(sql<boolean>`(${columns}) > (${values})`);
	}
	for (const k of key) query = query.orderBy(k);
	return (await query.limit(limit).execute()) as Row[];
}

/** Parents before children, for a table that references itself; otherwise the key order kept. */
function parentsFirst(rows: Row[], parent: string): Row[] {
	const byId = new Map(rows.map((r) => [r.id, r]));
	const out: Row[] = [];
	const placed = new Set<unknown>();
	const place = (row: Row, path: Set<unknown>) => {
		if (placed.has(row.id) || path.has(row.id)) return;
		path.add(row.id);
		const up = row[parent] === null ? undefined : byId.get(row[parent]);
		if (up) place(up, path);
		placed.add(row.id);
		out.push(row);
	};
	for (const row of rows) place(row, new Set());
	return out;
}

/**
 * Copies every table of `from` into `to` (rules at the top). Refuses, changing nothing, when the source is not on
 * the latest migration or the target holds data. `progress` hears of each table as it is done.
 */
export async function copyDatabase(from: Db, to: Db, progress: (copied: CopiedTable) => void = () => {}): Promise<CopiedTable[]> {
	const source = from as AnyDb;
	const target = to as AnyDb;
	const latest = Object.keys(migrations).sort();
	const applied = await appliedMigrations(source);
	if (applied.join() !== latest.join()) throw new CopyRefused(`the source is not on the latest migration (${applied.length} of ${latest.length} applied): run npm run db:migrate on it first`);
	await migrateToLatest(to);
	for (const { table } of copyOrder) {
		if (table === seededByMigration) continue;
		const n = await countRows(target, table);
		if (n > 0) throw new CopyRefused(`the target is not empty: table ${table} has ${n} rows`);
	}

	const read = isPostgres(source) ? source.transaction().setIsolationLevel('repeatable read') : source.transaction();
	return read.execute((snapshot) =>
		target.transaction().execute(async (trx) => {
			await trx.deleteFrom(seededByMigration).execute();
			const copied: CopiedTable[] = [];
			for (const { table, key, parent } of copyOrder) {
				let rows = 0;
				let after: unknown[] | undefined;
				let held: Row[] = [];
				for (;;) {
					const batch = await page(snapshot, table, key, after, 5000);
					if (batch.length === 0) break;
					after = key.map((k) => (batch[batch.length - 1] as Row)[k]);
					// A self-referencing table is small (units, tests): held whole and written parents first.
					if (parent) {
						held = held.concat(batch);
						continue;
					}
					await insertRows(trx, table, batch);
					rows += batch.length;
				}
				if (parent) {
					await insertRows(trx, table, parentsFirst(held, parent));
					rows += held.length;
				}
				if (key.join() === 'id') await continueIdsAfter(trx, table);
				const [inSource, inTarget] = await Promise.all([countRows(snapshot, table), countRows(trx, table)]);
				if (inSource !== rows || inTarget !== rows) throw new Error(`db:copy: table ${table}: ${inSource} rows in the source, ${rows} read, ${inTarget} in the target`);
				const done = { table, rows };
				copied.push(done);
				progress(done);
			}
			return copied;
		})
	);
}

/** Inserts in chunks that stay under SQLite's 32,766 bound parameters (PostgreSQL allows 65,535). */
async function insertRows(db: AnyDb, table: Table, rows: Row[]): Promise<void> {
	if (rows.length === 0) return;
	const columns = Object.keys(rows[0] as Row).length || 1;
	const chunk = Math.max(1, Math.floor(30_000 / columns));
	for (let i = 0; i < rows.length; i += chunk) await db.insertInto(table).values(rows.slice(i, i + chunk)).execute();
}
