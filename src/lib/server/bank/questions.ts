import { sql } from 'kysely';
import type { Db } from '../db';
import type { QuestionVersionTable } from '../db/schema';
import { fingerprint, searchText } from './normalize';
import type { Difficulty, QuestionKey, QuestionSource, QuestionStatus, QuestionType } from './types';

// Questions and their versions. A question is its identity and status; its content lives in versions. Every
// edit of a question that is (or was) active writes a new version and moves `current_version_id`; older
// versions stay untouched, so a paper that drew version 3 shows version 3 for ever. A draft has never been
// seen by anyone, so editing it rewrites its one version in place.

export type QuestionContent = QuestionKey & {
	stem: string;
	explanation: string;
	difficulty: Difficulty;
	areaIds: number[];
	source: QuestionSource | null;
	reviewBy: string | null;
};

export type QuestionView = QuestionContent & {
	id: number;
	status: QuestionStatus;
	version: number;
	versionId: number;
	updatedAt: number;
};

// ---- encoding of a version's content -------------------------------------------------------------------

function encodeKey(key: QuestionKey): { options: string; answer: string } {
	switch (key.type) {
		case 'single':
			return { options: JSON.stringify(key.options), answer: JSON.stringify({ correct: key.correct }) };
		case 'multiple':
			return { options: JSON.stringify(key.options), answer: JSON.stringify({ correct: [...key.correct].sort((a, b) => a - b) }) };
		case 'true_false':
			return { options: '[]', answer: JSON.stringify({ correct: key.correct }) };
		case 'fill':
			return { options: '[]', answer: JSON.stringify({ blanks: key.blanks }) };
	}
}

export function decodeKey(type: QuestionType, options: string, answer: string): QuestionKey {
	const parsed = JSON.parse(answer) as { correct?: number | number[] | boolean; blanks?: string[][] };
	switch (type) {
		case 'single':
			return { type, options: JSON.parse(options) as string[], correct: parsed.correct as number };
		case 'multiple':
			return { type, options: JSON.parse(options) as string[], correct: parsed.correct as number[] };
		case 'true_false':
			return { type, correct: parsed.correct as boolean };
		case 'fill':
			return { type, blanks: parsed.blanks ?? [] };
	}
}

function optionTexts(key: QuestionKey): string[] {
	return key.type === 'single' || key.type === 'multiple' ? key.options : [];
}

export function contentFingerprint(content: Pick<QuestionContent, 'stem'> & QuestionKey): string {
	return fingerprint(content.type, content.stem, optionTexts(content));
}

function versionRow(content: QuestionContent) {
	const { options, answer } = encodeKey(content);
	return {
		type: content.type,
		stem: content.stem,
		options,
		answer,
		explanation: content.explanation,
		difficulty: content.difficulty,
		source_document: content.source?.document ?? '',
		source_section: content.source?.section ?? '',
		source_quote: content.source?.quote ?? '',
		review_by: content.reviewBy,
		search_text: searchText([content.stem, ...optionTexts(content), content.explanation]),
		fingerprint: contentFingerprint(content)
	} satisfies Partial<Record<keyof QuestionVersionTable, unknown>>;
}

async function writeAreas(db: Db, versionId: number, areaIds: number[]) {
	await db.deleteFrom('question_version_area').where('version_id', '=', versionId).execute();
	const unique = [...new Set(areaIds)];
	if (unique.length > 0) {
		await db
			.insertInto('question_version_area')
			.values(unique.map((area_id) => ({ version_id: versionId, area_id })))
			.execute();
	}
}

// ---- writing ---------------------------------------------------------------------------------------------

/** A new question with version 1. Runs inside the caller's transaction when given one. */
export async function insertQuestion(
	db: Db,
	actorId: number | null,
	content: QuestionContent,
	status: QuestionStatus,
	now = Date.now()
): Promise<number> {
	const question = await db
		.insertInto('question')
		.values({ status, current_version_id: null, created_at: now, created_by: actorId, updated_at: now })
		.returning('id')
		.executeTakeFirstOrThrow();
	const version = await db
		.insertInto('question_version')
		.values({ question_id: question.id, version: 1, ...versionRow(content), created_at: now, created_by: actorId })
		.returning('id')
		.executeTakeFirstOrThrow();
	await writeAreas(db, version.id, content.areaIds);
	await db.updateTable('question').set({ current_version_id: version.id }).where('id', '=', question.id).execute();
	return question.id;
}

