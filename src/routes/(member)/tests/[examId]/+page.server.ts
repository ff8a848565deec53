import { error, fail, redirect } from '@sveltejs/kit';
import { requireMember } from '$lib/server/auth/guard';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db/instance';
import { startAttempt } from '$lib/server/exams/attempts';
import { describeTest } from '$lib/server/exams/member-tests';
import type { Actions, PageServerLoad } from './$types';

function examId(param: string): number {
	const id = Number(param);
	if (!Number.isSafeInteger(id) || id <= 0) error(404, 'not_found');
	return id;
}

async function publishedExam(id: number) {
	const exam = await db().selectFrom('exam').selectAll().where('id', '=', id).where('status', '=', 'published').executeTakeFirst();
	if (!exam) error(404, 'not_found');
	return exam;
}

export const load: PageServerLoad = async ({ params }) => {
	const member = requireMember();
	const exam = await publishedExam(examId(params.examId));
	const test = await describeTest(db(), exam, member.id, Date.now());
	// A test outside this member's audience is not theirs to read about.
	if (test.can.kind === 'none' && test.can.problem === 'not_in_audience') error(404, 'not_found');
	return { test, now: Date.now(), multiplePolicy: exam.multiple_policy, resultsPolicy: exam.results_policy, timeZone: readConfig().timeZone };
};

export const actions: Actions = {
	start: async ({ params }) => {
		const member = requireMember();
		const exam = await publishedExam(examId(params.examId));
		const started = await startAttempt(db(), exam.id, member.id);
		if (!started.ok) return fail(409, { problem: started.problem });
		redirect(303, `/attempts/${started.attemptId}`);
	}
};
