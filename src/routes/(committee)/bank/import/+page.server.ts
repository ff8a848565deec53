import { fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { listAreas } from '$lib/server/bank/areas';
import { applyQuestionImport, planQuestionImport, type ImportPlan } from '$lib/server/bank/import';
import { readQuestionUpload } from '$lib/server/bank/upload';
import { starterBankCsv } from '$lib/server/bank/starter';
import { text, readForm } from '$lib/server/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	requireRole('committee');
	return { areas: await listAreas(db()) };
};

const maxPerQuestion = 30;

function preview(plan: ImportPlan, upload: Extract<Awaited<ReturnType<typeof readQuestionUpload>>, { ok: true }>) {
	return {
		fileName: upload.fileName,
		fileData: Buffer.from(upload.bytes).toString('base64'),
		format: upload.format,
		options: upload.options,
		fingerprint: plan.fingerprint,
		creates: plan.creates.length,
		updates: plan.updates.length,
		duplicates: plan.duplicatesSkipped.slice(0, 200),
		duplicateCount: plan.duplicatesSkipped.length,
		updatesList: plan.updates.slice(0, 200),
		/** The choices this preview was made with, to tell a changed choice from changed data at confirm. */
		previewOptions: JSON.stringify(upload.options),
		byType: plan.byType,
		byArea: plan.byArea,
		categories: plan.categories,
		tags: plan.tags.slice(0, 200),
		unassignedCount: plan.arealess.filter((q) => !q.assigned).length,
		/** Chosen one by one only in a small file; a large one takes the area for the whole file. */
		arealess: plan.arealess.length <= maxPerQuestion ? plan.arealess.map((q) => ({ ...q, stem: q.stem.slice(0, 120) })) : [],
		warnings: plan.warnings.slice(0, 200),
		warningCount: plan.warnings.length,
		problems: plan.problems.slice(0, 500),
		problemCount: plan.problems.length,
		skipped: plan.skipped.slice(0, 200),
		skippedCount: plan.skipped.length
	};
}

function refused(upload: Extract<Awaited<ReturnType<typeof readQuestionUpload>>, { ok: false }>) {
	return fail(400, { fileProblem: upload.code, problemFile: 'fileName' in upload ? upload.fileName : '' });
}

export const actions: Actions = {
	// The starter bank written from the source documents, previewed like any uploaded file.
	starter: async () => {
		requireRole('committee');
		const form = new FormData();
		form.set('fileData', Buffer.from(starterBankCsv(), 'utf8').toString('base64'));
		form.set('fileName', '入门题库.csv');
		const upload = await readQuestionUpload(form);
		if (!upload.ok) return refused(upload);
		const plan = await planQuestionImport(db(), upload.parsed, upload.options);
		return { preview: preview(plan, upload) };
	},
	preview: async ({ request }) => {
		requireRole('committee');
		const upload = await readQuestionUpload(await readForm(request));
		if (!upload.ok) return refused(upload);
		const plan = await planQuestionImport(db(), upload.parsed, upload.options);
		return { preview: preview(plan, upload) };
	},
	confirm: async ({ request }) => {
		const actor = requireRole('committee');
		const form = await readForm(request);
		const upload = await readQuestionUpload(form);
		if (!upload.ok) return refused(upload);
		if (text(form, 'previewOptions', 100_000) !== JSON.stringify(upload.options)) {
			// The person changed a choice and pressed confirm: show what the new choices would do first.
			const plan = await planQuestionImport(db(), upload.parsed, upload.options);
			return fail(409, { optionsChanged: true, preview: preview(plan, upload) });
		}
		const result = await applyQuestionImport(db(), actor.id, upload.parsed, upload.options, text(form, 'fingerprint', 100));
		if (!result.ok) return fail(409, { stale: result.reason === 'stale', preview: preview(result.plan, upload) });
		return { imported: { created: result.created, updated: result.updated, unchanged: result.unchanged } };
	}
};