export type ReviseResult = { ok: true; version: number; newVersion: boolean } | { ok: false; problem: 'not_found' | 'unchanged' | 'conflict' };

/**
 * Changes a question's content: a new version for a question that is or was active, in place for a draft.
 * Saving the same content again writes nothing.
 */
export async function reviseQuestion(
	db: Db,
	actorId: number | null,
	id: number,
	content: QuestionContent,
	now = Date.now(),
	/** The version the editor started from: a newer one saved meanwhile is not silently overwritten. */
	expectedVersionId?: number
): Promise<ReviseResult> {
	const current = await db
		.selectFrom('question')
		.innerJoin('question_version', 'question_version.id', 'question.current_version_id')
		.select(['question.id', 'question.status', 'question_version.id as versionId', 'question_version.version'])
		.where('question.id', '=', id)
		.executeTakeFirst();
	if (!current) return { ok: false, problem: 'not_found' };
	if (expectedVersionId !== undefined && current.versionId !== expectedVersionId) return { ok: false, problem: 'conflict' };
	const before = await getQuestion(db, id);
	if (before && sameContent(before, content)) return { ok: false, problem: 'unchanged' };
	const everActive = current.status !== 'draft' || current.version > 1;
	if (!everActive) {
		await db
			.updateTable('question_version')
			// The draft's creation stays recorded; its edits before anyone saw it are not history.
			.set(versionRow(content))
			.where('id', '=', current.versionId)
			.execute();
		await writeAreas(db, current.versionId, content.areaIds);
		await db.updateTable('question').set({ updated_at: now }).where('id', '=', id).execute();
		return { ok: true, version: current.version, newVersion: false };
	}
	const version = current.version + 1;
	const row = await db
		.insertInto('question_version')
		.values({ question_id: id, version, ...versionRow(content), created_at: now, created_by: actorId })
		.returning('id')
		.executeTakeFirstOrThrow();
	await writeAreas(db, row.id, content.areaIds);
	await db.updateTable('question').set({ current_version_id: row.id, updated_at: now }).where('id', '=', id).execute();
	return { ok: true, version, newVersion: true };
}

function sameContent(a: QuestionContent, b: QuestionContent): boolean {
	const comparable = (c: QuestionContent) =>
		JSON.stringify([versionRow(c), [...new Set(c.areaIds)].sort((x, y) => x - y)]);
	return comparable(a) === comparable(b);
}

export async function setQuestionStatus(
	db: Db,
	actorId: number | null,
	ids: number[],
	status: QuestionStatus,
	now = Date.now()
): Promise<number> {
	let changed = 0;
	for (const id of ids) {
		const row = await db.selectFrom('question').select('status').where('id', '=', id).executeTakeFirst();
		if (!row || row.status === status) continue;
		// Back to draft is not offered: a question someone may have seen stays versioned.
		if (status === 'draft') continue;
		await db.updateTable('question').set({ status, updated_at: now }).where('id', '=', id).execute();
		await db.insertInto('question_event').values({ question_id: id, kind: 'status', detail: status, at: now, by: actorId }).execute();
		changed++;
	}
	return changed;
}

/** Bulk change of one field (areas or difficulty) as a revision of each question: new versions where needed. */
export async function reviseMany(
	db: Db,
	actorId: number | null,
	ids: number[],
	change: (content: QuestionContent) => QuestionContent,
	now = Date.now()
): Promise<number> {
	let changed = 0;
	for (const id of ids) {
		const question = await getQuestion(db, id);
		if (!question) continue;
		const result = await reviseQuestion(db, actorId, id, change(question), now);
		if (result.ok) changed++;
	}
	return changed;
}

// ---- reading ---------------------------------------------------------------------------------------------

type VersionRow = {
	id: number;
	type: QuestionType;
	stem: string;
	options: string;
	answer: string;
	explanation: string;
	difficulty: Difficulty;
	source_document: string;
	source_section: string;
	source_quote: string;
	review_by: string | null;
};

function toContent(row: VersionRow, areaIds: number[]): QuestionContent {
	return {
		...decodeKey(row.type, row.options, row.answer),
		stem: row.stem,
		explanation: row.explanation,
		difficulty: row.difficulty,
		areaIds,
		source: row.source_document ? { document: row.source_document, section: row.source_section, quote: row.source_quote } : null,
		reviewBy: row.review_by
	};
}

