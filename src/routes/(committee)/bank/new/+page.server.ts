import { fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { listAreas } from '$lib/server/bank/areas';
import { sourceDocuments } from '$lib/server/bank/documents';
import { contentFromForm, readQuestionForm, type QuestionFormValues } from '$lib/server/bank/question-form';
import { insertQuestion } from '$lib/server/bank/questions';
import { text, readForm } from '$lib/server/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	requireRole('committee');
	const values: QuestionFormValues = {
		type: 'single',
		stem: '',
		options: [],
		correct: [],
		trueFalse: '',
		blanks: '',
		explanation: '',
		difficulty: 'medium',
		areaIds: [],
		sourceDocument: '',
		sourceSection: '',
		sourceQuote: '',
		reviewBy: ''
	};
	return { values, areas: await listAreas(db()), documents: sourceDocuments };
};

export const actions: Actions = {
	save: async ({ request }) => {
		const actor = requireRole('committee');
		const form = await readForm(request);
		const values = readQuestionForm(form);
		const known = new Set((await listAreas(db())).map((a) => a.id));
		values.areaIds = values.areaIds.filter((id) => known.has(id));
		const result = contentFromForm(values);
		if (!result.ok) return fail(400, { values, errors: result.errors });
		const status = text(form, 'status') === 'draft' ? 'draft' : 'active';
		const id = await db()
			.transaction()
			.execute((trx) => insertQuestion(trx, actor.id, result.content, status));
		redirect(303, `/bank/${id}?created=1`);
	}
};
