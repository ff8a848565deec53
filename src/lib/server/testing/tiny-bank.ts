import type { Db } from '../db';
import { insertQuestion, type QuestionContent } from '../bank/questions';
import type { QuestionKey } from '../bank/types';
import { itemsWithKeys, saveAnswers, startAttempt, submitAttempt } from '../exams/attempts';
import type { BlueprintRow } from '../exams/papers';
import type { Answer } from '../exams/scoring';

// A bank of exactly five questions and a blueprint that takes all of them, so every member's paper holds the same
// questions (in a shuffled order) and a test can say exactly what each answer scores. Only tests import this.

export type TinyBank = { areaIds: { theory: number; charter: number }; questionIds: { s1: number; s2: number; m1: number; t1: number; f1: number }; blueprint: BlueprintRow[]; totalCents: number };

const base = { explanation: '', difficulty: 'easy' as const, source: null, reviewBy: null };

export async function tinyBank(db: Db, actorId: number | null = null): Promise<TinyBank> {
	const areas = await db.selectFrom('content_area').select(['id', 'code']).where('code', 'in', ['theory', 'charter']).execute();
	const theory = areas.find((a) => a.code === 'theory')?.id as number;
	const charter = areas.find((a) => a.code === 'charter')?.id as number;
	const add = (content: QuestionContent) => insertQuestion(db, actorId, content, 'active');
	const s1 = await add({ ...base, type: 'single', stem: '党的最高理想和最终目标是？', options: ['实现共产主义', '全面建成小康社会', '发展经济', '改善民生'], correct: 0, areaIds: [theory] });
	const s2 = await add({ ...base, type: 'single', stem: '党章规定，党员的党龄从何时算起？', options: ['提交申请之日', '预备期满转为正式党员之日', '入党积极分子确定之日'], correct: 1, areaIds: [charter] });
	const m1 = await add({ ...base, type: 'multiple', stem: '党的纪律包括哪些？', options: ['政治纪律', '天气', '组织纪律', '运气'], correct: [0, 2], areaIds: [theory, charter] });
	const t1 = await add({ ...base, type: 'true_false', stem: '党员有权参加党的有关会议。', correct: true, areaIds: [charter] });
	const f1 = await add({ ...base, type: 'fill', stem: '每____最后____组织测试。', blanks: [['季度'], ['一个月', '月']], areaIds: [theory] });
	const blueprint: BlueprintRow[] = [
		{ areaId: theory, type: 'single', difficulty: 'easy', count: 1, points: 200 },
		{ areaId: charter, type: 'single', difficulty: 'easy', count: 1, points: 200 },
		{ areaId: theory, type: 'multiple', difficulty: 'easy', count: 1, points: 300 },
		{ areaId: charter, type: 'true_false', difficulty: 'easy', count: 1, points: 100 },
		{ areaId: theory, type: 'fill', difficulty: 'easy', count: 1, points: 200 }
	];
	return { areaIds: { theory, charter }, questionIds: { s1, s2, m1, t1, f1 }, blueprint, totalCents: 1000 };
}

/** The right answer to a key, or a wrong one. */
export function answerFor(key: QuestionKey, right: boolean): Answer {
	switch (key.type) {
		case 'single':
			return { type: 'single', choice: right ? key.correct : (key.correct + 1) % key.options.length };
		case 'multiple':
			return { type: 'multiple', choices: right ? key.correct : [key.options.findIndex((_, i) => !key.correct.includes(i))] };
		case 'true_false':
			return { type: 'true_false', value: right ? key.correct : !key.correct };
		case 'fill':
			return { type: 'fill', blanks: key.blanks.map((alternatives) => (right ? (alternatives[0] as string) : '不知道')) };
	}
}

/**
 * Starts, answers and submits an online attempt. `answer` picks each question's answer (by question id); by
 * default every answer is right. Returns the attempt id.
 */
export async function takeTest(
	db: Db,
	examId: number,
	memberId: number,
	now: number,
	answer: (item: { questionId: number; key: QuestionKey }) => Answer | null = (item) => answerFor(item.key, true),
	options: { submit?: boolean } = {}
): Promise<number> {
	const started = await startAttempt(db, examId, memberId, now);
	if (!started.ok) throw new Error(`takeTest: cannot start: ${started.problem}`);
	const items = await itemsWithKeys(db, started.attemptId);
	const saves = items.map((item) => ({ position: item.position, editedAt: now + 1000, answer: answer({ questionId: item.questionId, key: item.key }) }));
	const saved = await saveAnswers(db, started.attemptId, memberId, saves, now + 2000);
	if (!saved.ok) throw new Error(`takeTest: cannot save: ${saved.problem}`);
	if (options.submit !== false) await submitAttempt(db, started.attemptId, 'member', now + 3000);
	return started.attemptId;
}
