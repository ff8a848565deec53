import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { managementScope } from '../org/scope';
import { freshDatabase, makeMember, makeTree } from '../testing/db';
import { makeExam } from '../testing/exams';
import { tinyBank, type TinyBank } from '../testing/tiny-bank';
import { itemsWithKeys, saveAnswers, startAttempt } from './attempts';
import { paperOf } from './paper-view';
import { answersFromEntry, entryFromAnswer, enterAnswers, entryLetters, listPaperAttempts, paperAttemptInScope, startPaperAttempt, type EntryQuestion, type EntryValue } from './paper-entry';
import { examResults } from './results';

const now = Date.UTC(2026, 11, 10, 2);
const minute = 60_000;

/** What the paper shows: each question's type, its options in printed order and its blanks. */
async function printed(db: Db, attemptId: number): Promise<EntryQuestion[]> {
	const attempt = await db.selectFrom('attempt').selectAll().where('id', '=', attemptId).executeTakeFirstOrThrow();
	const paper = await paperOf(db, attempt, now);
	return paper.questions.map((q) => ({ position: q.position, type: q.type, optionOrder: q.options.map((o) => o.index), blanks: q.blanks }));
}

describe('paper tests', () => {
	let db: Db;
	let bank: TinyBank;
	let tree: Awaited<ReturnType<typeof makeTree>>;
	let admin: number;
	let member: number;
	let examId: number;

	beforeEach(async () => {
		({ db } = await freshDatabase());
		tree = await makeTree(db);
		admin = await makeMember(db, { unitId: tree.root, roles: ['committee'], loginId: 'admin' });
		member = await makeMember(db, { unitId: tree.branchA, loginId: 'p1', name: '纸一' });
		bank = await tinyBank(db, admin);
		examId = await makeExam(db, { actorId: admin, blueprint: bank.blueprint, passCents: 600, audience: { unitIds: [tree.general], roles: [], include: [], exclude: [] }, now: now - 60 * minute });
	});

	it('draws a paper attempt that lasts until the window closes, and prints the same one again', async () => {
		const first = await startPaperAttempt(db, examId, member, now);
		if (!first.ok) throw new Error(first.problem);
		expect(first.reprint).toBe(false);
		const attempt = await db.selectFrom('attempt').selectAll().where('id', '=', first.attemptId).executeTakeFirstOrThrow();
		const exam = await db.selectFrom('exam').select('closes_at').where('id', '=', examId).executeTakeFirstOrThrow();
		expect(attempt).toMatchObject({ mode: 'paper', deadline_at: exam.closes_at, submitted_at: null });
		expect(await startPaperAttempt(db, examId, member, now + minute)).toEqual({ ok: true, attemptId: first.attemptId, reprint: true });
		// The member's browser cannot write into a paper attempt.
		expect(await saveAnswers(db, first.attemptId, member, [{ position: 1, editedAt: now, answer: { choice: 0 } }], now)).toEqual({ ok: false, problem: 'not_found' });
	});

	it('refuses a member outside the audience and one taking the test online', async () => {
		const outsider = await makeMember(db, { unitId: tree.branchC });
		expect(await startPaperAttempt(db, examId, outsider, now)).toEqual({ ok: false, problem: 'not_in_audience' });
		const online = await makeMember(db, { unitId: tree.branchB });
		expect((await startAttempt(db, examId, online, now)).ok).toBe(true);
		expect(await startPaperAttempt(db, examId, online, now + minute)).toEqual({ ok: false, problem: 'online_in_progress' });
	});

	it('finds the attempt only within the manager’s scope', async () => {
		const started = await startPaperAttempt(db, examId, member, now);
		if (!started.ok) throw new Error(started.problem);
		const branchB = await managementScope(db, { unitId: tree.branchB, roles: ['member', 'secretary'] });
		const branchA = await managementScope(db, { unitId: tree.branchA, roles: ['member', 'secretary'] });
		expect(await paperAttemptInScope(db, branchB, examId, started.attemptId)).toBe('forbidden');
		expect(await listPaperAttempts(db, examId, branchB)).toEqual([]);
		expect(await listPaperAttempts(db, examId, branchA)).toMatchObject([{ attemptId: started.attemptId, loginId: 'p1', enteredAt: null, scoreCents: null }]);
		const found = await paperAttemptInScope(db, branchA, examId, started.attemptId);
		expect(found).toMatchObject({ member: { loginId: 'p1', unitPath: '测试党委/测试总支/一支部' } });
		expect(await paperAttemptInScope(db, branchA, examId + 1, started.attemptId)).toBe('not_found');
		const online = await makeMember(db, { unitId: tree.branchA });
		const onlineAttempt = await startAttempt(db, examId, online, now);
		expect(await paperAttemptInScope(db, { kind: 'all' }, examId, onlineAttempt.ok ? onlineAttempt.attemptId : 0)).toBe('not_found');
	});

	it('reads letters in the printed order and names every problem with its question', async () => {
		const started = await startPaperAttempt(db, examId, member, now);
		if (!started.ok) throw new Error(started.problem);
		const questions = await printed(db, started.attemptId);
		expect(questions.map((q) => q.type)).toEqual(['single', 'single', 'multiple', 'true_false', 'fill']);
		const keys = await itemsWithKeys(db, started.attemptId);
		const letterOf = (q: EntryQuestion, original: number) => entryLetters[q.optionOrder.indexOf(original)] as string;
		// The two single-choice questions come in a random order; s3 is the one with three options.
		const [s, s3] = questions.slice(0, 2).sort((a, b) => b.optionOrder.length - a.optionOrder.length) as [EntryQuestion, EntryQuestion];
		const [mq, tf, fill] = questions.slice(2) as [EntryQuestion, EntryQuestion, EntryQuestion];
		expect([s.optionOrder.length, s3.optionOrder.length]).toEqual([4, 3]);
		const keyOf = (position: number) => keys.find((k) => k.position === position)!.key;
		const sKey = keyOf(s.position) as { correct: number };
		const mKey = keyOf(mq.position) as { correct: number[] };

		const values = new Map<number, EntryValue>([
			// Lower case and full width are read as the letters they are.
			[s.position, { text: letterOf(s, sKey.correct).toLowerCase() }],
			[s3.position, { text: '' }],
			[mq.position, { text: mKey.correct.map((i) => letterOf(mq, i)).join('、').normalize('NFKC').replace(/[A-H]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)) }],
			[tf.position, { text: '对' }],
			[fill.position, { blanks: ['季度', ' 月 '] }]
		]);
		const good = answersFromEntry(questions, values);
		expect(good.errors).toEqual([]);
		const byPosition = <T extends { position: number }>(list: T[]) => [...list].sort((a, b) => a.position - b.position);
		expect(good.answers).toEqual(
			byPosition([
				{ position: s.position, answer: { type: 'single', choice: sKey.correct } },
				{ position: s3.position, answer: null },
				{ position: mq.position, answer: { type: 'multiple', choices: [0, 2] } },
				{ position: tf.position, answer: { type: 'true_false', value: true } },
				{ position: fill.position, answer: { type: 'fill', blanks: ['季度', '月'] } }
			])
		);
		// And back, for showing what was entered.
		expect(entryFromAnswer(mq, { type: 'multiple', choices: [0, 2] }).text).toBe(mKey.correct.map((i) => letterOf(mq, i)).sort().join(''));
		expect(entryFromAnswer(s, { type: 'single', choice: sKey.correct }).text).toBe(letterOf(s, sKey.correct));

		const bad = answersFromEntry(
			questions,
			new Map<number, EntryValue>([
				[s.position, { text: 'AB' }],
				// s3 has three options: D is not one of them.
				[s3.position, { text: 'D' }],
				[mq.position, { text: 'A A' }],
				[tf.position, { text: '也许' }],
				[fill.position, { blanks: ['季度', '长'.repeat(201)] }]
			])
		);
		expect(bad.errors).toEqual(
			byPosition([
				{ position: s.position, problem: 'one_letter' },
				{ position: s3.position, problem: 'letters' },
				{ position: mq.position, problem: 'repeated' },
				{ position: tf.position, problem: 'true_false' },
				{ position: fill.position, problem: 'blank_too_long', blank: 2 }
			])
		);
	});

	it('stores the entered answers and submits them in one step, or changes nothing', async () => {
		const started = await startPaperAttempt(db, examId, member, now);
		if (!started.ok) throw new Error(started.problem);
		const keys = await itemsWithKeys(db, started.attemptId);
		const right = keys.map((k) => {
			switch (k.key.type) {
				case 'single':
					return { position: k.position, answer: { type: 'single', choice: k.key.correct } };
				case 'multiple':
					return { position: k.position, answer: { type: 'multiple', choices: k.key.correct } };
				case 'true_false':
					// Wrong on purpose: 1000 − 100.
					return { position: k.position, answer: { type: 'true_false', value: !k.key.correct } };
				case 'fill':
					return { position: k.position, answer: { type: 'fill', blanks: k.key.blanks.map((b) => b[0]) } };
			}
		});

		// One malformed answer: nothing is stored and the attempt stays open.
		const broken = right.map((a, i) => (i === 2 ? { position: a.position, answer: { type: 'multiple', choices: [9] } } : a));
		expect(await enterAnswers(db, started.attemptId, broken, admin, now)).toEqual({ ok: false, problem: 'invalid', position: right[2]!.position });
		const untouched = await db.selectFrom('attempt_item').select('answer').where('attempt_id', '=', started.attemptId).execute();
		expect(untouched.every((i) => i.answer === null)).toBe(true);
		expect(await enterAnswers(db, started.attemptId, [...right, right[0]!], admin, now)).toMatchObject({ ok: false, problem: 'invalid' });

		expect(await enterAnswers(db, started.attemptId, right, admin, now + minute)).toEqual({ ok: true, scoreCents: 900, maxCents: 1000, passed: true });
		const attempt = await db.selectFrom('attempt').selectAll().where('id', '=', started.attemptId).executeTakeFirstOrThrow();
		expect(attempt).toMatchObject({ submitted_how: 'entry', entered_by: admin, submitted_at: now + minute, score_cents: 900, passed: 1 });
		expect(await enterAnswers(db, started.attemptId, right, admin, now + 2 * minute)).toEqual({ ok: false, problem: 'submitted' });

		// It counts like any other result.
		const results = await examResults(db, examId, { kind: 'all' }, {}, now + 2 * minute);
		expect(results!.rows.find((r) => r.loginId === 'p1')).toMatchObject({ scoreCents: 900, how: 'entry', mode: 'paper', passed: true });
		// A member who has submitted on paper has used their attempt.
		expect(await startPaperAttempt(db, examId, member, now + 3 * minute)).toEqual({ ok: false, problem: 'used_up' });
	});

	it('refuses entry into an online attempt', async () => {
		const started = await startAttempt(db, examId, member, now);
		expect(await enterAnswers(db, started.ok ? started.attemptId : 0, [], admin, now)).toEqual({ ok: false, problem: 'not_paper' });
		expect(await enterAnswers(db, 99999, [], admin, now)).toEqual({ ok: false, problem: 'not_found' });
	});
});
