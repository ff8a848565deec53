import { fail } from '@sveltejs/kit';
import type { BallotForm } from '$lib/server/evaluations/ballot-form';
import { db } from '$lib/server/db/instance';
import { castBallot } from '$lib/server/evaluations/ballots';
import { ballotForm, codeGuessWait, findCampaignForCode, readBallot, recordWrongCode } from '$lib/server/evaluations/ballot-form';
import { formatCode, normalizeCode } from '$lib/server/evaluations/codes';
import { readForm, text } from '$lib/server/form';
import type { Actions } from './$types';

// Rating with a one-time code, no account. The code travels in the form (never in a URL, which proxies and
// access logs keep); wrong codes are counted per address. Nothing here logs.

/** Every answer has the same shape, so the page reads it without narrowing a union. */
type Reply = {
	stage: 'code' | 'ballot' | 'receipt';
	problem: string | null;
	waitMinutes: number | null;
	code: string;
	targetId: number | null;
	criterionId: number | null;
	ballot: BallotForm | null;
	values: Record<string, string>;
	receipt: string | null;
	evaluationId: number | null;
};
const reply = (r: Partial<Reply>): Reply => ({
	stage: 'code',
	problem: null,
	waitMinutes: null,
	code: '',
	targetId: null,
	criterionId: null,
	ballot: null,
	values: {},
	receipt: null,
	evaluationId: null,
	...r
});

type Opened = { ok: true; evaluationId: number; code: string } | { ok: false; status: number; body: Reply };

async function openCode(typed: string, address: string): Promise<Opened> {
	const wait = await codeGuessWait(db(), address);
	if (wait > 0) return { ok: false, status: 429, body: reply({ problem: 'throttled', waitMinutes: Math.ceil(wait / 60_000), code: typed }) };
	const found = await findCampaignForCode(db(), typed);
	if (found.ok) return found;
	if (found.problem === 'code_unknown') await recordWrongCode(db(), address);
	return { ok: false, status: 400, body: reply({ problem: found.problem, code: typed }) };
}

export const actions: Actions = {
	open: async ({ request, getClientAddress }) => {
		const form = await readForm(request);
		const typed = text(form, 'code', 64);
		const opened = await openCode(typed, getClientAddress());
		if (!opened.ok) return fail(opened.status, opened.body);
		const ballot = await ballotForm(db(), opened.evaluationId);
		if (!ballot) return fail(400, reply({ problem: 'code_unknown', code: typed }));
		return reply({ stage: 'ballot', code: formatCode(opened.code), ballot });
	},
	cast: async ({ request, getClientAddress }) => {
		const form = await readForm(request);
		const typed = text(form, 'code', 64);
		const opened = await openCode(typed, getClientAddress());
		if (!opened.ok) return fail(opened.status, opened.body);
		const ballot = await ballotForm(db(), opened.evaluationId);
		if (!ballot) return fail(400, reply({ problem: 'code_unknown', code: typed }));
		const { input, values } = readBallot(ballot, form);
		const result = await castBallot(db(), ballot.id, { kind: 'code', code: opened.code }, input);
		if (result.ok) return reply({ stage: 'receipt', receipt: result.receipt, evaluationId: ballot.id });
		if (result.problem === 'code_used' || result.problem === 'code_unknown' || result.problem === 'not_open' || result.problem === 'not_found') {
			return fail(400, reply({ problem: result.problem, code: typed }));
		}
		return fail(
			400,
			reply({
				stage: 'ballot',
				problem: result.problem,
				targetId: result.targetId ?? null,
				criterionId: result.criterionId ?? null,
				code: formatCode(normalizeCode(typed) ?? ''),
				ballot,
				values
			})
		);
	}
};
