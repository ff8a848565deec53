import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Db } from '../db';
import { areaResolver, listAreas, type Area } from './areas';
import { checkDraft, type DraftField, type DraftProblem } from './check';
import { contentFingerprint, insertQuestion, questionsByFingerprint, reviseQuestion, type QuestionContent } from './questions';
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
	updates: { at: FilePosition; questionId: number; stem: string }[];
	duplicatesSkipped: { at: FilePosition; questionId: number; stem: string }[];
	problems: ImportProblem[];
	skipped: SkippedQuestion[];
	byType: Partial<Record<QuestionType, number>>;
	byArea: Record<string, number>;
	/** Every category and tag in the file, for the mapping form. */
	categories: string[];
	fingerprint: string;
};

type Resolved = { question: ParsedQuestion; content: QuestionContent; fingerprint: string };

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
	for (const question of parsed.questions) {
		const at = question.at;
		const found: Area[] = [];
		let rowOk = true;
		for (const name of question.areas) {
			const area = findArea(name);
			if (!area) {
				problems.push({ ...at, code: 'unknown_area', column: '学习内容领域', value: name });
				rowOk = false;
			} else if (area.retired) {
				problems.push({ ...at, code: 'area_retired', column: '学习内容领域', value: name });
				rowOk = false;
			} else found.push(area);
		}
		for (const category of question.categories) {
			const code = options.categoryAreas[category];
			const area = code ? byCode.get(code) : undefined;
			if (area && !area.retired) found.push(area);
		}
		const draft = { ...question, difficulty: question.difficulty ?? options.defaultDifficulty, areas: found.map((a) => a.code) };
		if (rowOk && found.length === 0) {
			problems.push({ ...at, code: 'no_area', column: '学习内容领域' });
			rowOk = false;
		}
		const errors = checkDraft(draft);
		for (const [field, problem] of Object.entries(errors) as [DraftField, DraftProblem][]) {
			if (field === 'areas') continue; // reported above as no_area
			problems.push({ ...at, code: `draft_${problem}`, column: field });
			rowOk = false;
		}
		if (!rowOk) continue;
		const content: QuestionContent = {
			...question,
			difficulty: draft.difficulty,
			areaIds: [...new Set(found.map((a) => a.id))],
			source: question.source,
			reviewBy: question.reviewBy
		};
		const fp = contentFingerprint(content);
		const earlier = seen.get(fp);
		if (earlier) {
			problems.push({ ...at, code: 'duplicate_in_file', value: String(positionKey(earlier)) });
			continue;
		}
		seen.set(fp, at);
		resolved.push({ question, content, fingerprint: fp });
	}
	return { resolved, problems, areas };
}

export async function planQuestionImport(db: Db, parsed: ParseResult, options: ImportOptions): Promise<ImportPlan> {
	const { resolved, problems, areas } = await resolve(db, parsed, options);
	const existing = await questionsByFingerprint(
		db,
		resolved.map((r) => r.fingerprint)
	);
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
		const questionId = existing.get(r.fingerprint);
		const summary = { at: r.question.at, stem: r.content.stem };
		if (questionId !== undefined && options.duplicates === 'skip') {
			plan.duplicatesSkipped.push({ ...summary, questionId });
			continue;
		}
		if (questionId !== undefined) plan.updates.push({ ...summary, questionId });
		else plan.creates.push({ ...summary, type: r.content.type, areas: r.content.areaIds.map((id) => codeOf.get(id) ?? '') });
		plan.byType[r.content.type] = (plan.byType[r.content.type] ?? 0) + 1;
		for (const id of r.content.areaIds) {
			const code = codeOf.get(id) ?? '';
			plan.byArea[code] = (plan.byArea[code] ?? 0) + 1;
		}
	}
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
		const existing = await questionsByFingerprint(
			trx,
			resolved.map((r) => r.fingerprint)
		);
		let created = 0;
		let updated = 0;
		let unchanged = 0;
		for (const r of resolved) {
			const questionId = existing.get(r.fingerprint);
			if (questionId === undefined) {
				await insertQuestion(trx, actorId, r.content, options.status, now);
				created++;
			} else if (options.duplicates === 'update') {
				const result = await reviseQuestion(trx, actorId, questionId, r.content, now);
				if (result.ok) updated++;
				else unchanged++;
			}
		}
		return { ok: true, created, updated, unchanged };
	});
}
