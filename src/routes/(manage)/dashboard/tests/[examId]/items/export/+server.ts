import { itemTables, itemsQuery } from '$lib/analytics/items-table';
import { m } from '$lib/paraglide/messages';
import { tableDownload } from '$lib/server/analytics/table-file';
import { requireRole } from '$lib/server/auth/guard';
import { loadItemAnalysis } from '../data';
import type { RequestHandler } from './$types';

// The item analysis page's tables as CSV or XLSX (`?table=summary|items|options&format=csv|xlsx` plus the page's
// sort and filter, so the file lists the questions in the order the page shows them).
export const GET: RequestHandler = async ({ params, url }) => {
	requireRole('committee');
	const analysis = await loadItemAnalysis(params.examId);
	return tableDownload(itemTables(analysis, itemsQuery(url.searchParams)), url, m.dashItems_file({ title: analysis.exam.title }));
};
