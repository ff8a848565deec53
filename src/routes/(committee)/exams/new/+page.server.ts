import { fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db/instance';
import { createExam } from '$lib/server/exams/exams';
import { defaultWindow, quarterOf } from '$lib/server/exams/quarters';
import { parseSettings, quarterChoices, readSettingsValues, settingsValues } from '$lib/server/exams/setup-form';
import { readForm } from '$lib/server/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	requireRole('committee');
	const { timeZone } = readConfig();
	const quarter = quarterOf(Date.now(), timeZone);
	// The plan's defaults: the quarter's last month, an hour, 60 of 100 points to pass, one attempt
	// (seed 001 四(一): 每季度最后一个月组织测试).
	const values = settingsValues(
		{
			title: '',
			quarter,
			kind: 'quarterly',
			...defaultWindow(quarter, timeZone),
			durationMinutes: 60,
			passCents: 6000,
			attemptsAllowed: 1,
			multiplePolicy: 'partial_half',
			resultsPolicy: 'after_close'
		},
		timeZone
	);
	return { values, quarters: quarterChoices(quarter, timeZone), timeZone };
};

export const actions: Actions = {
	create: async ({ request }) => {
		const actor = requireRole('committee');
		const { timeZone } = readConfig();
		const values = readSettingsValues(await readForm(request));
		const { settings, errors } = parseSettings(values, timeZone);
		if (Object.keys(errors).length > 0) return fail(400, { values, errors });
		const id = await createExam(db(), actor.id, settings);
		redirect(303, `/exams/${id}?created=1`);
	}
};
