import type { ExamKind, ResultsPolicy, Role } from '../db/schema';
import { roles as allRoles } from '../org/members';
import { difficulties, questionTypes, type Difficulty, type QuestionType } from '../bank/types';
import { text } from '../form';
import { centsToPoints, pointsToCents } from '../../points';
import type { BlueprintRow } from './papers';
import type { MultiplePolicy } from './scoring';
import { validateBlueprint, validateSettings, type BlueprintProblem, type ExamSettings, type SettingsErrors } from './exams';
import { defaultWindow, fromLocalInput, nextQuarter, parseQuarter, previousQuarter, toLocalInput } from './quarters';

export { centsToPoints, pointsToCents };

// The committee's forms for a test, read without trusting them. Values come back exactly as typed (strings), so a
// refused form shows what the person wrote; the parsed settings and rows go to exams.ts for the domain checks.

/** The settings form as typed. Points are in points (`60`, `1.5`), times are `datetime-local` in the org zone. */
export type SettingsValues = {
	title: string;
	quarter: string;
	kind: string;
	opensAt: string;
	closesAt: string;
	durationMinutes: string;
	passPoints: string;
	attemptsAllowed: string;
	multiplePolicy: string;
	resultsPolicy: string;
};

function wholeNumber(value: string): number {
	return /^\d{1,6}$/.test(value.trim()) ? Number(value.trim()) : NaN;
}

export function settingsValues(s: ExamSettings, timeZone: string): SettingsValues {
	return {
		title: s.title,
		quarter: s.quarter,
		kind: s.kind,
		opensAt: toLocalInput(s.opensAt, timeZone),
		closesAt: toLocalInput(s.closesAt, timeZone),
		durationMinutes: String(s.durationMinutes),
		passPoints: centsToPoints(s.passCents),
		attemptsAllowed: String(s.attemptsAllowed),
		multiplePolicy: s.multiplePolicy,
		resultsPolicy: s.resultsPolicy
	};
}

export function readSettingsValues(form: FormData): SettingsValues {
	return {
		// Read far past the limit: an over-long title is refused and shown back whole, not cut.
		title: text(form, 'title', 5000),
		quarter: text(form, 'quarter', 20),
		kind: text(form, 'kind', 20),
		opensAt: text(form, 'opensAt', 40),
		closesAt: text(form, 'closesAt', 40),
		durationMinutes: text(form, 'durationMinutes', 20),
		passPoints: text(form, 'passPoints', 20),
		attemptsAllowed: text(form, 'attemptsAllowed', 20),
		multiplePolicy: text(form, 'multiplePolicy', 40),
		resultsPolicy: text(form, 'resultsPolicy', 40)
	};
}

/** The typed values to settings, and what is wrong with them per field. */
export function parseSettings(v: SettingsValues, timeZone: string): { settings: ExamSettings; errors: SettingsErrors } {
	const settings: ExamSettings = {
		title: v.title,
		quarter: v.quarter,
		kind: v.kind as ExamKind,
		opensAt: fromLocalInput(v.opensAt, timeZone) ?? NaN,
		closesAt: fromLocalInput(v.closesAt, timeZone) ?? NaN,
		durationMinutes: wholeNumber(v.durationMinutes),
		passCents: pointsToCents(v.passPoints),
		attemptsAllowed: wholeNumber(v.attemptsAllowed),
		multiplePolicy: v.multiplePolicy as MultiplePolicy,
		resultsPolicy: v.resultsPolicy as ResultsPolicy
	};
	const errors = validateSettings(settings);
	// An empty field is "required", not "invalid": the person forgot it rather than mistyped it.
	if (!v.opensAt && errors.opensAt) errors.opensAt = 'required';
	if (!v.closesAt && errors.closesAt) errors.closesAt = 'required';
	if (!v.durationMinutes && errors.durationMinutes) errors.durationMinutes = 'required';
	if (!v.passPoints && errors.passCents) errors.passCents = 'required';
	if (!v.attemptsAllowed && errors.attemptsAllowed) errors.attemptsAllowed = 'required';
	return { settings, errors };
}

// ---- blueprint --------------------------------------------------------------------------------------------

/** One row of the blueprint editor as typed; `points` are points each, like the pass mark. */
export type BlueprintRowValues = { areaId: string; type: string; difficulty: string; count: string; points: string };

export const blankRow = (): BlueprintRowValues => ({ areaId: '', type: 'single', difficulty: 'easy', count: '', points: '' });

export function blueprintValues(rows: BlueprintRow[]): BlueprintRowValues[] {
	return rows.map((r) => ({ areaId: String(r.areaId), type: r.type, difficulty: r.difficulty, count: String(r.count), points: centsToPoints(r.points) }));
}

