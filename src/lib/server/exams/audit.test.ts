import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { freshDatabase, makeMember, makeTree } from '../testing/db';
import { makeExam } from '../testing/exams';
import { startAttempt } from './attempts';
import { candidatePool } from './exams';
import { auditPaper } from './audit';
import { setQuestionStatus } from '../bank/questions';

describe('auditPaper', () => {
	let db: Db;
	let attemptId: number;
	beforeEach(async () => {
		db = (await freshDatabase()).db;
		const tree = await makeTree(db);
		const admin = await makeMember(db, { unitId: tree.root, roles: ['committee'] });
		const member = await makeMember(db, { unitId: tree.branchA });
		const examId = await makeExam(db, { actorId: admin });
		const started = await startAttempt(db, examId, member);
		if (!started.ok) throw new Error(started.problem);
		attemptId = started.attemptId;
	});

	it('rebuilds a stored paper identically from the seed, the member, the stored recent list and the same pool', async () => {
		expect(await auditPaper(db, attemptId, await candidatePool(db))).toEqual({ status: 'identical' });
	});

	it('finds a tampered paper, naming the position', async () => {
		await db.updateTable('attempt_item').set({ option_order: '[0,1,2,3,4,5,6,7]' }).where('attempt_id', '=', attemptId).where('position', '=', 2).execute();
		expect(await auditPaper(db, attemptId, await candidatePool(db))).toEqual({ status: 'different', positions: [2] });
	});

	it('says when the bank has changed since, rather than report a false mismatch', async () => {
		const one = await db.selectFrom('question').select('id').where('status', '=', 'active').executeTakeFirstOrThrow();
		await setQuestionStatus(db, null, [one.id], 'retired');
		expect(await auditPaper(db, attemptId, await candidatePool(db))).toEqual({ status: 'pool_changed' });
	});
});
