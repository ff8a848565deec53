import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Db } from '../db';
import { areaResolver, listAreas, type Area } from './areas';
import { checkDraft, type DraftField, type DraftProblem } from './check';
import { changedFields, contentFingerprint, getQuestion, insertQuestion, questionsByFingerprint, reviseQuestion, type QuestionContent } from './questions';
import type { Difficulty, FilePosition, FormatProblem, ParseResult, ParsedQuestion, QuestionStatus, QuestionType, SkippedQuestion } from './types';

// Importing questions: every file format is parsed into drafts first (formats/), then this module checks the
// drafts against the bank (areas, duplicates) and shows a preview. Nothing is written until the committee
// confirms, and then everything in one transaction or nothing.

export type ImportOptions = {
	/** A question whose stem and options are already in the bank: leave it, or save the file's as a new version. */
	duplicates: 'skip' | 'update';
	/** For formats without difficulty (Moodle XML, GIFT, Aiken) and empty cells. */
	defaultDifficulty: Difficulty;
	/** Moodle categories and tags (and GIFT $CATEGORY) mapped to area codes in the preview. */
	categoryAreas: Record<string, string>;
	/** New questions go in active (ready for tests) or as drafts to look over first. */
	status: Extract<QuestionStatus, 'active' | 'draft'>;
};

export type ImportProblem =
	| FormatProblem
	| (FilePosition & { code: 'unknown_area' | 'area_retired'; column?: string; value: string })
	| (FilePosition & { code: 'no_area' | 'duplicate_in_file'; column?: string; value?: string })
	| (FilePosition & { code: `draft_${DraftProblem}`; column: DraftField; value?: string });

export type ImportPlan = {
	creates: { at: FilePosition; type: QuestionType; stem: string; areas: string[] }[];
	updates: { at: FilePosition; questionId: number; versionId: number; stem: string; changed: string[] }[];
	duplicatesSkipped: { at: FilePosition; questionId: number; stem: string }[];
	problems: ImportProblem[];
	skipped: SkippedQuestion[];
	byType: Partial<Record<QuestionType, number>>;
	byArea: Record<string, number>;
	/** Every category and tag in the file, for the mapping form. */
	categories: string[];
	fingerprint: string;
};

type Existing = { id: number; versionId: number; content: QuestionContent };
type Resolved = { question: ParsedQuestion; content: QuestionContent; fingerprint: string; existing: Existing | null };

function positionKey(at: FilePosition): number {
	return 'row' in at ? at.row : at.line;
}

async function resolve(db: Db, parsed: ParseResult, options: ImportOptions) {
	const areas = await listAreas(db, { includeRetired: true });
	const findArea = areaResolver(areas);
	const byCode = new Map(areas.map((a) => [a.code, a]));
	const problems: ImportProblem[] = [...parsed.problems];
	const resolved: Resolved[] = [];
	const seen = new Map<string, FilePosition>();
	// Questions already in the bank, found first: what a file does not say about them (Moodle, GIFT and
	// Aiken carry no difficulty, source or review date) is kept from the bank rather than wiped.
	const existing = await questionsByFingerprint(
		db,
		parsed.questions.map((q) => contentFingerprint(q))
	);
	for (const question of parsed.questions) {
		const at = question.at;
		const fp = contentFingerprint(question);
		const match = existing.get(fp);
		const current = match ? await getQuestion(db, match.id) : undefined;
		const found: Area[] = [];
		let rowOk = true;
		for (const name of question.areas) {
			const area = findArea(name);
			if (!area) {
				problems.push({ ...at, code: 'unknown_area', column: 'areas', value: name });
				rowOk = false;
			} else if (area.retired) {
				// A question already in the bank keeps its areas; only a new one may not start in a retired area.
				if (!current) {
					problems.push({ ...at, code: 'area_retired', column: 'areas', value: name });
					rowOk = false;
				}
			} else found.push(area);
		}
		for (const category of question.categories) {
			const code = options.categoryAreas[category];
			const area = code ? byCode.get(code) : undefined;
			if (area && !area.retired) found.push(area);
		}
		const areaIds = found.length > 0 ? [...new Set(found.map((a) => a.id))] : (current?.areaIds ?? []);
		if (rowOk && areaIds.length === 0) {
			problems.push({ ...at, code: 'no_area', column: 'areas' });
			rowOk = false;
		}
		const content: QuestionContent = {
			...question,
			difficulty: question.difficulty ?? current?.difficulty ?? options.defaultDifficulty,
			areaIds,
			source: question.source ?? current?.source ?? null,
			reviewBy: question.reviewBy ?? current?.reviewBy ?? null
		};
		const errors = checkDraft({ ...question, difficulty: content.difficulty, areas: areaIds.map(String) });
		for (const [field, problem] of Object.entries(errors) as [DraftField, DraftProblem][]) {
			if (field === 'areas') continue; // reported above as no_area
			problems.push({ ...at, code: `draft_${problem}`, column: field });
			rowOk = false;
		}
		if (!rowOk) continue;
		const earlier = seen.get(fp);
		if (earlier) {
			problems.push({ ...at, code: 'duplicate_in_file', value: String(positionKey(earlier)) });
			continue;
		}
		seen.set(fp, at);
		resolved.push({ question, content, fingerprint: fp, existing: match && current ? { ...match, content: current } : null });
	}
	return { resolved, problems, areas };
}

