import type { Migration } from 'kysely';
import * as createOrgAndAuth from '../../../../migrations/20261122000000_create_org_and_auth';
import * as createQuestionBank from '../../../../migrations/20261122010000_create_question_bank';
import * as createExams from '../../../../migrations/20261130000000_create_exams';
import * as createEvaluations from '../../../../migrations/20261201000000_create_evaluations';
import * as createExamResults from '../../../../migrations/20261202000000_create_exam_results';
import * as indexResultsByScore from '../../../../migrations/20261203000000_index_results_by_score';

/**
 * Every migration in `migrations/`, by file name. A static list rather than a directory scan, so the same
 * code runs in the built server (where there is no TypeScript loader), in Vite and in the command-line tasks.
 * `migrate.test.ts` fails when a file in `migrations/` is missing here.
 */
export const migrations: Record<string, Migration> = {
	'20261122000000_create_org_and_auth': createOrgAndAuth,
	'20261122010000_create_question_bank': createQuestionBank,
	'20261130000000_create_exams': createExams,
	'20261201000000_create_evaluations': createEvaluations,
	'20261202000000_create_exam_results': createExamResults,
	'20261203000000_index_results_by_score': indexResultsByScore
};
