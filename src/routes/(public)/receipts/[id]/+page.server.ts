import { error } from '@sveltejs/kit';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db/instance';
import { receiptsPage } from '$lib/server/evaluations/ballot-form';
import { idParam } from '$lib/server/form';
import type { PageServerLoad } from './$types';

// The published receipt list of a campaign (public: raters with codes have no account). Codes only, sorted;
// before the campaign closes, when it will be published. Looking a receipt up happens in the browser, so no
// request says which receipt anyone looked for.
export const load: PageServerLoad = async ({ params }) => {
	const id = idParam(params.id);
	const found = id === null ? null : await receiptsPage(db(), id);
	if (!found) error(404, 'not_found');
	return { ...found, timeZone: readConfig().timeZone };
};