export async function planQuestionImport(db: Db, parsed: ParseResult, options: ImportOptions): Promise<ImportPlan> {
	const { resolved, problems, areas } = await resolve(db, parsed, options);
	const codeOf = new Map(areas.map((a) => [a.id, a.code]));
	const plan: ImportPlan = {
		creates: [],
		updates: [],
		duplicatesSkipped: [],
		problems: problems.sort((a, b) => positionKey(a) - positionKey(b)),
		skipped: parsed.skipped,
		byType: {},
		byArea: {},
		categories: [...new Set(parsed.questions.flatMap((q) => q.categories))].sort(),
		fingerprint: ''
	};
	for (const r of resolved) {
		const summary = { at: r.question.at, stem: r.content.stem };
		if (r.existing) {
			const changed = changedFields(r.existing.content, r.content);
			// Skipped by choice, or nothing to change: either way the bank keeps what it has.
			if (options.duplicates === 'skip' || changed.length === 0) {
				plan.duplicatesSkipped.push({ ...summary, questionId: r.existing.id });
				continue;
			}
			plan.updates.push({ ...summary, questionId: r.existing.id, versionId: r.existing.versionId, changed });
		} else {
			plan.creates.push({ ...summary, type: r.content.type, areas: r.content.areaIds.map((id) => codeOf.get(id) ?? '') });
		}
		plan.byType[r.content.type] = (plan.byType[r.content.type] ?? 0) + 1;
		for (const id of r.content.areaIds) {
			const code = codeOf.get(id) ?? '';
			plan.byArea[code] = (plan.byArea[code] ?? 0) + 1;
		}
	}
	// Includes the versions the updates start from: an edit made after the preview makes the plan stale.
	plan.fingerprint = encodeHexLowerCase(
		sha256(new TextEncoder().encode(JSON.stringify([resolved.map((r) => [r.fingerprint, r.content]), plan.updates, plan.duplicatesSkipped, plan.problems, options])))
	);
	return plan;
}

export type QuestionImportResult =
	| { ok: true; created: number; updated: number; unchanged: number }
	| { ok: false; reason: 'has_problems' | 'stale'; plan: ImportPlan };

/**
 * Writes the plan in one transaction. The plan is made again inside it, so anything that changed since the
 * preview (a question added by someone else, an area retired) shows as a new preview instead of a surprise.
 */
export async function applyQuestionImport(
	db: Db,
	actorId: number | null,
	parsed: ParseResult,
	options: ImportOptions,
	previewedFingerprint: string,
	now = Date.now()
): Promise<QuestionImportResult> {
	return db.transaction().execute(async (trx): Promise<QuestionImportResult> => {
		const plan = await planQuestionImport(trx, parsed, options);
		if (plan.problems.length > 0) return { ok: false, reason: 'has_problems', plan };
		if (plan.fingerprint !== previewedFingerprint) return { ok: false, reason: 'stale', plan };
		const { resolved } = await resolve(trx, parsed, options);
		const updating = new Set(plan.updates.map((u) => u.questionId));
		let created = 0;
		let updated = 0;
		let unchanged = 0;
		for (const r of resolved) {
			if (!r.existing) {
				await insertQuestion(trx, actorId, r.content, options.status, now);
				created++;
			} else if (updating.has(r.existing.id)) {
				const result = await reviseQuestion(trx, actorId, r.existing.id, r.content, now, r.existing.versionId);
				if (result.ok) updated++;
				else unchanged++;
			}
		}
		return { ok: true, created, updated, unchanged };
	});
}
