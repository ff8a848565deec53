import type { Db } from '../db';

// Content areas (学习内容领域): the 13 of DESIGN.md section 3 come with the migration; the committee may add,
// rename and retire areas. A retired area keeps its questions and history; it is no longer offered for new ones.

export type Area = { id: number; code: string; nameZh: string; nameEn: string; sources: string; retired: boolean };
export type AreaProblem = 'required' | 'too_long' | 'invalid_code' | 'code_taken' | 'name_taken' | 'not_found';
export type AreaResult = { ok: true; id: number } | { ok: false; field: 'code' | 'nameZh' | 'nameEn' | 'sources'; problem: AreaProblem };

/** The longest names and source list an area may have; longer ones are refused, never cut. */
export const areaLimits = { nameZh: 40, nameEn: 80, sources: 200 } as const;

const codePattern = /^[a-z][a-z0-9_]{1,31}$/;

export async function listAreas(db: Db, options: { includeRetired?: boolean } = {}): Promise<Area[]> {
	let query = db.selectFrom('content_area').selectAll().orderBy('sort_order').orderBy('id');
	if (!options.includeRetired) query = query.where('retired_at', 'is', null);
	return (await query.execute()).map((row) => ({
		id: row.id,
		code: row.code,
		nameZh: row.name_zh,
		nameEn: row.name_en,
		sources: row.sources,
		retired: row.retired_at !== null
	}));
}

/** Resolves what a file or form calls an area (its code, Chinese or English name, any case) to the area. */
export function areaResolver(areas: Area[]): (name: string) => Area | undefined {
	const byKey = new Map<string, Area>();
	const fold = (s: string) => s.normalize('NFKC').trim().toLowerCase();
	for (const area of areas) {
		for (const key of [area.code, area.nameZh, area.nameEn]) byKey.set(fold(key), area);
		// The short Chinese name without its parenthesised gloss: 政治理论（党的创新理论） is also 政治理论.
		byKey.set(fold(area.nameZh.replace(/[（(].*[）)]$/u, '')), area);
	}
	return (name) => byKey.get(fold(name));
}

function checkNames(nameZh: string, nameEn: string): AreaResult | null {
	if (!nameZh) return { ok: false, field: 'nameZh', problem: 'required' };
	if ([...nameZh].length > areaLimits.nameZh) return { ok: false, field: 'nameZh', problem: 'too_long' };
	if (!nameEn) return { ok: false, field: 'nameEn', problem: 'required' };
	if ([...nameEn].length > areaLimits.nameEn) return { ok: false, field: 'nameEn', problem: 'too_long' };
	return null;
}

export async function createArea(db: Db, input: { code: string; nameZh: string; nameEn: string; sources: string }, now = Date.now()): Promise<AreaResult> {
	const code = input.code.trim().toLowerCase();
	const nameZh = input.nameZh.trim();
	const nameEn = input.nameEn.trim();
	if (!codePattern.test(code)) return { ok: false, field: 'code', problem: 'invalid_code' };
	const bad = checkNames(nameZh, nameEn);
	if (bad) return bad;
	const sources = input.sources.trim();
	if ([...sources].length > areaLimits.sources) return { ok: false, field: 'sources', problem: 'too_long' };
	return db.transaction().execute(async (trx): Promise<AreaResult> => {
		if (await trx.selectFrom('content_area').select('id').where('code', '=', code).executeTakeFirst()) {
			return { ok: false, field: 'code', problem: 'code_taken' };
		}
		if (await trx.selectFrom('content_area').select('id').where('name_zh', '=', nameZh).executeTakeFirst()) {
			return { ok: false, field: 'nameZh', problem: 'name_taken' };
		}
		const last = await trx.selectFrom('content_area').select((eb) => eb.fn.max('sort_order').as('n')).executeTakeFirst();
		const row = await trx
			.insertInto('content_area')
			.values({ code, name_zh: nameZh, name_en: nameEn, sources, sort_order: Number(last?.n ?? 0) + 1, retired_at: null, created_at: now })
			.returning('id')
			.executeTakeFirstOrThrow();
		return { ok: true, id: row.id };
	});
}

/** Renaming keeps the code, so questions, tests and trends that refer to the area are unaffected. */
export async function renameArea(db: Db, id: number, input: { nameZh: string; nameEn: string }): Promise<AreaResult> {
	const nameZh = input.nameZh.trim();
	const nameEn = input.nameEn.trim();
	const bad = checkNames(nameZh, nameEn);
	if (bad) return bad;
	return db.transaction().execute(async (trx): Promise<AreaResult> => {
		if (!(await trx.selectFrom('content_area').select('id').where('id', '=', id).executeTakeFirst())) {
			return { ok: false, field: 'nameZh', problem: 'not_found' };
		}
		const clash = await trx.selectFrom('content_area').select('id').where('name_zh', '=', nameZh).where('id', '!=', id).executeTakeFirst();
		if (clash) return { ok: false, field: 'nameZh', problem: 'name_taken' };
		await trx.updateTable('content_area').set({ name_zh: nameZh, name_en: nameEn }).where('id', '=', id).execute();
		return { ok: true, id };
	});
}

export async function setAreaRetired(db: Db, id: number, retired: boolean, now = Date.now()): Promise<AreaResult> {
	const result = await db
		.updateTable('content_area')
		.set({ retired_at: retired ? now : null })
		.where('id', '=', id)
		.executeTakeFirst();
	return result.numUpdatedRows > 0n ? { ok: true, id } : { ok: false, field: 'code', problem: 'not_found' };
}
