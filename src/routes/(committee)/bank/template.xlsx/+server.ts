import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { listAreas } from '$lib/server/bank/areas';
import { questionTemplateXlsx } from '$lib/server/bank/formats/template';
import { fileResponse, xlsxType } from '$lib/server/download';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	requireRole('committee');
	const areas = await listAreas(db());
	return fileResponse(await questionTemplateXlsx(areas.map((a) => ({ code: a.code, name: a.nameZh }))), '试题导入模板.xlsx', xlsxType);
};
