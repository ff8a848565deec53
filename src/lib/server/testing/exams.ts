import type { Db } from '../db';
import { loadStarterBank } from '../bank/starter';
import { coverage } from '../bank/questions';
import { createExam, publishExam, setAudience, setBlueprint, type Audience, type ExamSettings } from '../exams/exams';
import { typeOrder, type BlueprintRow } from '../exams/papers';

// Test builders for quarterly tests. Only tests (and benchmarks) import this folder.

/** Loads the starter bank (225 active questions) unless the bank already has questions. */
export async function ensureBank(db: Db): Promise<void> {
	const any = await db.selectFrom('question').select('id').limit(1).executeTakeFirst();
	if (!any) await loadStarterBank(db);
}

/**
 * A small blueprint the starter bank can fill: for each type, the best-stocked area × difficulty cell, `count`
 * questions of `points` cents each.
 */
export async function sampleBlueprint(db: Db, count = 2, points = 200): Promise<BlueprintRow[]> {
	await ensureBank(db);
	const cells = await coverage(db);
	return typeOrder.flatMap((type) => {
		const best = cells.filter((c) => c.type === type).sort((a, b) => b.count - a.count || a.areaId - b.areaId)[0];
		return best && best.count >= count ? [{ areaId: best.areaId, type, difficulty: best.difficulty, count, points }] : [];
	});
}

export async function makeExam(
	db: Db,
	overrides: Partial<ExamSettings> & { actorId: number; blueprint?: BlueprintRow[]; audience?: Audience; publish?: boolean; now?: number }
): Promise<number> {
	const now = overrides.now ?? Date.now();
	const settings: ExamSettings = {
		title: overrides.title ?? '测试用季度测试',
		quarter: overrides.quarter ?? '2026Q4',
		kind: overrides.kind ?? 'quarterly',
		opensAt: overrides.opensAt ?? now - 60 * 60_000,
		closesAt: overrides.closesAt ?? now + 7 * 24 * 60 * 60_000,
		durationMinutes: overrides.durationMinutes ?? 30,
		passCents: overrides.passCents ?? 600,
		attemptsAllowed: overrides.attemptsAllowed ?? 1,
		multiplePolicy: overrides.multiplePolicy ?? 'partial_half',
		resultsPolicy: overrides.resultsPolicy ?? 'immediate'
	};
	const id = await createExam(db, overrides.actorId, settings, now);
	await setBlueprint(db, id, overrides.blueprint ?? (await sampleBlueprint(db)), now);
	if (overrides.audience) await setAudience(db, id, overrides.audience, now);
	if (overrides.publish !== false) {
		const published = await publishExam(db, id, overrides.actorId, now);
		if (!published.ok) throw new Error(`makeExam: cannot publish: ${JSON.stringify(published)}`);
	}
	return id;
}
