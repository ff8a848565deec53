import type { EvaluationKind, Role } from '../db/schema';
import { fromLocalInput, toLocalInput } from '../exams/quarters';
import { text } from '../form';
import { roles as allRoles } from '../org/members';
import {
	criterionNameMaxLength,
	groupNameMaxLength,
	levelLabelMaxLength,
	maxCriteria,
	maxGroups,
	maxLevels,
	validateSettings,
	type CampaignSettings,
	type CriterionRow,
	type CriterionView,
	type GroupRow,
	type GroupView,
	type SettingsErrors
} from './campaigns';
import type { Level } from './types';

// The committee's campaign forms, read without trusting them. Values come back as typed (strings), so a refused
// form shows what the person wrote; row numbers in problems are the rows as shown (1-based).

// ---- settings -----------------------------------------------------------------------------------------------

/** Times are `datetime-local` values in the organization's time zone (as on the test set-up pages). */
export type SettingsValues = {
	title: string;
	year: string;
	kind: string;
	opensAt: string;
	closesAt: string;
	threshold: string;
	commentsEnabled: boolean;
};

export function settingsValues(s: CampaignSettings, timeZone: string): SettingsValues {
	return {
		title: s.title,
		year: String(s.year),
		kind: s.kind,
		opensAt: toLocalInput(s.opensAt, timeZone),
		closesAt: toLocalInput(s.closesAt, timeZone),
		threshold: String(s.threshold),
		commentsEnabled: s.commentsEnabled
	};
}

export function readSettingsValues(form: FormData): SettingsValues {
	return {
		title: text(form, 'title', 500),
		year: text(form, 'year', 20),
		kind: text(form, 'kind', 20),
		opensAt: text(form, 'opensAt', 40),
		closesAt: text(form, 'closesAt', 40),
		threshold: text(form, 'threshold', 20),
		commentsEnabled: form.get('commentsEnabled') !== null
	};
}

const wholeNumber = (value: string) => (/^\d{1,6}$/.test(value.trim()) ? Number(value.trim()) : NaN);

export function parseSettings(v: SettingsValues, timeZone: string): { settings: CampaignSettings; errors: SettingsErrors } {
	const settings: CampaignSettings = {
		title: v.title,
		year: wholeNumber(v.year),
		kind: v.kind as EvaluationKind,
		opensAt: fromLocalInput(v.opensAt, timeZone) ?? NaN,
		closesAt: fromLocalInput(v.closesAt, timeZone) ?? NaN,
		threshold: wholeNumber(v.threshold),
		commentsEnabled: v.commentsEnabled
	};
	const errors = validateSettings(settings);
	// An empty field is "required", not "invalid": the person forgot it rather than mistyped it.
	for (const field of ['year', 'opensAt', 'closesAt', 'threshold'] as const) if (!v[field] && errors[field]) errors[field] = 'required';
	return { settings, errors };
}

// ---- rating scales ------------------------------------------------------------------------------------------

/** `优秀=1 / 称职=0.8 / 基本称职=0.6 / 不称职=0.4`: a scale as one line, best level first. */
export function formatLevels(levels: Level[]): string {
	return levels.map((l) => `${l.label}=${l.score}`).join(' / ');
}

export type LevelsProblem = 'levels_format' | 'levels_count' | 'level_label' | 'levels_duplicate' | 'levels_order';

/**
 * A scale as typed: levels separated by `/`, `、`, `，`, `;` or new lines, each a label and its score joined by
 * `=`, `:` or a space (full-width forms too, as a Chinese keyboard types them). Best level first, so scores may
 * not rise along the line.
 */
