import { m } from '$lib/paraglide/messages';

// Names of the exams' codes in the reader's language.

export function startProblem(problem: string): string {
	switch (problem) {
		case 'not_open':
			return m.take_problem_not_open();
		case 'closed':
			return m.take_problem_closed();
		case 'used_up':
			return m.take_problem_used_up();
		case 'unfillable':
			return m.take_problem_unfillable();
		default:
			return m.take_problem_not_available();
	}
}
