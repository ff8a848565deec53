import { error, fail } from '@sveltejs/kit';
import { requireMember } from '$lib/server/auth/guard';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db/instance';
import { castBallot } from '$lib/server/evaluations/ballots';
import { ownTargetId, raterView, readBallot } from '$lib/server/evaluations/ballot-form';
import { idParam, readForm } from '$lib/server/form';
import type { Actions, PageServerLoad } from './$types';

// A signed-in member's ballot. Only members on the campaign's eligible list see the campaign at all; to anyone
// else it answers exactly like a campaign that does not exist (404). Nothing here logs.

async function view(param: string, memberId: number) {
	const id = idParam(param);
	const found = id === null ? null : await raterView(db(), id, memberId);
	if (!found) error(404, 'not_found');
	return found;
}

export const load: PageServerLoad = async ({ params }) => {
	const member = requireMember();
	const found = await view(params.id, member.id);
	return {
		state: found.state,
		ballot: found.ballot,
		selfTargetId: await ownTargetId(db(), found.ballot.id, member.id),
		timeZone: readConfig().timeZone
	};
};

export const actions: Actions = {
	default: async ({ params, request }) => {
		const member = requireMember();
		const found = await view(params.id, member.id);
		const form = await readForm(request);
		const { input, values } = readBallot(found.ballot, form);
		const result = await castBallot(db(), found.ballot.id, { kind: 'member', memberId: member.id }, input);
		if (result.ok) return { receipt: result.receipt };
		if (result.problem === 'not_eligible' || result.problem === 'not_found') error(404, 'not_found');
		return fail(result.problem === 'already_rated' ? 409 : 400, { problem: result.problem, targetId: result.targetId ?? null, criterionId: result.criterionId ?? null, values });
	}
};