export function parseLevelsText(value: string): { levels: Level[] } | { problem: LevelsProblem } {
	const items = value
		.split(/[/／;；,，、\n]+/)
		.map((s) => s.trim())
		.filter(Boolean);
	if (items.length < 2 || items.length > maxLevels) return { problem: items.length === 0 ? 'levels_format' : 'levels_count' };
	const levels: Level[] = [];
	for (const item of items) {
		const m = /^(.*?)[\s=＝:：]+(\d{1,3}(?:[.．]\d{1,3})?)$/.exec(item);
		if (!m) return { problem: 'levels_format' };
		const label = (m[1] as string).trim();
		const score = Number((m[2] as string).replace('．', '.'));
		if (!label || [...label].length > levelLabelMaxLength) return { problem: 'level_label' };
		if (score > 100) return { problem: 'levels_format' };
		levels.push({ label, score });
	}
	if (new Set(levels.map((l) => l.label)).size !== levels.length) return { problem: 'levels_duplicate' };
	for (let i = 1; i < levels.length; i++) if ((levels[i] as Level).score > (levels[i - 1] as Level).score) return { problem: 'levels_order' };
	return { levels };
}

// ---- criteria -----------------------------------------------------------------------------------------------

export type CriterionValues = { id: string; name: string; levels: string; isOverall: boolean };
export type RowProblem<P> = { row: number; problem: P };
export type CriterionProblem = 'name_required' | 'name_too_long' | 'name_duplicate' | LevelsProblem | 'none' | 'too_many' | 'overall_many';

export function criterionValues(rows: CriterionView[]): CriterionValues[] {
	return rows.map((r) => ({ id: String(r.id), name: r.name, levels: formatLevels(r.levels), isOverall: r.isOverall }));
}

/** Row count sent by the editor, capped: more rows than any form may hold plus a spare is not a form a person sent. */
function rowCount(form: FormData, max: number): number {
	const n = Number(text(form, 'rows', 10));
	return Number.isInteger(n) && n > 0 ? Math.min(n, max + 5) : 0;
}

/**
 * The criteria editor's rows: fields `c{i}.id`, `c{i}.name`, `c{i}.levels`, `c{i}.overall` for i below `rows`.
 * Without JavaScript, `remove` and `up`/`down` (a row's buttons) change the rows before they are saved.
 */
export function readCriterionValues(form: FormData): CriterionValues[] {
	const rows: CriterionValues[] = [];
	for (let i = 0; i < rowCount(form, maxCriteria); i++) {
		rows.push({ id: text(form, `c${i}.id`, 12), name: text(form, `c${i}.name`, 200), levels: text(form, `c${i}.levels`, 500), isOverall: form.get(`c${i}.overall`) !== null });
	}
	return rearrange(form, rows);
}

/** A row's remove / up / down button pressed without JavaScript. */
function rearrange<T>(form: FormData, rows: T[]): T[] {
	const index = (name: string) => {
		const v = text(form, name, 10);
		return /^\d{1,3}$/.test(v) && Number(v) < rows.length ? Number(v) : -1;
	};
	const out = [...rows];
	const removed = index('remove');
	if (removed >= 0) out.splice(removed, 1);
	const up = index('up');
	if (up > 0) [out[up - 1], out[up]] = [out[up] as T, out[up - 1] as T];
	const down = index('down');
	if (down >= 0 && down < out.length - 1) [out[down], out[down + 1]] = [out[down + 1] as T, out[down] as T];
	return out;
}

/** Rows whose name and scale are both empty are spare rows and are skipped. */
export function parseCriteria(values: CriterionValues[]): { rows: CriterionRow[]; errors: RowProblem<CriterionProblem>[] } {
	const rows: CriterionRow[] = [];
	const errors: RowProblem<CriterionProblem>[] = [];
	const seen = new Set<string>();
	values.forEach((v, i) => {
		const row = i + 1;
		if (!v.name && !v.levels) return;
		const name = v.name.trim();
		if (!name) errors.push({ row, problem: 'name_required' });
		else if ([...name].length > criterionNameMaxLength) errors.push({ row, problem: 'name_too_long' });
		else if (seen.has(name)) errors.push({ row, problem: 'name_duplicate' });
		seen.add(name);
		const scale = parseLevelsText(v.levels);
		if ('problem' in scale) errors.push({ row, problem: scale.problem });
		rows.push({ id: /^\d{1,9}$/.test(v.id) ? Number(v.id) : null, name, levels: 'levels' in scale ? scale.levels : [], isOverall: v.isOverall });
	});
	if (rows.length === 0) errors.push({ row: 0, problem: 'none' });
	if (rows.length > maxCriteria) errors.push({ row: 0, problem: 'too_many' });
	if (rows.filter((r) => r.isOverall).length > 1) errors.push({ row: 0, problem: 'overall_many' });
	return { rows, errors };
}

