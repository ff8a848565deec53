import { error, fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db/instance';
import {
	addTargets,
	backToDraft,
	campaignPhase,
	closeEarly,
	getCampaign,
	issueCodes,
	listBatches,
	listCriteria,
	listGroups,
	listTargets,
	moveTarget,
	removeTarget,
	reportTextMaxLength,
	saveCriteria,
	saveGroups,
	saveReport,
	startLive,
	startTrial,
	targetCandidates,
	updateSettings,
	type ChangeResult
} from '$lib/server/evaluations/campaigns';
import { maxCodesPerBatch, voidBatch } from '$lib/server/evaluations/codes';
import { readReportUpload } from '$lib/server/evaluations/report-file';
import {
	criterionValues,
	groupValues,
	parseCriteria,
	parseGroups,
	parseSettings,
	readCriterionValues,
	readGroupValues,
	readSettingsValues,
	settingsValues
} from '$lib/server/evaluations/setup-form';
import { makeSlips } from '$lib/server/evaluations/slips';
import { splitLoginIds } from '$lib/server/exams/setup-form';
import { membersByLoginIds } from '$lib/server/exams/setup';
import { idParam, integer, readForm, text } from '$lib/server/form';
import { unitTree } from '$lib/server/org/units';
import type { Actions, PageServerLoad } from './$types';

// The committee's campaign page: settings, targets and their reports, criteria, rater groups, ballot codes and
// the run. Every action asks for the committee and the campaign itself; the lock is checked by the server module
// inside each change, whatever the page showed.

async function campaignOr404(raw: string) {
	const id = idParam(raw);
	const campaign = id === null ? undefined : await getCampaign(db(), id);
	if (!campaign) error(404, 'not_found');
	return campaign;
}

/** A change refused: 404 for something that is not there, 409 with a flag for the lock. */
function refused(result: ChangeResult, flag: string, extra: Record<string, unknown> = {}) {
	if (!result.ok && result.problem === 'not_found') error(404, 'not_found');
	return fail(409, { [flag]: true, ...extra });
}

export const load: PageServerLoad = async ({ params, url }) => {
	requireRole('committee');
	const campaign = await campaignOr404(params.id);
	const { timeZone } = readConfig();
	const [targets, leaders, criteria, groups, units, batches] = await Promise.all([
		listTargets(db(), campaign.id),
		targetCandidates(db(), campaign.id, { leadersOnly: true }),
		listCriteria(db(), campaign.id),
		listGroups(db(), campaign.id),
		unitTree(db()),
		listBatches(db(), campaign.id)
	]);
	const now = Date.now();
	return {
		campaign: { ...campaign, phase: campaignPhase({ status: campaign.status, opens_at: campaign.opensAt, closes_at: campaign.closesAt }, now) },
		settings: settingsValues(campaign, timeZone),
		targets,
		leaders,
		criteria: criterionValues(criteria),
		groups: groupValues(groups),
		groupCounts: groups.map((g) => ({ id: g.id, name: g.name, eligibleNow: g.eligibleNow, eligibleFixed: g.eligibleFixed, codes: g.codes })),
		units: units.map((u) => ({ id: u.id, name: u.name, depth: u.depth })),
		batches,
		maxCodes: maxCodesPerBatch,
		timeZone,
		now,
		created: url.searchParams.has('created')
	};
};

export const actions: Actions = {
	settings: async ({ request, params }) => {
		requireRole('committee');
		const campaign = await campaignOr404(params.id);
		const { timeZone } = readConfig();
		const values = readSettingsValues(await readForm(request));
		const { settings, errors } = parseSettings(values, timeZone);
		if (Object.keys(errors).length > 0) return fail(400, { settingsValues: values, settingsErrors: errors });
		const saved = await updateSettings(db(), campaign.id, settings);
		if (!saved.ok) {
			if (saved.problem === 'not_found') error(404, 'not_found');
			return fail(409, { settingsValues: values, settingsErrors: saved.errors });
		}
		return { settingsSaved: true };
	},

	addTargets: async ({ request, params }) => {
		requireRole('committee');
		const campaign = await campaignOr404(params.id);
		const form = await readForm(request);
		const loginIds = text(form, 'loginIds', 20_000);
		const picked = form.getAll('member').flatMap((v) => (typeof v === 'string' && /^\d{1,9}$/.test(v) ? [Number(v)] : []));
		const typed = await membersByLoginIds(db(), splitLoginIds(loginIds));
		const disabled = typed.found.filter((x) => x.status === 'disabled').map((x) => x.loginId);
		if (typed.unknown.length > 0 || disabled.length > 0) return fail(400, { targetsLoginIds: loginIds, targetsUnknown: typed.unknown, targetsDisabled: disabled });
		// Ticked boxes name active leaders; anything else sent is ignored rather than trusted.
		const leaders = new Set((await targetCandidates(db(), campaign.id, { leadersOnly: true })).map((c) => c.id));
		const ids = [...picked.filter((id) => leaders.has(id)), ...typed.found.map((x) => x.id)];
		if (ids.length === 0) return fail(400, { targetsLoginIds: loginIds, targetsNone: true });
		const result = await addTargets(db(), campaign.id, ids);
		if (!result.ok) {
			if (result.problem === 'too_many') return fail(400, { targetsLoginIds: loginIds, targetsTooMany: true });
			return refused(result, 'targetsLocked', { targetsLoginIds: loginIds });
		}
		return { targetsSaved: true };
	},

	target: async ({ request, params }) => {
		requireRole('committee');
		const campaign = await campaignOr404(params.id);
		const form = await readForm(request);
		const targetId = integer(form, 'targetId');
		if (targetId === null) error(404, 'not_found');
		const op = text(form, 'op');
		const result =
			op === 'up' ? await moveTarget(db(), campaign.id, targetId, -1) : op === 'down' ? await moveTarget(db(), campaign.id, targetId, 1) : op === 'remove' ? await removeTarget(db(), campaign.id, targetId) : null;
		if (result === null) return fail(400, { targetsBadOp: true });
		if (!result.ok) return refused(result, 'targetsLocked');
		return { targetsSaved: true };
	},

	report: async ({ request, params }) => {
		requireRole('committee');
		const campaign = await campaignOr404(params.id);
		const form = await readForm(request);
		const targetId = integer(form, 'targetId');
		if (targetId === null) error(404, 'not_found');
		const raw = form.get('reportText');
		// Refused rather than cut: a report longer than the limit is sent back whole with the message.
		if (typeof raw === 'string' && raw.trim().length > reportTextMaxLength) return fail(400, { reportTarget: targetId, reportText: raw.slice(0, 200_000), reportProblem: 'text_too_long' });
		const reportText = text(form, 'reportText', reportTextMaxLength);
		const upload = await readReportUpload(form);
		if (!upload.ok) return fail(400, { reportTarget: targetId, reportText, reportProblem: upload.problem });
		const result = await saveReport(db(), campaign.id, targetId, { text: reportText, file: upload.file ?? undefined, removeFile: form.get('removeFile') !== null });
		if (!result.ok) return refused(result, 'reportLocked', { reportTarget: targetId, reportText });
		return { reportSaved: targetId };
	},

	criteria: async ({ request, params }) => {
		requireRole('committee');
		const campaign = await campaignOr404(params.id);
		const values = readCriterionValues(await readForm(request));
		const { rows, errors } = parseCriteria(values);
		if (errors.length > 0) return fail(400, { criteriaValues: values, criteriaErrors: errors });
		const result = await saveCriteria(db(), campaign.id, rows);
		if (!result.ok) return refused(result, 'criteriaLocked', { criteriaValues: values });
		return { criteriaSaved: true };
	},

	groups: async ({ request, params }) => {
		requireRole('committee');
		const campaign = await campaignOr404(params.id);
		const units = await unitTree(db(), { includeArchived: true });
		const values = readGroupValues(await readForm(request), new Set(units.map((u) => u.id)));
		const { rows, errors, weightSum } = parseGroups(values);
		if (errors.length > 0) return fail(400, { groupsValues: values, groupsErrors: errors, weightSum });
		const result = await saveGroups(db(), campaign.id, rows);
		if (!result.ok) {
			if (result.problem === 'has_codes') return fail(409, { groupsValues: values, groupsHasCodes: result.name });
			return refused(result, 'groupsLocked', { groupsValues: values });
		}
		return { groupsSaved: true };
	},

	// The codes exist in plain text only in this answer: the slips are printed from it and it is not kept.
	codes: async ({ request, params, url }) => {
		requireRole('committee');
		const campaign = await campaignOr404(params.id);
		const form = await readForm(request);
		const groupId = integer(form, 'groupId');
		const countText = text(form, 'count', 10);
		const count = /^\d{1,4}$/.test(countText) ? Number(countText) : NaN;
		if (groupId === null) return fail(400, { codesProblem: 'group', codesCount: countText });
		const result = await issueCodes(db(), campaign.id, groupId, count);
		if (!result.ok) {
			if (result.problem === 'not_found') return fail(400, { codesProblem: 'group', codesCount: countText });
			return fail(result.problem === 'locked' ? 409 : 400, { codesProblem: result.problem, codesCount: countText });
		}
		const group = (await listGroups(db(), campaign.id)).find((g) => g.id === groupId);
		return { slips: { batch: result.batch, groupName: group?.name ?? '', items: await makeSlips(url.origin, result.codes) } };
	},

	void: async ({ request, params }) => {
		requireRole('committee');
		const campaign = await campaignOr404(params.id);
		const batch = integer(await readForm(request), 'batch');
		if (batch === null) error(404, 'not_found');
		const voided = await voidBatch(db(), campaign.id, batch);
		return { voided: { batch, count: voided } };
	},

	trial: async ({ params }) => {
		requireRole('committee');
		const campaign = await campaignOr404(params.id);
		const result = await startTrial(db(), campaign.id);
		if (!result.ok) return fail(409, { runProblem: result.problem });
		return { runStarted: 'trial' as const, eligible: result.eligible };
	},

	live: async ({ request, params }) => {
		requireRole('committee');
		const campaign = await campaignOr404(params.id);
		// The real run deletes the test run's ballots: asked for explicitly, not by a stray click.
		if ((await readForm(request)).get('confirm') === null) return fail(400, { runProblem: 'confirm' });
		const result = await startLive(db(), campaign.id);
		if (!result.ok) return fail(409, { runProblem: result.problem });
		return { runStarted: 'live' as const, eligible: result.eligible };
	},

	draft: async ({ params }) => {
		requireRole('committee');
		const campaign = await campaignOr404(params.id);
		const result = await backToDraft(db(), campaign.id);
		if (!result.ok) return fail(409, { runProblem: result.problem });
		return { runStarted: 'draft' as const, eligible: 0 };
	},

	// 提前结束: cannot be undone, so asked for explicitly.
	close: async ({ request, params }) => {
		requireRole('committee');
		const campaign = await campaignOr404(params.id);
		if ((await readForm(request)).get('confirm') === null) return fail(400, { runProblem: 'close_confirm' });
		const result = await closeEarly(db(), campaign.id);
		if (!result.ok) return fail(409, { runProblem: result.problem });
		return { runStarted: 'closed' as const, eligible: result.eligible };
	}
};
