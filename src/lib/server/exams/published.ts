import { error } from '@sveltejs/kit';
import type { Exam } from '../db/schema';
import type { Scope } from '../org/scope';
import { paperAttemptInScope, type PaperAttempt } from './paper-entry';
import { db } from '../db/instance';
import { idParam } from '../form';
import { readConfig } from '../config';

/**
 * The published test a progress, results, regrade or paper page is about. A draft has no attempts and nothing
 * to follow, and only the committee knows it exists, so it answers 404 like a missing one. Authorization is the
 * caller's (requireManager / requireRole first).
 */
export async function publishedExamOr404(raw: string): Promise<Exam> {
	const id = idParam(raw);
	const exam = id === null ? undefined : await db().selectFrom('exam').selectAll().where('id', '=', id).executeTakeFirst();
	if (!exam || exam.status !== 'published') error(404, 'not_found');
	return exam;
}

export type ExamPageHeader = {
	exam: { id: number; title: string; quarter: string; counted: boolean; opensAt: number; closesAt: number; window: 'upcoming' | 'open' | 'closed' };
	isCommittee: boolean;
	timeZone: string;
};

/** What every results page shows above its content: the test, its window and the tabs the viewer may use. */
export function examPageHeader(exam: Exam, viewer: { roles: string[] }, now = Date.now()): ExamPageHeader {
	return {
		exam: {
			id: exam.id,
			title: exam.title,
			quarter: exam.quarter,
			counted: exam.kind === 'quarterly',
			opensAt: exam.opens_at,
			closesAt: exam.closes_at,
			window: now < exam.opens_at ? 'upcoming' : now >= exam.closes_at ? 'closed' : 'open'
		},
		isCommittee: viewer.roles.includes('committee'),
		timeZone: readConfig().timeZone
	};
}

/** The paper attempt behind a URL: 404 unless it is a paper attempt of this test, 403 if its member is outside the scope. */
export async function paperAttemptOr403(exam: Exam, scope: Scope, raw: string): Promise<PaperAttempt> {
	const id = idParam(raw);
	const found = id === null ? 'not_found' : await paperAttemptInScope(db(), scope, exam.id, id);
	if (found === 'not_found') error(404, 'not_found');
	if (found === 'forbidden') error(403, 'forbidden');
	return found;
}
