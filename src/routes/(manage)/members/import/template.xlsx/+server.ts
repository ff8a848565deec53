import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { xlsxTemplate } from '$lib/server/org/member-file';
import { unitInScope } from '$lib/server/org/scope';
import { unitTree } from '$lib/server/org/units';
import { fileResponse, xlsxType } from '$lib/server/download';
import type { RequestHandler } from './$types';

/** The import template, with the units this person may import into listed on its second sheet. */
export const GET: RequestHandler = async () => {
	const { scope } = await requireManager();
	const units = (await unitTree(db())).filter((u) => unitInScope(scope, u.id));
	return fileResponse(await xlsxTemplate(units.map((u) => u.path)), '成员导入模板.xlsx', xlsxType);
};
