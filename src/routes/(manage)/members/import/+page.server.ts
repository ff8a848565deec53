import { fail } from '@sveltejs/kit';
import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { text, readForm } from '$lib/server/form';
import { applyMemberImport, planMemberImport, type ImportPlan } from '$lib/server/org/member-import';
import { readUploadedMemberFile } from '$lib/server/org/upload';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { member } = await requireManager();
	return { isCommittee: member.roles.includes('committee') };
};

/** What the page shows of a plan; the file itself travels back with the confirm form. */
function preview(plan: ImportPlan, fileName: string, bytes: Uint8Array) {
	return {
		fileName,
		fileData: Buffer.from(bytes).toString('base64'),
		fingerprint: plan.fingerprint,
		creates: plan.creates.map((c) => ({ row: c.row, loginId: c.loginId, name: c.name, unitPath: c.unitPath, roles: c.roles })),
		updates: plan.updates.map((u) => ({ row: u.row, loginId: u.loginId, name: u.name, changed: u.changed })),
		unchanged: plan.unchanged,
		problems: plan.problems
	};
}

export const actions: Actions = {
	preview: async ({ request }) => {
		const { member, scope } = await requireManager();
		const upload = await readUploadedMemberFile(await readForm(request));
		if (!upload.ok) return fail(400, { fileProblem: upload.code });
		const plan = await planMemberImport(db(), { memberId: member.id, scope }, upload.file);
		return { preview: preview(plan, upload.fileName, upload.bytes) };
	},
	confirm: async ({ request }) => {
		const { member, scope } = await requireManager();
		const form = await readForm(request);
		const upload = await readUploadedMemberFile(form);
		if (!upload.ok) return fail(400, { fileProblem: upload.code });
		const result = await applyMemberImport(db(), { memberId: member.id, scope }, upload.file, text(form, 'fingerprint', 100));
		if (!result.ok) return fail(409, { stale: result.reason === 'stale', preview: preview(result.plan, upload.fileName, upload.bytes) });
		return { imported: { created: result.created, updated: result.updated } };
	}
};
