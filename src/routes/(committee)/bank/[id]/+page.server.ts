import { error, fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { listAreas } from '$lib/server/bank/areas';
import { sourceDocuments } from '$lib/server/bank/documents';
import { contentFromForm, formValuesFromContent, readQuestionForm } from '$lib/server/bank/question-form';
import { getQuestion, questionHistory, reviseQuestion, setQuestionStatus } from '$lib/server/bank/questions';
import { idParam, integer, readForm } from '$lib/server/form';
import { readConfig } from '$lib/server/config';
import type { Actions, PageServerLoad } from './$types';

async function questionOr404(raw: string) {
	const id = idParam(raw);
	const question = id === null ? undefined : await getQuestion(db(), id);
	if (!question) error(404, 'not_found');
	return question;
}

export const load: PageServerLoad = async ({ params, url }) => {
	requireRole('committee');
	const question = await questionOr404(params.id);
	const areas = await listAreas(db(), { includeRetired: true });
	return {
		question: { id: question.id, status: question.status, version: question.version, versionId: question.versionId },
		timeZone: readConfig().timeZone,
		values: formValuesFromContent(question),
		// A retired area still shows on the questions that carry it.
		areas: areas.filter((a) => !a.retired || question.areaIds.includes(a.id)),
		documents: sourceDocuments,
		history: await questionHistory(db(), question.id),
		created: url.searchParams.has('created')
	};
};

export const actions: Actions = {
	save: async ({ request, params }) => {
		const actor = requireRole('committee');
		const question = await questionOr404(params.id);
		const form = await readForm(request);
		const values = readQuestionForm(form);
		const baseVersionId = integer(form, 'baseVersionId') ?? undefined;
		const known = new Set((await listAreas(db(), { includeRetired: true })).map((a) => a.id));
		values.areaIds = values.areaIds.filter((id) => known.has(id));
		const result = contentFromForm(values);
		if (!result.ok) return fail(400, { values, errors: result.errors });
		const saved = await db()
			.transaction()
			.execute((trx) => reviseQuestion(trx, actor.id, question.id, result.content, Date.now(), baseVersionId));
		if (!saved.ok && saved.problem === 'conflict') return fail(409, { values, errors: {}, conflict: true });
		if (!saved.ok) return { unchanged: true };
		return { saved: { version: saved.version, newVersion: saved.newVersion } };
	},
	activate: async ({ params }) => {
		const actor = requireRole('committee');
		const question = await questionOr404(params.id);
		await db()
			.transaction()
			.execute((trx) => setQuestionStatus(trx, actor.id, [question.id], 'active'));
		return { statusChanged: 'active' as const };
	},
	retire: async ({ params }) => {
		const actor = requireRole('committee');
		const question = await questionOr404(params.id);
		await db()
			.transaction()
			.execute((trx) => setQuestionStatus(trx, actor.id, [question.id], 'retired'));
		return { statusChanged: 'retired' as const };
	}
};
