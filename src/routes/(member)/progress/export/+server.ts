import { error } from '@sveltejs/kit';
import { areasTable, historyTable } from '$lib/analytics/members';
import { requireMember } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { ownProgress } from '$lib/server/analytics/member-history';
import { tableDownload } from '$lib/server/analytics/table-file';
import { m } from '$lib/paraglide/messages';
import type { RequestHandler } from './$types';

// The member's own tables, as the page shows them; there is no id in the URL, so nobody else's can be asked for.
export const GET: RequestHandler = async ({ url }) => {
	const member = requireMember();
	const progress = await ownProgress(db(), member.id);
	if (!progress) error(404, 'not_found');
	return tableDownload([historyTable(progress), areasTable(progress)], url, m.dashMembers_progress_title());
};
