import { itemsQuery } from '$lib/analytics/items-table';
import { requireRole } from '$lib/server/auth/guard';
import { readConfig } from '$lib/server/config';
import { loadItemAnalysis } from './data';
import type { PageServerLoad } from './$types';

// 题目分析: how each question of a test did, and how far its scores can be trusted. The committee's alone: it
// shows the key and every question's stem (items.ts and README.md "Item analysis").
export const load: PageServerLoad = async ({ params, url }) => {
	requireRole('committee');
	const analysis = await loadItemAnalysis(params.examId);
	return { analysis, query: itemsQuery(url.searchParams), search: url.searchParams.toString(), timeZone: readConfig().timeZone };
};
