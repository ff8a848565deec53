import { error } from '@sveltejs/kit';
import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { settleExpired } from '$lib/server/analytics/counted';
import { areaMastery } from '$lib/server/analytics/mastery';
import { tableDownload } from '$lib/server/analytics/table-file';
import { unitChoiceOrError } from '$lib/server/analytics/unit-choice';
import { areaOrder, heatTable, quarterAreaTable, quarterIndex } from '$lib/analytics/mastery';
import { comparedSets } from '$lib/analytics/units';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { RequestHandler } from './$types';

/** The mastery page's tables as CSV or XLSX, for the same unit and quarter (`?unit=&quarter=`). */
export const GET: RequestHandler = async ({ url }) => {
	const { member, scope } = await requireManager();
	const choice = await unitChoiceOrError(db(), scope, member, url);
	await settleExpired(db());
	const sets = comparedSets(choice);
	const mastery = await areaMastery(
		db(),
		sets.map((s) => s.unitIds)
	);
	const quarter = quarterIndex(mastery.quarters, url.searchParams.get('quarter'));
	if (quarter < 0) error(404, 'not_found');
	const focus = sets.length - 1;
	const order = areaOrder(mastery, quarter, focus);
	const tables = [heatTable(mastery, order, getLocale(), focus), quarterAreaTable(mastery, quarter, order, sets.map((s) => s.name), getLocale())];
	return tableDownload(tables, url, m.dash_tab_mastery());
};
