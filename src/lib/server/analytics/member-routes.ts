import { error } from '@sveltejs/kit';
import type { Db } from '../db';
import { unitInScope, type Scope } from '../org/scope';
import { memberProgress } from './member-history';
import { memberTable, memberTablePage, memberTableQuery } from './members';

// What the member pages and their export endpoints share after their own guard: reading the query and checking
// each object against the viewer's scope (a unit or member outside it is 403, one that does not exist 404).

/** The filter of `?unit=&q=&missed=&sort=&page=`; a unit outside the scope is 403, an unknown one 404. */
async function checkedFilter(db: Db, scope: Scope, params: URLSearchParams) {
	const filter = memberTableQuery(params);
	// `unit=` (the picker's "all") is no unit; `unit=abc` names one that cannot exist, as on the other dashboards.
	if (params.get('unit') && filter.unitId === undefined) error(404, 'not_found');
	if (filter.unitId !== undefined) {
		const unit = await db.selectFrom('unit').select('id').where('id', '=', filter.unitId).executeTakeFirst();
		if (!unit) error(404, 'not_found');
		if (!unitInScope(scope, unit.id)) error(403, 'forbidden');
	}
	return filter;
}

/** The whole member table for the query (a download). */
export async function memberTableFor(db: Db, scope: Scope, params: URLSearchParams, now = Date.now()) {
	return memberTable(db, scope, await checkedFilter(db, scope, params), now);
}

/** The page of the member table the query asks for, and the filter read from it. */
export async function memberTablePageFor(db: Db, scope: Scope, params: URLSearchParams, now = Date.now()) {
	const filter = await checkedFilter(db, scope, params);
	return { filter, table: await memberTablePage(db, scope, filter, filter.page, now) };
}

/** A member's record for a manager: 404 for an id that is not a member, 403 for a member outside the scope. */
export async function managedMemberProgress(db: Db, scope: Scope, idParam: string, now = Date.now()) {
	const id = /^\d{1,12}$/.test(idParam) ? Number(idParam) : NaN;
	if (!Number.isSafeInteger(id) || id <= 0) error(404, 'not_found');
	const member = await db.selectFrom('member').select('unit_id').where('id', '=', id).executeTakeFirst();
	if (!member) error(404, 'not_found');
	if (!unitInScope(scope, member.unit_id)) error(403, 'forbidden');
	const progress = await memberProgress(db, id, now);
	if (!progress) error(404, 'not_found');
	return progress;
}
