import { error, fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { listAreas } from '$lib/server/bank/areas';
import { sourceDocuments } from '$lib/server/bank/documents';
import { coverage } from '$lib/server/bank/questions';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db/instance';
import {
	audienceMemberIds,
	blueprintStatus,
	cloneExam,
	deleteDraft,
	getExam,
	publishExam,
	setAudience,
	setBlueprint,
	unpublishExam,
	updateExamSettings
} from '$lib/server/exams/exams';
import { quarterOf } from '$lib/server/exams/quarters';
import {
	blankRow,
	blueprintValues,
	parseBlueprint,
	parseSettings,
	quarterChoices,
	readAudienceValues,
	readBlueprintValues,
	readSettingsValues,
	settingsValues,
	splitLoginIds
} from '$lib/server/exams/setup-form';
import { membersByLoginIds, namedMembers, samplePaper } from '$lib/server/exams/setup';
import { idParam, readForm } from '$lib/server/form';
import { unitTree } from '$lib/server/org/units';
import type { Actions, PageServerLoad } from './$types';

/** Empty rows after the saved ones, so the editor can grow without JavaScript. */
const spareRows = 3;

async function examOr404(raw: string) {
	const id = idParam(raw);
	const exam = id === null ? undefined : await getExam(db(), id);
	if (!exam) error(404, 'not_found');
	return exam;
}

export const load: PageServerLoad = async ({ params, url }) => {
	requireRole('committee');
	const exam = await examOr404(params.id);
	const { timeZone } = readConfig();
	const [areas, cells, status, units, audienceSize, included, excluded] = await Promise.all([
		listAreas(db(), { includeRetired: true }),
		coverage(db()),
		blueprintStatus(db(), exam.blueprint),
		unitTree(db(), { includeArchived: true }),
		audienceMemberIds(db(), exam.id).then((ids) => ids.length),
		namedMembers(db(), exam.audience.include),
		namedMembers(db(), exam.audience.exclude)
	]);
	const usedAreas = new Set(exam.blueprint.map((r) => r.areaId));
	const chosenUnits = new Set(exam.audience.unitIds);
	return {
		exam: {
			id: exam.id,
			title: exam.title,
			quarter: exam.quarter,
			kind: exam.kind,
			status: exam.status,
			opensAt: exam.opensAt,
			closesAt: exam.closesAt,
			passCents: exam.passCents,
			totalCents: exam.totalCents,
			questionCount: exam.questionCount,
			publishedAt: exam.publishedAt,
			locked: exam.locked,
			clonedFrom: exam.clonedFrom
		},
		settings: settingsValues(exam, timeZone),
		quarters: quarterChoices(quarterOf(Date.now(), timeZone), timeZone, exam.quarter),
		blueprint: exam.blueprint,
		// A locked blueprint is only shown: no empty rows to fill in.
		blueprintRows: [...blueprintValues(exam.blueprint), ...Array.from({ length: exam.locked ? 0 : spareRows }, blankRow)],
		status: status.map((s) => ({ available: s.available, missing: s.missing })),
		// A retired area is offered only where a row already uses it.
		areas: areas.filter((a) => !a.retired || usedAreas.has(a.id)).map((a) => ({ id: a.id, nameZh: a.nameZh, nameEn: a.nameEn })),
		coverage: cells,
		units: units
			.filter((u) => u.archived_at === null || chosenUnits.has(u.id))
			.map((u) => ({ id: u.id, name: u.name, depth: u.depth, parentId: u.parent_id, memberCount: u.memberCount })),
		audience: {
			unitIds: exam.audience.unitIds,
			roles: exam.audience.roles,
			include: included.map((x) => x.loginId).join('\n'),
			exclude: excluded.map((x) => x.loginId).join('\n'),
			included,
			excluded
		},
		audienceSize,
		now: Date.now(),
		timeZone,
		created: url.searchParams.has('created'),
		cloned: url.searchParams.has('cloned')
	};
};

export const actions: Actions = {
	settings: async ({ request, params }) => {
		requireRole('committee');
		const exam = await examOr404(params.id);
		const { timeZone } = readConfig();
		const values = readSettingsValues(await readForm(request));
		const { settings, errors } = parseSettings(values, timeZone);
		if (Object.keys(errors).length > 0) return fail(400, { settingsValues: values, settingsErrors: errors });
		const saved = await updateExamSettings(db(), exam.id, settings);
		if (!saved.ok) return fail(409, { settingsValues: values, settingsErrors: {}, settingsLocked: true });
		return { settingsSaved: true };
	},

	// The whole table at once: the editor sends every row, and the blueprint is replaced in one transaction.
	blueprint: async ({ request, params }) => {
		requireRole('committee');
		const exam = await examOr404(params.id);
		const values = readBlueprintValues(await readForm(request));
		// Said before any row is checked: mistakes in a table that cannot be saved anyway are not worth fixing.
		if (exam.locked) return fail(409, { blueprintValues: values, blueprintErrors: [], blueprintLocked: true });
		const areaIds = new Set((await listAreas(db(), { includeRetired: true })).map((a) => a.id));
		const { rows, errors } = parseBlueprint(values, areaIds);
		if (errors.length > 0) return fail(400, { blueprintValues: values, blueprintErrors: errors });
		const saved = await setBlueprint(db(), exam.id, rows);
		if (!saved.ok) return fail(409, { blueprintValues: values, blueprintErrors: [], blueprintLocked: true });
		return { blueprintSaved: true };
	},

	audience: async ({ request, params }) => {
		requireRole('committee');
		const exam = await examOr404(params.id);
		const units = await unitTree(db(), { includeArchived: true });
		const values = readAudienceValues(await readForm(request), new Set(units.map((u) => u.id)));
		const include = await membersByLoginIds(db(), splitLoginIds(values.include));
		const exclude = await membersByLoginIds(db(), splitLoginIds(values.exclude));
		// A disabled account cannot sign in to take the test; adding it by name would only look like it counts.
		const disabled = include.found.filter((x) => x.status === 'disabled').map((x) => x.loginId);
		if (include.unknown.length > 0 || exclude.unknown.length > 0 || disabled.length > 0) {
			return fail(400, {
				audienceValues: values,
				audienceErrors: { includeUnknown: include.unknown, includeDisabled: disabled, excludeUnknown: exclude.unknown }
			});
		}
		const saved = await setAudience(db(), exam.id, {
			unitIds: values.unitIds,
			roles: values.roles,
			include: include.found.map((x) => x.id),
			exclude: exclude.found.map((x) => x.id)
		});
		if (!saved.ok) return fail(409, { audienceValues: values, audienceLocked: true });
		return { audienceSaved: true };
	},

	publish: async ({ params }) => {
		const actor = requireRole('committee');
		const exam = await examOr404(params.id);
		const result = await publishExam(db(), exam.id, actor.id);
		if (!result.ok) {
			return fail(400, {
				publishProblem: result.problem,
				shortfall: result.problem === 'unfillable' ? result.shortfall.map((s) => ({ row: s.row, missing: s.missing, available: s.available })) : []
			});
		}
		return { published: true };
	},

	unpublish: async ({ params }) => {
		requireRole('committee');
		const exam = await examOr404(params.id);
		const result = await unpublishExam(db(), exam.id);
		if (!result.ok) return fail(409, { unpublishLocked: true });
		return { unpublished: true };
	},

	delete: async ({ params }) => {
		requireRole('committee');
		const exam = await examOr404(params.id);
		const result = await deleteDraft(db(), exam.id);
		if (!result.ok) return fail(409, { deleteRefused: true });
		redirect(303, '/exams?deleted=1');
	},

	clone: async ({ params }) => {
		const actor = requireRole('committee');
		const exam = await examOr404(params.id);
		const copy = await cloneExam(db(), exam.id, actor.id, readConfig().timeZone);
		if (copy === undefined) error(404, 'not_found');
		redirect(303, `/exams/${copy}?cloned=1`);
	},

	// A sample paper to look at, drawn as a member's would be but stored nowhere.
	preview: async ({ params }) => {
		requireRole('committee');
		const exam = await examOr404(params.id);
		const result = await samplePaper(db(), exam.id);
		if (!result.ok) {
			return fail(400, {
				previewProblem: result.problem,
				shortfall: result.problem === 'unfillable' ? result.shortfall.map((s) => ({ row: s.row, missing: s.missing, available: s.available })) : []
			});
		}
		const documents = new Map(sourceDocuments.map((d) => [d.code, d.title]));
		return {
			preview: result.items.map((item) => ({
				...item,
				sourceTitle: item.source ? (documents.get(item.source.document) ?? '') : ''
			}))
		};
	}
};
