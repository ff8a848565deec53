import type { Db } from '../db';
import type { Exam } from '../db/schema';
import { eligibility, type Eligibility } from './attempts';
import { inAudience, toSettings, type ExamSettings } from './exams';

// The tests a member sees on their home page: the ones they can start or resume now, and the ones about to open.

export type MemberTest = ExamSettings & {
	id: number;
	questionCount: number;
	totalCents: number;
	attemptsUsed: number;
	/** What the member can do now. */
	can: Eligibility;
};

async function totals(db: Db, examId: number) {
	const row = await db
		.selectFrom('exam_blueprint_row')
		.select([(eb) => eb.fn.sum<number>('count').as('n'), (eb) => eb.fn.sum<number>(eb('count', '*', eb.ref('points_cents'))).as('cents')])
		.where('exam_id', '=', examId)
		.executeTakeFirst();
	return { questionCount: Number(row?.n ?? 0), totalCents: Number(row?.cents ?? 0) };
}

export async function describeTest(db: Db, exam: Exam, memberId: number, now: number): Promise<MemberTest> {
	const used = await db
		.selectFrom('attempt')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('exam_id', '=', exam.id)
		.where('member_id', '=', memberId)
		.where('makeup_id', 'is', null)
		.executeTakeFirstOrThrow();
	return {
		...toSettings(exam),
		id: exam.id,
		attemptsUsed: Number(used.n),
		...(await totals(db, exam.id)),
		can: await eligibility(db, exam, memberId, now)
	};
}

/** Published tests the member may start or resume now, or that open within two weeks for them. */
export async function testsForMember(db: Db, memberId: number, now = Date.now()): Promise<MemberTest[]> {
	const soon = now + 14 * 24 * 60 * 60 * 1000;
	const makeupExamIds = (
		await db
			.selectFrom('exam_makeup')
			.innerJoin('exam_makeup_member', 'exam_makeup_member.makeup_id', 'exam_makeup.id')
			.select('exam_makeup.exam_id')
			.where('exam_makeup_member.member_id', '=', memberId)
			.where('exam_makeup.closes_at', '>', now)
			.execute()
	).map((r) => r.exam_id);
	const exams = await db
		.selectFrom('exam')
		.selectAll()
		.where('status', '=', 'published')
		.where((eb) => eb.or([eb.and([eb('closes_at', '>', now), eb('opens_at', '<', soon)]), ...(makeupExamIds.length ? [eb('id', 'in', makeupExamIds)] : [])]))
		.orderBy('closes_at')
		.execute();
	const tests: MemberTest[] = [];
	for (const exam of exams) {
		const test = await describeTest(db, exam, memberId, now);
		if (test.can.kind !== 'none') tests.push(test);
		else if (test.can.problem === 'not_open' && (await inAudience(db, exam.id, memberId))) tests.push(test);
	}
	return tests;
}

/** Published tests open now or closed in the last 30 days, for a manager's home page (to follow who has taken them). */
export async function recentExams(db: Db, now = Date.now()): Promise<Pick<Exam, 'id' | 'title' | 'quarter' | 'kind' | 'closes_at'>[]> {
	return db
		.selectFrom('exam')
		.select(['id', 'title', 'quarter', 'kind', 'closes_at'])
		.where('status', '=', 'published')
		.where('opens_at', '<=', now)
		.where('closes_at', '>', now - 30 * 24 * 60 * 60 * 1000)
		.orderBy('closes_at', 'desc')
		.execute();
}
