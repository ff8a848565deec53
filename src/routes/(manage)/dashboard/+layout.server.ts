import { requireManager } from '$lib/server/auth/guard';
import type { LayoutServerLoad } from './$types';

// Only for the tabs: every page and export below asks for itself (layouts are not a boundary).
export const load: LayoutServerLoad = async () => {
	const { member } = await requireManager();
	return { isCommittee: member.roles.includes('committee') };
};
