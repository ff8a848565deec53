import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { getQuestion, reviseQuestion, type QuestionContent } from '../bank/questions';
import { freshDatabase, makeMember, makeTree } from '../testing/db';
import { makeExam } from '../testing/exams';
import { answerFor, takeTest, tinyBank, type TinyBank } from '../testing/tiny-bank';
import { submitAttempt } from './attempts';
import { applyRegrade, listRegrades, previewRegrade, regradeCandidates } from './regrade';
import { examResults } from './results';

const now = Date.UTC(2026, 11, 10, 2);
const minute = 60_000;

async function revise(db: Db, actorId: number, id: number, change: (q: QuestionContent) => QuestionContent) {
	const q = (await getQuestion(db, id))!;
	const result = await reviseQuestion(db, actorId, id, change(q), now);
	expect(result.ok).toBe(true);
}

describe('regrade', () => {
	let db: Db;
	let bank: TinyBank;
	let admin: number;
	let examId: number;
	const attempt: Record<'x' | 'y' | 'z' | 'w', number> = { x: 0, y: 0, z: 0, w: 0 };

	beforeEach(async () => {
		({ db } = await freshDatabase());
		const tree = await makeTree(db);
		admin = await makeMember(db, { unitId: tree.root, roles: ['committee'], loginId: 'admin' });
		bank = await tinyBank(db, admin);
		const members = { x: 0, y: 0, z: 0, w: 0 };
		for (const key of Object.keys(members) as (keyof typeof members)[]) members[key] = await makeMember(db, { unitId: tree.branchA, loginId: key });
		examId = await makeExam(db, {
			actorId: admin,
			blueprint: bank.blueprint,
			passCents: 900,
			audience: { unitIds: [tree.branchA], roles: [], include: [], exclude: [] },
			now: now - 60 * minute
		});
		const s1 = bank.questionIds.s1;
		// s1's key is option 0. x answers 0 (right), y answers 1 (wrong), z leaves it; everything else right.
		attempt.x = await takeTest(db, examId, members.x, now - 50 * minute);
		attempt.y = await takeTest(db, examId, members.y, now - 50 * minute, (i) => answerFor(i.key, i.questionId !== s1));
		attempt.z = await takeTest(db, examId, members.z, now - 50 * minute, (i) => (i.questionId === s1 ? null : answerFor(i.key, true)));
		// w answers 1 too, and is still working.
		attempt.w = await takeTest(db, examId, members.w, now - 10 * minute, (i) => answerFor(i.key, i.questionId !== s1), { submit: false });
	});

	const score = async (id: number) => db.selectFrom('attempt').select(['score_cents', 'passed']).where('id', '=', id).executeTakeFirstOrThrow();

	it('previews and applies a corrected key: who changes, old and new score and pass, recorded with who and when', async () => {
		const { s1 } = bank.questionIds;
		expect(await regradeCandidates(db, examId)).toEqual([]);
		expect(await previewRegrade(db, examId, s1)).toEqual({ ok: false, problem: 'up_to_date' });

		// The committee finds that B (original option 1) is the right answer.
		await revise(db, admin, s1, (q) => ({ ...q, correct: 1 }) as QuestionContent);
		const candidates = await regradeCandidates(db, examId);
		expect(candidates).toMatchObject([{ questionId: s1, type: 'single', fromVersions: [1], toVersion: 2, items: 4, keyChanged: true, problem: null }]);

		const preview = await previewRegrade(db, examId, s1);
		if (!preview.ok) throw new Error(preview.problem);
		expect(preview.items).toBe(4);
		expect(preview.fromVersions).toEqual([1]);
		expect(preview.toVersion).toBe(2);
		// x loses s1's 200 and falls below 900; y gains 200 and passes; z and the unsubmitted w do not appear.
		expect(preview.changes.map((c) => [c.loginId, c.oldScoreCents, c.newScoreCents, c.oldPassed, c.newPassed])).toEqual([
			['x', 1000, 800, true, false],
			['y', 800, 1000, false, true]
		]);
		expect(preview.deltaCents).toBe(0);
		// A preview writes nothing.
		expect(await score(attempt.x)).toEqual({ score_cents: 1000, passed: 1 });

		const applied = await applyRegrade(db, examId, s1, admin, now, preview.toVersionId);
		expect(applied).toMatchObject({ ok: true, attemptsChanged: 2, deltaCents: 0 });
		expect(await score(attempt.x)).toEqual({ score_cents: 800, passed: 0 });
		expect(await score(attempt.y)).toEqual({ score_cents: 1000, passed: 1 });
		expect(await score(attempt.z)).toEqual({ score_cents: 800, passed: 0 });
		// The stored per-area totals follow: s1 is a theory question.
		const theory = await db.selectFrom('attempt_area').select('earned_cents').where('attempt_id', '=', attempt.x).where('area_id', '=', bank.areaIds.theory).executeTakeFirstOrThrow();
		expect(theory.earned_cents).toBe(500);
		// The unsubmitted attempt is scored with the corrected key when it is submitted.
		await submitAttempt(db, attempt.w, 'member', now);
		expect(await score(attempt.w)).toEqual({ score_cents: 1000, passed: 1 });
		const results = await examResults(db, examId, { kind: 'all' }, {}, now);
		expect(results!.rows.map((r) => [r.loginId, r.scoreCents])).toEqual([
			['w', 1000],
			['x', 800],
			['y', 1000],
			['z', 800]
		]);

		expect(await regradeCandidates(db, examId)).toEqual([]);
		expect(await previewRegrade(db, examId, s1)).toEqual({ ok: false, problem: 'up_to_date' });
		const history = await listRegrades(db, examId);
		expect(history).toEqual([{ id: applied.ok ? applied.regradeId : 0, questionId: s1, toVersion: 2, attemptsChanged: 2, deltaCents: 0, at: now, byName: expect.any(String) }]);
		const row = await db.selectFrom('exam_regrade').selectAll().executeTakeFirstOrThrow();
		expect(row.by).toBe(admin);
	});

	it('adds up the change when everyone moves the same way', async () => {
		const { m1 } = bank.questionIds;
		// m1's key was {0, 2}; it becomes {0}: everyone who answered {0, 2} now has a wrong option and loses 300.
		await revise(db, admin, m1, (q) => ({ ...q, correct: [0] }) as QuestionContent);
		const preview = await previewRegrade(db, examId, m1);
		if (!preview.ok) throw new Error(preview.problem);
		expect(preview.changes.map((c) => c.loginId)).toEqual(['x', 'y', 'z']);
		expect(preview.deltaCents).toBe(-900);
		const applied = await applyRegrade(db, examId, m1, admin, now);
		expect(applied).toMatchObject({ ok: true, attemptsChanged: 3, deltaCents: -900 });
		expect((await score(attempt.x)).score_cents).toBe(700);
	});

	it('refuses when the type or the number of options changed, and changes nothing', async () => {
		const { m1, t1 } = bank.questionIds;
		await revise(db, admin, m1, (q) => ({ ...q, options: [...(q as { options: string[] }).options, '新增选项'] }) as QuestionContent);
		await revise(db, admin, t1, (q) => ({ ...q, type: 'single', options: ['有', '无'], correct: 0 }) as QuestionContent);
		const candidates = await regradeCandidates(db, examId);
		expect(candidates.map((c) => [c.questionId, c.problem]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
			[m1, 'option_count_changed'],
			[t1, 'type_changed']
		]);
		expect(await previewRegrade(db, examId, m1)).toEqual({ ok: false, problem: 'option_count_changed' });
		expect(await applyRegrade(db, examId, t1, admin, now)).toEqual({ ok: false, problem: 'type_changed' });
		expect(await score(attempt.x)).toEqual({ score_cents: 1000, passed: 1 });
		expect(await listRegrades(db, examId)).toEqual([]);
	});

	it('lists a reworded question without a key change, and applies it with no score change', async () => {
		const { f1 } = bank.questionIds;
		await revise(db, admin, f1, (q) => ({ ...q, explanation: '见 001 五。' }));
		expect(await regradeCandidates(db, examId)).toMatchObject([{ questionId: f1, keyChanged: false }]);
		const preview = await previewRegrade(db, examId, f1);
		expect(preview).toMatchObject({ ok: true, changes: [], deltaCents: 0 });
		expect(await applyRegrade(db, examId, f1, admin, now)).toMatchObject({ ok: true, attemptsChanged: 0 });
		expect(await regradeCandidates(db, examId)).toEqual([]);
	});

	it('refuses a key edited again after the preview, a question not on the test and an unknown one', async () => {
		const { s1 } = bank.questionIds;
		await revise(db, admin, s1, (q) => ({ ...q, correct: 1 }) as QuestionContent);
		const preview = await previewRegrade(db, examId, s1);
		if (!preview.ok) throw new Error(preview.problem);
		await revise(db, admin, s1, (q) => ({ ...q, correct: 2 }) as QuestionContent);
		expect(await applyRegrade(db, examId, s1, admin, now, preview.toVersionId)).toEqual({ ok: false, problem: 'changed_since_preview' });
		expect(await score(attempt.x)).toEqual({ score_cents: 1000, passed: 1 });

		const other = await tinyBank(db, admin);
		expect(await previewRegrade(db, examId, other.questionIds.s1)).toEqual({ ok: false, problem: 'not_on_test' });
		expect(await previewRegrade(db, examId, 99999)).toEqual({ ok: false, problem: 'not_found' });
		expect(await previewRegrade(db, 99999, s1)).toEqual({ ok: false, problem: 'not_found' });
	});
});