/**
 * The editor's rows, in the order shown: parallel fields `area`, `type`, `difficulty`, `count`, `points`, one of
 * each per row. `removeRow` (a row's remove button without JavaScript) drops that row.
 */
export function readBlueprintValues(form: FormData): BlueprintRowValues[] {
	const all = (name: string) => form.getAll(name).map((v) => (typeof v === 'string' ? v.trim().slice(0, 20) : ''));
	const areas = all('area');
	const types = all('type');
	const levels = all('difficulty');
	const counts = all('count');
	const points = all('points');
	const n = Math.max(areas.length, types.length, levels.length, counts.length, points.length);
	const removed = text(form, 'removeRow');
	const rows: BlueprintRowValues[] = [];
	// More rows than any blueprint may hold plus the spare ones is not a form a person sent.
	for (let i = 0; i < Math.min(n, 200); i++) {
		if (removed !== '' && String(i) === removed) continue;
		rows.push({ areaId: areas[i] ?? '', type: types[i] ?? '', difficulty: levels[i] ?? '', count: counts[i] ?? '', points: points[i] ?? '' });
	}
	return rows;
}

export type BlueprintRowError = { row: number; problem: BlueprintProblem };

/**
 * Rows as typed to blueprint rows. A row with neither area nor count is a spare empty row and is skipped; row
 * numbers in the errors are the rows as shown (1-based), so "第 3 行" is the third row on the screen.
 */
export function parseBlueprint(values: BlueprintRowValues[], areaIds: Set<number>): { rows: BlueprintRow[]; errors: BlueprintRowError[] } {
	const shown: number[] = [];
	const rows: BlueprintRow[] = [];
	values.forEach((v, i) => {
		if (v.areaId === '' && v.count === '') return;
		shown.push(i + 1);
		rows.push({
			areaId: /^\d{1,9}$/.test(v.areaId) ? Number(v.areaId) : NaN,
			type: (questionTypes as string[]).includes(v.type) ? (v.type as QuestionType) : ('' as QuestionType),
			difficulty: (difficulties as string[]).includes(v.difficulty) ? (v.difficulty as Difficulty) : ('' as Difficulty),
			count: wholeNumber(v.count),
			points: pointsToCents(v.points)
		});
	});
	const errors = validateBlueprint(rows, areaIds).map((e) => ({ ...e, row: shown[e.row - 1] ?? values.length }));
	return { rows, errors };
}

// ---- login ids ----------------------------------------------------------------------------------------------

/** Login ids typed one per line or separated by commas, spaces or 、 (as pasted from a spreadsheet or a chat). */
export function splitLoginIds(value: string): string[] {
	const seen = new Set<string>();
	const out: string[] = [];
	for (const id of value.split(/[\s,，、;；]+/)) {
		const key = id.toLowerCase();
		if (id && !seen.has(key)) {
			seen.add(key);
			out.push(id);
		}
	}
	return out;
}

// ---- quarters offered -----------------------------------------------------------------------------------------

export type QuarterChoice = { code: string; opensAt: string; closesAt: string };

/**
 * Quarters to choose from (a year either side of `around`), each with its default window as datetime-local
 * values, so the page can move the window along when the quarter changes. `keep` (a test's own quarter) is
 * always offered, however far away.
 */
export function quarterChoices(around: string, timeZone: string, keep?: string): QuarterChoice[] {
	let first = around;
	for (let i = 0; i < 4; i++) first = previousQuarter(first);
	const codes: string[] = [];
	for (let q = first, i = 0; i < 9; i++, q = nextQuarter(q)) codes.push(q);
	if (keep && parseQuarter(keep) && !codes.includes(keep)) codes.push(keep);
	return codes.sort().map((code) => {
		const w = defaultWindow(code, timeZone);
		return { code, opensAt: toLocalInput(w.opensAt, timeZone), closesAt: toLocalInput(w.closesAt, timeZone) };
	});
}

// ---- audience -------------------------------------------------------------------------------------------------

/** The audience editor as sent: ticked units and roles, and login ids typed to add or leave out. */
export type AudienceValues = { unitIds: number[]; roles: Role[]; include: string; exclude: string };

export function readAudienceValues(form: FormData, knownUnitIds: Set<number>): AudienceValues {
	const ids = form
		.getAll('unit')
		.map((v) => (typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : 0))
		.filter((id) => knownUnitIds.has(id));
	const roles = form.getAll('role').filter((r): r is Role => typeof r === 'string' && (allRoles as string[]).includes(r));
	return { unitIds: [...new Set(ids)], roles: [...new Set(roles)], include: text(form, 'include', 20_000), exclude: text(form, 'exclude', 20_000) };
}
