import { error } from '@sveltejs/kit';
import type { Scope } from '../org/scope';
import { db } from '../db/instance';
import { settleExpired } from './counted';
import { quarterReport } from './report';
import { unitChoiceOrError } from './unit-choice';

/** The report page's and its export's data for `?unit=&quarter=`: 403/404 as the other dashboards, 404 for a quarter not shown. */
export async function reportFromUrl(scope: Scope, viewer: { unitId: number }, url: URL) {
	const choice = await unitChoiceOrError(db(), scope, viewer, url);
	await settleExpired(db());
	const report = await quarterReport(db(), choice, url.searchParams.get('quarter'));
	if (!report) error(404, 'not_found');
	return { choice, report };
}
