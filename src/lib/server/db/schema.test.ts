import { readdirSync } from 'node:fs';
import { Migrator, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { freshDatabase, onPostgres } from '../testing/db';
import { migrateDown, migrateToLatest } from './migrate';
import { migrations } from './migrations';
import { tableColumns } from './schema';
import type { OpenedDatabase } from './index';

let opened: OpenedDatabase | undefined;
afterEach(async () => {
	await opened?.db.destroy();
	opened = undefined;
});

describe('schema', () => {
	it('has exactly the tables and columns the hand-written types declare', async () => {
		opened = await freshDatabase();
		const tables = (await opened.db.introspection.getTables()).filter((t) => !t.name.startsWith('kysely_'));
		const actual = Object.fromEntries(tables.map((t) => [t.name, t.columns.map((c) => c.name).sort()]));
		const expected = Object.fromEntries(Object.entries(tableColumns).map(([name, columns]) => [name, [...columns].map(String).sort()]));
		expect(actual).toEqual(expected);
	});

	it('declares nullable columns as nullable and the rest as not null', async () => {
		opened = await freshDatabase();
		const tables = await opened.db.introspection.getTables();
		const nullable = tables.flatMap((t) => t.columns.filter((c) => c.isNullable).map((c) => `${t.name}.${c.name}`)).sort();
		// SQLite lets an integer rowid key report nullable; every other column is checked.
		expect(nullable.filter((n) => !/^\w+\.id$/.test(n) && !n.startsWith('kysely_'))).toEqual([
			'attempt.entered_by',
			'attempt.makeup_id',
			'attempt.passed',
			'attempt.score_cents',
			'attempt.submitted_at',
			'attempt.submitted_how',
			'attempt_item.answer',
			'attempt_item.earned_cents',
			'attempt_item.edited_at',
			'attempt_item.outcome',
			'content_area.retired_at',
			'evaluation.created_by',
			'evaluation.results_released_at',
			'evaluation_group.weight_pct',
			'exam.cloned_from',
			'exam.created_by',
			'exam.expected_at',
			'exam.published_at',
			'exam.published_by',
			'exam_makeup.created_by',
			'exam_regrade.by',
			'member.last_sign_in_at',
			'member.password_hash',
			'question.created_by',
			'question.current_version_id',
			'question_event.by',
			'question_version.created_by',
			'question_version.review_by',
			'unit.archived_at',
			'unit.parent_id'
		]);
	});

	it('turns on foreign keys and WAL for file databases', async (ctx) => {
		ctx.skip(onPostgres, 'SQLite pragmas; PostgreSQL checks foreign keys always (next test)');
		opened = await freshDatabase();
		if (opened.dialect !== 'sqlite') return;
		expect(opened.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
		expect(opened.sqlite.pragma('synchronous', { simple: true })).toBe(1); // NORMAL: the driver fsyncs the log itself (sqlite.ts)
	});

	it('refuses a row whose foreign key points nowhere', async () => {
		opened = await freshDatabase();
		await expect(
			opened.db.insertInto('member').values({ login_id: 'x', name: 'x', unit_id: 999, password_hash: null, last_sign_in_at: null, created_at: 1, updated_at: 1 }).execute()
		).rejects.toThrow(/foreign key/i);
	});

	it('stores millisecond times as bigint and makes ids from a sequence on PostgreSQL', async (ctx) => {
		ctx.skip(!onPostgres, 'PostgreSQL column types; SQLite integers hold 64 bits whatever the declared type');
		opened = await freshDatabase();
		const columns = await opened.db.introspection.getTables();
		const typeOf = (table: string, column: string) => columns.find((t) => t.name === table)?.columns.find((c) => c.name === column);
		// Every *_at column (and question_event.at, exam_regrade.at) is a millisecond time: past 2^31 since 1970-01-25.
		const times = columns.flatMap((t) => t.columns.filter((c) => /(^|_)at$/.test(c.name)).map((c) => `${t.name}.${c.name} ${c.dataType}`));
		expect(times.length).toBeGreaterThan(30);
		expect(times.filter((t) => !t.endsWith(' int8'))).toEqual([]);
		for (const table of ['unit', 'member', 'question', 'question_version', 'exam', 'attempt', 'evaluation', 'evaluation_target']) {
			expect(typeOf(table, 'id')).toMatchObject({ dataType: 'int4', hasDefaultValue: true, isAutoIncrementing: true });
		}
		// A bigint comes back as a JavaScript number (db/postgres.ts), as on SQLite.
		const unit = await opened.db.insertInto('unit').values({ name: 'u', kind: 'committee', parent_id: null, archived_at: null, created_at: 1_800_000_000_000 }).returning(['id', 'created_at']).executeTakeFirstOrThrow();
		expect(unit).toEqual({ id: expect.any(Number), created_at: 1_800_000_000_000 });
	});
});

describe('migrations', () => {
	it('lists every file in migrations/ in the registry, in order', () => {
		const files = readdirSync('migrations')
			.filter((f) => f.endsWith('.ts'))
			.map((f) => f.replace(/\.ts$/, ''))
			.sort();
		expect(Object.keys(migrations)).toEqual(files);
		for (const name of files) expect(name).toMatch(/^\d{14}_[a-z0-9_]+$/);
	});

	it('are all-or-nothing: a migration that fails halfway leaves nothing behind', async () => {
		opened = await freshDatabase();
		const migrator = new Migrator({
			db: opened.db,
			provider: {
				getMigrations: async () => ({
					...migrations,
					'29990101000000_half_done': {
						up: async (db: Kysely<any>) => {
							await db.schema.createTable('half_done').addColumn('id', 'integer').execute();
							throw new Error('fails after creating a table');
						}
					}
				})
			}
		});
		const { error } = await migrator.migrateToLatest();
		expect(String(error)).toContain('fails after creating a table');
		const tables = (await opened.db.introspection.getTables()).map((t) => t.name);
		expect(tables).not.toContain('half_done');
	});

	it('go down and up again', async () => {
		opened = await freshDatabase();
		for (let i = 0; i < Object.keys(migrations).length; i++) await migrateDown(opened.db);
		const left = (await opened.db.introspection.getTables()).filter((t) => !t.name.startsWith('kysely_'));
		expect(left).toEqual([]);
		expect(await migrateToLatest(opened.db)).toEqual(Object.keys(migrations));
	});
});
