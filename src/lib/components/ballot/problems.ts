import { m } from '$lib/paraglide/messages';

// The message for a ballot that was not taken, naming the target and criterion when there is one. A switch, not a
// lookup by computed name, so only these messages reach the bundle.

export type BallotProblem = {
	problem: string;
	targetId?: number;
	criterionId?: number;
	waitMinutes?: number;
};

type Names = { targets: { id: number; name: string }[]; criteria: { id: number; name: string }[] };

export const maxComment = 500;

export function problemMessage(p: BallotProblem, names: Names | null): string {
	const target = names?.targets.find((t) => t.id === p.targetId)?.name ?? '';
	const criterion = names?.criteria.find((c) => c.id === p.criterionId)?.name ?? '';
	switch (p.problem) {
		case 'incomplete':
			return target && criterion ? m.evalRate_problem_incomplete({ target, criterion }) : m.evalRate_problem_invalid_plain();
		case 'invalid':
			return target && criterion ? m.evalRate_problem_invalid({ target, criterion }) : m.evalRate_problem_invalid_plain();
		case 'comment_too_long':
			return m.evalRate_problem_comment_too_long({ target, max: String(maxComment) });
		case 'already_rated':
			return m.evalRate_problem_already_rated();
		case 'code_used':
			return m.evalRate_problem_code_used();
		case 'code_unknown':
			return m.evalRate_problem_code_unknown();
		case 'throttled':
			return m.evalRate_problem_throttled({ minutes: String(p.waitMinutes ?? 10) });
		default:
			return m.evalRate_problem_not_open();
	}
}
