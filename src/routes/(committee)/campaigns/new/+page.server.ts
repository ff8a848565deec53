import { fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db/instance';
import { createCampaign } from '$lib/server/evaluations/campaigns';
import { defaultThreshold } from '$lib/server/evaluations/defaults';
import { parseSettings, readSettingsValues, settingsValues } from '$lib/server/evaluations/setup-form';
import { zonedTime } from '$lib/server/exams/quarters';
import { readForm } from '$lib/server/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	requireRole('committee');
	const { timeZone } = readConfig();
	const year = Number(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(new Date()));
	// A 述学评学 is held at the year's end: a default window of the last two weeks of December, local time.
	const values = settingsValues(
		{
			title: '',
			year,
			kind: 'study_review',
			opensAt: zonedTime(year, 12, 15, 8, 0, timeZone),
			closesAt: zonedTime(year, 12, 31, 18, 0, timeZone),
			threshold: defaultThreshold,
			commentsEnabled: true
		},
		timeZone
	);
	return { values, timeZone };
};

export const actions: Actions = {
	create: async ({ request }) => {
		const actor = requireRole('committee');
		const { timeZone } = readConfig();
		const values = readSettingsValues(await readForm(request));
		const { settings, errors } = parseSettings(values, timeZone);
		if (Object.keys(errors).length > 0) return fail(400, { values, errors });
		const id = await createCampaign(db(), actor.id, settings);
		redirect(303, `/campaigns/${id}?created=1`);
	}
};
