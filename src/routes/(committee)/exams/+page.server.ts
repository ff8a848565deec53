import { error, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db/instance';
import { cloneExam, listExams } from '$lib/server/exams/exams';
import { integer, readForm } from '$lib/server/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	requireRole('committee');
	return {
		exams: await listExams(db()),
		now: Date.now(),
		timeZone: readConfig().timeZone,
		deleted: url.searchParams.has('deleted')
	};
};

export const actions: Actions = {
	// Next quarter's test starts as a copy of this one: same blueprint, audience and rules, a new window.
	clone: async ({ request }) => {
		const actor = requireRole('committee');
		const id = integer(await readForm(request), 'id');
		const copy = id === null ? undefined : await cloneExam(db(), id, actor.id, readConfig().timeZone);
		if (copy === undefined) error(404, 'not_found');
		redirect(303, `/exams/${copy}?cloned=1`);
	}
};
