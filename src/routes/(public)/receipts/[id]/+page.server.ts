import { error } from '@sveltejs/kit';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db/instance';
import { publishedReceipts } from '$lib/server/evaluations/ballots';
import { idParam } from '$lib/server/form';
import type { PageServerLoad } from './$types';

// The published receipt list of a campaign (public: raters with codes have no account). Codes only, sorted;
// before the campaign closes, when it will be published. Looking a receipt up happens in the browser, so no
// request says which receipt anyone looked for.
export const load: PageServerLoad = async ({ params }) => {
	const id = idParam(params.id);
	const campaign = id === null ? undefined : await db().selectFrom('evaluation').select(['id', 'title', 'status', 'closes_at']).where('id', '=', id).executeTakeFirst();
	if (!campaign || campaign.status === 'draft') error(404, 'not_found');
	return {
		title: campaign.title,
		status: campaign.status,
		closesAt: campaign.closes_at,
		receipts: await publishedReceipts(db(), campaign.id),
		timeZone: readConfig().timeZone
	};
};
