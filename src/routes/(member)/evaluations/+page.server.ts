import { requireMember } from '$lib/server/auth/guard';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db/instance';
import { campaignsForMember } from '$lib/server/evaluations/ballot-form';
import type { PageServerLoad } from './$types';

// 我的测评: the campaigns this member may rate now (and whether they have), and closed ones with their receipts.
export const load: PageServerLoad = async () => {
	const member = requireMember();
	const campaigns = await campaignsForMember(db(), member.id);
	return {
		open: campaigns.filter((c) => !c.closed && (c.open || c.rated)),
		closed: campaigns.filter((c) => c.closed),
		timeZone: readConfig().timeZone
	};
};
