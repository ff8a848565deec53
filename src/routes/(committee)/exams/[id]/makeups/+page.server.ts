import { error, fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db/instance';
import { createMakeup, getExam, listMakeups } from '$lib/server/exams/exams';
import { fromLocalInput, toLocalInput } from '$lib/server/exams/quarters';
import { splitLoginIds } from '$lib/server/exams/setup-form';
import { makeupCandidates, membersByLoginIds, namedMembers } from '$lib/server/exams/setup';
import { idParam, readForm, text } from '$lib/server/form';
import type { Actions, PageServerLoad } from './$types';

const hour = 60 * 60_000;

async function examOr404(raw: string) {
	const id = idParam(raw);
	const exam = id === null ? undefined : await getExam(db(), id);
	if (!exam) error(404, 'not_found');
	return exam;
}

export const load: PageServerLoad = async ({ params }) => {
	requireRole('committee');
	const exam = await examOr404(params.id);
	const { timeZone } = readConfig();
	const makeups = await listMakeups(db(), exam.id);
	const named = await namedMembers(db(), [...new Set(makeups.flatMap((x) => x.memberIds))]);
	const byId = new Map(named.map((x) => [x.id, x]));
	// A week from the next full hour: a make-up is usually arranged for the days after the test.
	const opens = Math.ceil(Date.now() / hour) * hour;
	return {
		exam: { id: exam.id, title: exam.title, quarter: exam.quarter, status: exam.status, opensAt: exam.opensAt, closesAt: exam.closesAt },
		makeups: makeups.map((x) => ({
			id: x.id,
			opensAt: x.opensAt,
			closesAt: x.closesAt,
			members: x.memberIds.flatMap((id) => byId.get(id) ?? [])
		})),
		candidates: await makeupCandidates(db(), exam.id),
		defaults: { opensAt: toLocalInput(opens, timeZone), closesAt: toLocalInput(opens + 7 * 24 * hour, timeZone) },
		now: Date.now(),
		timeZone
	};
};

type MakeupErrors = Partial<Record<'opensAt' | 'closesAt' | 'members' | 'exam', string>> & { unknown?: string[]; disabled?: string[] };

export const actions: Actions = {
	create: async ({ request, params }) => {
		const actor = requireRole('committee');
		const exam = await examOr404(params.id);
		const { timeZone } = readConfig();
		const form = await readForm(request);
		const values = {
			opensAt: text(form, 'opensAt', 40),
			closesAt: text(form, 'closesAt', 40),
			loginIds: text(form, 'loginIds', 20_000),
			memberIds: form
				.getAll('member')
				.map((v) => (typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : 0))
				.filter((id) => id > 0)
		};
		const errors: MakeupErrors = {};
		const opensAt = fromLocalInput(values.opensAt, timeZone);
		const closesAt = fromLocalInput(values.closesAt, timeZone);
		if (opensAt === null) errors.opensAt = values.opensAt ? 'invalid' : 'required';
		if (closesAt === null) errors.closesAt = values.closesAt ? 'invalid' : 'required';
		else if (opensAt !== null && closesAt <= opensAt) errors.closesAt = 'window_order';
		const typed = await membersByLoginIds(db(), splitLoginIds(values.loginIds));
		if (typed.unknown.length > 0) errors.unknown = typed.unknown;
		// A disabled account cannot sign in, so a make-up for it could never be taken.
		const disabled = typed.found.filter((x) => x.status === 'disabled').map((x) => x.loginId);
		if (disabled.length > 0) errors.disabled = disabled;
		const memberIds = [...new Set([...values.memberIds, ...typed.found.map((x) => x.id)])];
		if (memberIds.length === 0 && !errors.unknown && !errors.disabled) errors.members = 'required';
		if (exam.status !== 'published') errors.exam = 'not_published';
		if (Object.keys(errors).length > 0 || opensAt === null || closesAt === null) return fail(400, { values, errors });

		const result = await createMakeup(db(), exam.id, { opensAt, closesAt, memberIds }, actor.id);
		if (!result.ok) {
			const problem: MakeupErrors =
				result.problem === 'window_order' ? { closesAt: 'window_order' } : result.problem === 'not_published' ? { exam: 'not_published' } : { members: 'not_found' };
			if (result.problem === 'not_found') error(404, 'not_found');
			return fail(400, { values, errors: problem });
		}
		return { created: memberIds.length };
	}
};
