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
	/** Moodle categories (and GIFT $CATEGORY) mapped to area codes in the preview. */
	categoryAreas: Record<string, string>;
	/**
	 * The area (code) for every question the file gives none (Aiken has no categories; a GIFT file may have no
	 * $CATEGORY; a template row may leave its area empty); null for none.
	 */
	fileArea: string | null;
	/** Per question (`questionKey`), an area chosen in the preview; it replaces whatever the file says. */
	questionAreas: Record<string, string>;
	/** New questions go in active (ready for tests) or as drafts to look over first. */
	status: Extract<QuestionStatus, 'active' | 'draft'>;
};

export type ImportProblem =
	| FormatProblem
	| (FilePosition & { code: 'unknown_area' | 'area_retired'; column?: string; value: string })
	| (FilePosition & { code: 'no_area'; column?: string; value?: string })
	| (FilePosition & { code: `draft_${DraftProblem}`; column: DraftField; value?: string });

export type ImportPlan = {
	creates: { at: FilePosition; type: QuestionType; stem: string; areas: string[] }[];
	updates: { at: FilePosition; questionId: number; versionId: number; stem: string; changed: string[] }[];
	duplicatesSkipped: { at: FilePosition; questionId: number; stem: string }[];
	problems: ImportProblem[];
	/** Not in the way of the import: a question repeated in the file is imported once (at `first`). */
	warnings: ImportWarning[];
	skipped: SkippedQuestion[];
	byType: Partial<Record<QuestionType, number>>;
	byArea: Record<string, number>;
	/** Every category in the file, for the mapping form. */
	categories: string[];
	/** Moodle tags that name no area: information, not something to map. */
	tags: string[];
	/**
	 * The questions the file gives no area (and the bank does not know), for choosing one per question:
	 * `assigned` when the preview's choices gave them one; the others are each also a `no_area` problem.
	 */
	arealess: { at: FilePosition; key: string; stem: string; assigned: boolean }[];
	fingerprint: string;
};

export type ImportWarning = FilePosition & { code: 'duplicate_in_file'; first: FilePosition };

type Existing = { id: number; versionId: number; content: QuestionContent };
type Resolved = { question: ParsedQuestion; content: QuestionContent; fingerprint: string; existing: Existing | null };

function positionKey(at: FilePosition): number {
	return 'row' in at ? at.row : at.line;
}

/** A question's key in the preview's per-question choices: `row:3` or `line:12`. */
export function questionKey(at: FilePosition): string {
	return 'row' in at ? `row:${at.row}` : `line:${at.line}`;
}

async function resolve(db: Db, parsed: ParseResult, options: ImportOptions) {
	const areas = await listAreas(db, { includeRetired: true });
	const findArea = areaResolver(areas);
	const byCode = new Map(areas.map((a) => [a.code, a]));
	const problems: ImportProblem[] = [...parsed.problems];
	const warnings: ImportWarning[] = [];
	const arealess: ImportPlan['arealess'] = [];
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
		// Said twice in one file (Moodle's own sample files do): the first one counts, the repeat is a note.
		const earlier = seen.get(fp);
		if (earlier) {
			warnings.push({ ...at, code: 'duplicate_in_file', first: earlier });
			continue;
		}
		seen.set(fp, at);
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
		// A Moodle tag that is an area's code or name tags the question with it; other tags are information.
		for (const tag of question.tags ?? []) {
			const area = findArea(tag);
			if (area && !area.retired) found.push(area);
		}
		for (const category of question.categories) {
			const code = options.categoryAreas[category];
			const area = code ? byCode.get(code) : undefined;
			if (area && !area.retired) found.push(area);
		}
		// The preview's choice for this question wins; then what the file says; then, for a question already in
		// the bank, its areas; then the area chosen for the whole file.
		const chosen = byCode.get(options.questionAreas[questionKey(at)] ?? '');
		const fileArea = byCode.get(options.fileArea ?? '');
		const areaIds =
			chosen && !chosen.retired
				? [chosen.id]
				: found.length > 0
					? [...new Set(found.map((a) => a.id))]
					: current?.areaIds.length
						? current.areaIds
						: fileArea && !fileArea.retired
							? [fileArea.id]
							: [];
		if (question.areas.length === 0 && found.length === 0 && !current?.areaIds.length) arealess.push({ at, key: questionKey(at), stem: question.stem, assigned: areaIds.length > 0 });
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
		resolved.push({ question, content, fingerprint: fp, existing: match && current ? { ...match, content: current } : null });
	}
	return { resolved, problems, warnings, arealess, areas };
}

export async function planQuestionImport(db: Db, parsed: ParseResult, options: ImportOptions): Promise<ImportPlan> {
	const { resolved, problems, warnings, arealess, areas } = await resolve(db, parsed, options);
	const findArea = areaResolver(areas);
	const codeOf = new Map(areas.map((a) => [a.id, a.code]));
	const plan: ImportPlan = {
		creates: [],
		updates: [],
		duplicatesSkipped: [],
		problems: problems.sort((a, b) => positionKey(a) - positionKey(b)),
		warnings,
		skipped: parsed.skipped,
		byType: {},
		byArea: {},
		categories: [...new Set(parsed.questions.flatMap((q) => q.categories))].sort(),
		tags: [...new Set(parsed.questions.flatMap((q) => q.tags ?? []))].filter((t) => !findArea(t)).sort(),
		arealess,
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