// ---- rater groups -------------------------------------------------------------------------------------------

export type GroupValues = { id: string; name: string; weight: string; membersRate: boolean; unitIds: number[]; roles: Role[] };
export type GroupProblem = 'name_required' | 'name_too_long' | 'name_duplicate' | 'weight_invalid' | 'weight_missing' | 'none' | 'too_many' | 'weights_sum';

export function groupValues(rows: GroupView[]): GroupValues[] {
	return rows.map((g) => ({ id: String(g.id), name: g.name, weight: g.weightPct === null ? '' : String(g.weightPct), membersRate: g.membersRate, unitIds: g.unitIds, roles: g.roles }));
}

/** Fields `g{i}.id`, `g{i}.name`, `g{i}.weight`, `g{i}.members`, `g{i}.unit` (several), `g{i}.role` (several). */
export function readGroupValues(form: FormData, knownUnitIds: Set<number>): GroupValues[] {
	const rows: GroupValues[] = [];
	for (let i = 0; i < rowCount(form, maxGroups); i++) {
		const units = form
			.getAll(`g${i}.unit`)
			.map((v) => (typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : 0))
			.filter((id) => knownUnitIds.has(id));
		const roles = form.getAll(`g${i}.role`).filter((r): r is Role => typeof r === 'string' && (allRoles as string[]).includes(r));
		rows.push({
			id: text(form, `g${i}.id`, 12),
			name: text(form, `g${i}.name`, 200),
			weight: text(form, `g${i}.weight`, 20),
			membersRate: form.get(`g${i}.members`) !== null,
			unitIds: [...new Set(units)],
			roles: [...new Set(roles)]
		});
	}
	return rearrange(form, rows);
}

/**
 * Weights are all empty (unweighted) or all given, whole percentages summing to 100. The sum is returned so the
 * message can say it. Rows with neither name nor weight are spare rows.
 */
export function parseGroups(values: GroupValues[]): { rows: GroupRow[]; errors: RowProblem<GroupProblem>[]; weightSum: number } {
	const rows: GroupRow[] = [];
	const errors: RowProblem<GroupProblem>[] = [];
	const seen = new Set<string>();
	const shown: number[] = [];
	values.forEach((v, i) => {
		const row = i + 1;
		if (!v.name && !v.weight) return;
		shown.push(row);
		const name = v.name.trim();
		if (!name) errors.push({ row, problem: 'name_required' });
		else if ([...name].length > groupNameMaxLength) errors.push({ row, problem: 'name_too_long' });
		else if (seen.has(name)) errors.push({ row, problem: 'name_duplicate' });
		seen.add(name);
		let weightPct: number | null = null;
		// `40`, `40%` or `40％` as people write percentages.
		const weight = v.weight.replace(/[%％]$/, '').trim();
		if (weight) {
			weightPct = /^\d{1,3}$/.test(weight) && Number(weight) <= 100 ? Number(weight) : NaN;
			if (Number.isNaN(weightPct)) errors.push({ row, problem: 'weight_invalid' });
		}
		rows.push({ id: /^\d{1,9}$/.test(v.id) ? Number(v.id) : null, name, weightPct, membersRate: v.membersRate, unitIds: v.unitIds, roles: v.roles });
	});
	if (rows.length === 0) errors.push({ row: 0, problem: 'none' });
	if (rows.length > maxGroups) errors.push({ row: 0, problem: 'too_many' });
	const weightSum = rows.reduce((sum, r) => sum + (r.weightPct !== null && Number.isFinite(r.weightPct) ? r.weightPct : 0), 0);
	if (rows.some((r) => r.weightPct !== null)) {
		rows.forEach((r, k) => {
			if (r.weightPct === null) errors.push({ row: shown[k] as number, problem: 'weight_missing' });
		});
		if (!errors.some((e) => e.problem === 'weight_invalid' || e.problem === 'weight_missing') && weightSum !== 100) errors.push({ row: 0, problem: 'weights_sum' });
	}
	return { rows, errors, weightSum };
}