async function areasOfVersions(db: Db, versionIds: number[]): Promise<Map<number, number[]>> {
	const map = new Map<number, number[]>();
	for (let i = 0; i < versionIds.length; i += 900) {
		const rows = await db
			.selectFrom('question_version_area')
			.select(['version_id', 'area_id'])
			.where('version_id', 'in', versionIds.slice(i, i + 900))
			.execute();
		for (const r of rows) map.set(r.version_id, [...(map.get(r.version_id) ?? []), r.area_id]);
	}
	return map;
}

const versionColumns = [
	'question_version.id as versionId',
	'question_version.version',
	'question_version.type',
	'question_version.stem',
	'question_version.options',
	'question_version.answer',
	'question_version.explanation',
	'question_version.difficulty',
	'question_version.source_document',
	'question_version.source_section',
	'question_version.source_quote',
	'question_version.review_by'
] as const;

function currentVersions(db: Db) {
	return db
		.selectFrom('question')
		.innerJoin('question_version', 'question_version.id', 'question.current_version_id')
		.select(['question.id', 'question.status', 'question.updated_at', ...versionColumns]);
}

type CurrentRow = Awaited<ReturnType<ReturnType<typeof currentVersions>['executeTakeFirstOrThrow']>>;

/** Current-version rows to views, with their areas read in one go. */
async function toViews(db: Db, rows: CurrentRow[]): Promise<QuestionView[]> {
	const areas = await areasOfVersions(
		db,
		rows.map((r) => r.versionId)
	);
	return rows.map((row) => ({
		...toContent({ ...row, id: row.versionId }, areas.get(row.versionId) ?? []),
		id: row.id,
		status: row.status,
		version: row.version,
		versionId: row.versionId,
		updatedAt: row.updated_at
	}));
}

export async function getQuestion(db: Db, id: number): Promise<QuestionView | undefined> {
	const row = await currentVersions(db).where('question.id', '=', id).executeTakeFirst();
	return row ? (await toViews(db, [row]))[0] : undefined;
}

/** A version as it was, for papers that drew it and for the history page. */
export async function getVersion(db: Db, versionId: number): Promise<(QuestionContent & { version: number; questionId: number }) | undefined> {
	const row = await db.selectFrom('question_version').selectAll().where('id', '=', versionId).executeTakeFirst();
	if (!row) return undefined;
	const areas = await areasOfVersions(db, [versionId]);
	return { ...toContent(row, areas.get(versionId) ?? []), version: row.version, questionId: row.question_id };
}

export type QuestionFilter = {
	query?: string;
	areaId?: number;
	type?: QuestionType;
	difficulty?: Difficulty;
	status?: QuestionStatus;
	/** The cited document, e.g. `001`. */
	document?: string;
	/** Questions whose review-by date is on or before this date (YYYY-MM-DD). */
	dueBy?: string;
	limit?: number;
	offset?: number;
};

