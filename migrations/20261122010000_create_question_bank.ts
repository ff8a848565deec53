import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: do not edit after it has shipped; add a new migration instead.
// The question bank: content areas, questions with their versions, and each version's areas.

function isPostgres(db: Kysely<any>) {
	return db.getExecutor().adapter instanceof PostgresAdapter;
}

// DESIGN.md section 3: the 13 content areas of the documents' 学习内容 sections, with where they come from.
const areas: [code: string, zh: string, en: string, sources: string][] = [
	['theory', '政治理论（党的创新理论）', 'Political theory', '000 二.1; 001 三(一); 004 三.8–9'],
	['charter', '党章党规党纪', 'Party constitution, rules and discipline', '001 三(二), 四(一); 004 一.4, 四.14'],
	['law', '法律法规', 'Laws and regulations', '001 三(二); 000 二.5'],
	['edu_policy', '教育方针政策与规划纲要', 'Education policy and plans', '000 二.2, 二.5; 004 三.8'],
	['values', '社会主义核心价值观', 'Core socialist values', '000 二.1; 001 三(三); 004 五.15'],
	['history', '党史国史', 'Party and national history', '001 三(三); 004 二.7'],
	['integrity', '党风廉政建设', 'Party conduct and integrity', '001 四(四); 004 四.13–14'],
	['ethics', '师德师风', "Teachers' ethics", '004 四.11; 000 二.3'],
	['profession', '业务知识', 'Professional knowledge', '001 三(四); 000 二.3'],
	['culture', '科学文化', 'Science and culture', '001 三(五); 000 二.3'],
	['local', '省情市情县情', 'Provincial, city and county affairs', '001 四(一); 004 三.10'],
	['ecology', '生态文明', 'Ecological civilization', '000 二.4'],
	['learning_org', '学习型组织建设制度', 'Building a learning organization', '000 三–五; 001 四–五; 002; 003']
];

export async function up(db: Kysely<any>): Promise<void> {
	const pg = isPostgres(db);
	const id = pg ? ('serial' as const) : ('integer' as const);
	const key = (c: any) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());

	await db.schema
		.createTable('content_area')
		.addColumn('id', id, key)
		.addColumn('code', 'text', (c) => c.notNull().unique())
		.addColumn('name_zh', 'text', (c) => c.notNull())
		.addColumn('name_en', 'text', (c) => c.notNull())
		.addColumn('sources', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('retired_at', 'bigint')
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('question')
		.addColumn('id', id, key)
		.addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'active', 'retired')`))
		// The version members see from now on; older versions stay for the papers that drew them.
		.addColumn('current_version_id', 'integer')
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('created_by', 'integer', (c) => c.references('member.id'))
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('question_status_idx').on('question').column('status').execute();

	await db.schema
		.createTable('question_version')
		.addColumn('id', id, key)
		.addColumn('question_id', 'integer', (c) => c.notNull().references('question.id'))
		.addColumn('version', 'integer', (c) => c.notNull())
		.addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('single', 'multiple', 'true_false', 'fill')`))
		.addColumn('stem', 'text', (c) => c.notNull())
		// JSON arrays as text: the same on SQLite and PostgreSQL, and never queried inside.
		.addColumn('options', 'text', (c) => c.notNull())
		.addColumn('answer', 'text', (c) => c.notNull())
		.addColumn('explanation', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('difficulty', 'text', (c) => c.notNull().check(sql`difficulty in ('easy', 'medium', 'hard')`))
		.addColumn('source_document', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('source_section', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('source_quote', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('review_by', 'text')
		// Lower-cased, width-folded stem, options and explanation, for substring search in Chinese.
		.addColumn('search_text', 'text', (c) => c.notNull())
		// Stem and options with spaces and punctuation removed: two questions with the same fingerprint are
		// duplicates.
		.addColumn('fingerprint', 'text', (c) => c.notNull())
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('created_by', 'integer', (c) => c.references('member.id'))
		.addUniqueConstraint('question_version_uq', ['question_id', 'version'])
		.execute();
	await db.schema.createIndex('question_version_fingerprint_idx').on('question_version').column('fingerprint').execute();

	await db.schema
		.createTable('question_version_area')
		.addColumn('version_id', 'integer', (c) => c.notNull().references('question_version.id'))
		.addColumn('area_id', 'integer', (c) => c.notNull().references('content_area.id'))
		.addPrimaryKeyConstraint('question_version_area_pk', ['version_id', 'area_id'])
		.execute();
	await db.schema.createIndex('question_version_area_area_idx').on('question_version_area').column('area_id').execute();

	// Status changes (activate, retire) are not content versions; this keeps who did them and when.
	await db.schema
		.createTable('question_event')
		.addColumn('id', id, key)
		.addColumn('question_id', 'integer', (c) => c.notNull().references('question.id'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('detail', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('at', 'bigint', (c) => c.notNull())
		.addColumn('by', 'integer', (c) => c.references('member.id'))
		.execute();
	await db.schema.createIndex('question_event_question_idx').on('question_event').column('question_id').execute();

	const now = Date.now();
	await db
		.insertInto('content_area')
		.values(areas.map(([code, zh, en, sources], i) => ({ code, name_zh: zh, name_en: en, sources, sort_order: i, created_at: now })))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('question_event').execute();
	await db.schema.dropTable('question_version_area').execute();
	await db.schema.dropTable('question_version').execute();
	await db.schema.dropTable('question').execute();
	await db.schema.dropTable('content_area').execute();
}
