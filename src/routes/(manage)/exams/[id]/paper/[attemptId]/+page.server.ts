import { requireManager } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/instance';
import { examPageHeader, paperAttemptOr403, publishedExamOr404 } from '$lib/server/exams/published';
import { paperOf } from '$lib/server/exams/paper-view';
import type { PageServerLoad } from './$types';

// The printable paper and its answer sheet (答题卡), in this member's shuffled order, without keys.
export const load: PageServerLoad = async ({ params }) => {
	const { member: viewer, scope } = await requireManager();
	const exam = await publishedExamOr404(params.id);
	const { attempt, member } = await paperAttemptOr403(exam, scope, params.attemptId);
	const paper = await paperOf(db(), attempt);
	return {
		header: examPageHeader(exam, viewer),
		attemptId: attempt.id,
		entered: attempt.submitted_at !== null,
		member,
		durationMinutes: exam.duration_minutes,
		passCents: exam.pass_cents,
		maxCents: attempt.max_cents,
		questions: paper.questions.map((q) => ({ position: q.position, type: q.type, stem: q.stem, pointsCents: q.pointsCents, options: q.options.map((o) => o.text), blanks: q.blanks }))
	};
};