/** The bank's list: current versions matching every filter, newest first, with the total for paging. */
export async function listQuestions(db: Db, filter: QuestionFilter = {}): Promise<{ total: number; items: QuestionView[] }> {
	let query = currentVersions(db);
	if (filter.status) query = query.where('question.status', '=', filter.status);
	if (filter.type) query = query.where('question_version.type', '=', filter.type);
	if (filter.difficulty) query = query.where('question_version.difficulty', '=', filter.difficulty);
	if (filter.document) query = query.where('question_version.source_document', '=', filter.document);
	if (filter.dueBy) query = query.where('question_version.review_by', '<=', filter.dueBy);
	if (filter.areaId !== undefined) {
		const areaId = filter.areaId;
		query = query.where((eb) =>
			eb.exists(
				eb
					.selectFrom('question_version_area')
					.select('question_version_area.area_id')
					.whereRef('question_version_area.version_id', '=', 'question_version.id')
					.where('question_version_area.area_id', '=', areaId)
			)
		);
	}
	const q = filter.query ? searchText([filter.query.trim()]) : '';
	if (q) {
		// Substring search over stem, options and explanation: Chinese has no spaces between words, so a word
		// index would need a segmenter; a scan of 20,000 questions is measured by bench:bank instead.
		const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		query = query.where(sql<boolean>`question_version.search_text like ${pattern} escape '\\'`);
	}
	const total = Number(
		(await query.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n
	);
	const rows = await query
		.orderBy('question.updated_at', 'desc')
		.orderBy('question.id', 'desc')
		.limit(filter.limit ?? 50)
		.offset(filter.offset ?? 0)
		.execute();
	return { total, items: await toViews(db, rows) };
}

export type CoverageCell = { areaId: number; type: QuestionType; difficulty: Difficulty; count: number };

/** Active questions per area × type × difficulty: which blueprint cells the bank can fill. */
export async function coverage(db: Db): Promise<CoverageCell[]> {
	const rows = await db
		.selectFrom('question')
		.innerJoin('question_version', 'question_version.id', 'question.current_version_id')
		.innerJoin('question_version_area', 'question_version_area.version_id', 'question_version.id')
		.select(['question_version_area.area_id', 'question_version.type', 'question_version.difficulty', (eb) => eb.fn.countAll<number>().as('n')])
		.where('question.status', '=', 'active')
		.groupBy(['question_version_area.area_id', 'question_version.type', 'question_version.difficulty'])
		.execute();
	return rows.map((r) => ({ areaId: r.area_id, type: r.type, difficulty: r.difficulty, count: Number(r.n) }));
}

/** Current questions by fingerprint, for the import's duplicate check. */
export async function questionsByFingerprint(db: Db, fingerprints: string[]): Promise<Map<string, { id: number; versionId: number }>> {
	const map = new Map<string, { id: number; versionId: number }>();
	const unique = [...new Set(fingerprints)];
	for (let i = 0; i < unique.length; i += 500) {
		const rows = await db
			.selectFrom('question')
			.innerJoin('question_version', 'question_version.id', 'question.current_version_id')
			.select(['question.id', 'question_version.id as versionId', 'question_version.fingerprint'])
			.where('question_version.fingerprint', 'in', unique.slice(i, i + 500))
			.execute();
		for (const r of rows) if (!map.has(r.fingerprint)) map.set(r.fingerprint, { id: r.id, versionId: r.versionId });
	}
	return map;
}

export type HistoryEntry =
	| { kind: 'version'; version: number; at: number; by: string | null; changed: string[] }
	| { kind: 'status'; status: QuestionStatus; at: number; by: string | null };

/** Who changed what and when: each version with the fields it changed, and each status change. */
export async function questionHistory(db: Db, id: number): Promise<HistoryEntry[]> {
	const versions = await db
		.selectFrom('question_version')
		.leftJoin('member', 'member.id', 'question_version.created_by')
		.selectAll('question_version')
		.select('member.name as byName')
		.where('question_id', '=', id)
		.orderBy('version')
		.execute();
	const areas = await areasOfVersions(
		db,
		versions.map((v) => v.id)
	);
	const entries: HistoryEntry[] = [];
	let previous: QuestionContent | null = null;
	for (const v of versions) {
		const content = toContent(v, areas.get(v.id) ?? []);
		entries.push({ kind: 'version', version: v.version, at: v.created_at, by: v.byName, changed: previous ? changedFields(previous, content) : [] });
		previous = content;
	}
	const events = await db
		.selectFrom('question_event')
		.leftJoin('member', 'member.id', 'question_event.by')
		.select(['question_event.detail', 'question_event.at', 'member.name as byName'])
		.where('question_id', '=', id)
		.where('kind', '=', 'status')
		.execute();
	for (const e of events) entries.push({ kind: 'status', status: e.detail as QuestionStatus, at: e.at, by: e.byName });
	return entries.sort((a, b) => a.at - b.at);
}

/** The fields in which two contents differ: the history's and the import preview's "what changed". */
export function changedFields(a: QuestionContent, b: QuestionContent): string[] {
	const ra = versionRow(a);
	const rb = versionRow(b);
	const fields: string[] = [];
	if (ra.type !== rb.type) fields.push('type');
	if (ra.stem !== rb.stem) fields.push('stem');
	if (ra.options !== rb.options) fields.push('options');
	if (ra.answer !== rb.answer) fields.push('answer');
	if (ra.explanation !== rb.explanation) fields.push('explanation');
	if (ra.difficulty !== rb.difficulty) fields.push('difficulty');
	if ([...a.areaIds].sort().join() !== [...b.areaIds].sort().join()) fields.push('areas');
	if (ra.source_document !== rb.source_document || ra.source_section !== rb.source_section || ra.source_quote !== rb.source_quote) fields.push('source');
	if (ra.review_by !== rb.review_by) fields.push('reviewBy');
	return fields;
}
