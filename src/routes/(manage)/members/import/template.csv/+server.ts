import { requireManager } from '$lib/server/auth/guard';
import { csvTemplate } from '$lib/server/org/member-file';
import { fileResponse } from '$lib/server/download';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	await requireManager();
	return fileResponse(new TextEncoder().encode(csvTemplate()), '成员导入模板.csv', 'text/csv; charset=utf-8');
};
