import { requireRole } from '$lib/server/auth/guard';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db/instance';
import { campaignPhase, listCampaigns } from '$lib/server/evaluations/campaigns';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	requireRole('committee');
	const now = Date.now();
	const campaigns = await listCampaigns(db());
	return {
		campaigns: campaigns.map((c) => ({ ...c, phase: campaignPhase({ status: c.status, opens_at: c.opensAt, closes_at: c.closesAt }, now) })),
		timeZone: readConfig().timeZone
	};
};
