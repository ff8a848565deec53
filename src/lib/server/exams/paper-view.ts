import type { Db } from '../db';
import type { Attempt, Exam } from '../db/schema';
import { decodeKey } from '../bank/questions';
import type { QuestionKey, QuestionType } from '../bank/types';
import { submitExpired } from './attempts';
import type { Answer, Outcome } from './scoring';

// What a member sees of their own attempt: the paper while taking it, the stored answers for a page that comes
// back online, and the review afterwards as the test's results policy allows. Every function takes the member
// and answers `undefined` for an attempt that is not theirs, exactly as for one that does not exist.

export type SavedAnswer = { position: number; answer: Answer | null; editedAt: number | null; flagged: boolean };

export type AttemptState = {
	attemptId: number;
	serverNow: number;
	deadlineAt: number;
	submitted: boolean;
	answers: SavedAnswer[];
};

async function ownAttempt(db: Db, attemptId: number, memberId: number, now: number): Promise<Attempt | undefined> {
	// Time ran out while nobody was looking: submit first, so the page shows the truth.
	await submitExpired(db, now, { memberId });
	const attempt = await db.selectFrom('attempt').selectAll().where('id', '=', attemptId).executeTakeFirst();
	return attempt && attempt.member_id === memberId ? attempt : undefined;
}

async function savedAnswers(db: Db, attemptId: number): Promise<SavedAnswer[]> {
	const rows = await db
		.selectFrom('attempt_item')
		.select(['position', 'answer', 'edited_at', 'flagged'])
		.where('attempt_id', '=', attemptId)
		.orderBy('position')
		.execute();
	return rows.map((r) => ({
		position: r.position,
		answer: r.answer === null ? null : (JSON.parse(r.answer) as Answer | null),
		editedAt: r.edited_at,
		flagged: r.flagged === 1
	}));
}

export async function attemptState(db: Db, attemptId: number, memberId: number, now = Date.now()): Promise<AttemptState | undefined> {
	const attempt = await ownAttempt(db, attemptId, memberId, now);
	if (!attempt || attempt.mode !== 'online') return undefined;
	return {
		attemptId,
		serverNow: now,
		deadlineAt: attempt.deadline_at,
		submitted: attempt.submitted_at !== null,
		answers: await savedAnswers(db, attemptId)
	};
}

/** An option as shown: its letter comes from its place on this paper; `index` is what an answer refers to. */
export type ShownOption = { index: number; text: string };

export type PaperQuestion = {
	position: number;
	type: QuestionType;
	stem: string;
	pointsCents: number;
	/** In this paper's shuffled order; [] for true/false and fill. */
	options: ShownOption[];
	/** Number of blanks for fill questions, else 0. */
	blanks: number;
};

export type Paper = {
	attempt: Attempt;
	exam: Pick<Exam, 'id' | 'title' | 'quarter' | 'kind' | 'duration_minutes' | 'pass_cents' | 'results_policy' | 'closes_at'>;
	questions: PaperQuestion[];
	answers: SavedAnswer[];
	serverNow: number;
};

/** The paper as the member takes it (no keys, no explanations). */
export async function paperForMember(db: Db, attemptId: number, memberId: number, now = Date.now()): Promise<Paper | undefined> {
	const attempt = await ownAttempt(db, attemptId, memberId, now);
	if (!attempt) return undefined;
	return paperOf(db, attempt, now);
}

/** The same paper for a manager printing it or entering its answers; authorization is the caller's. */
export async function paperOf(db: Db, attempt: Attempt, now = Date.now()): Promise<Paper> {
	const exam = await db
		.selectFrom('exam')
		.select(['id', 'title', 'quarter', 'kind', 'duration_minutes', 'pass_cents', 'results_policy', 'closes_at'])
		.where('id', '=', attempt.exam_id)
		.executeTakeFirstOrThrow();
	const rows = await db
		.selectFrom('attempt_item')
		.innerJoin('question_version', 'question_version.id', 'attempt_item.version_id')
		.select(['attempt_item.position', 'attempt_item.points_cents', 'attempt_item.option_order', 'question_version.type', 'question_version.stem', 'question_version.options', 'question_version.answer'])
		.where('attempt_item.attempt_id', '=', attempt.id)
		.orderBy('attempt_item.position')
		.execute();
	const questions = rows.map((r): PaperQuestion => {
		const key = decodeKey(r.type, r.options, r.answer);
		const texts = key.type === 'single' || key.type === 'multiple' ? key.options : [];
		const order = JSON.parse(r.option_order) as number[];
		return {
			position: r.position,
			type: r.type,
			stem: r.stem,
			pointsCents: r.points_cents,
			options: order.map((index) => ({ index, text: texts[index] ?? '' })),
			blanks: key.type === 'fill' ? key.blanks.length : 0
		};
	});
	return { attempt, exam, questions, answers: await savedAnswers(db, attempt.id), serverNow: now };
}

// ---- results -------------------------------------------------------------------------------------------------

export type ReviewItem = PaperQuestion & {
	answer: Answer | null;
	key: QuestionKey;
	earnedCents: number;
	outcome: Outcome;
	explanation: string;
	source: { document: string; section: string; quote: string };
	areaIds: number[];
};

export type AttemptResult = {
	attempt: Attempt;
	exam: Paper['exam'];
	/** Score, pass and areas may be shown (results policy and window). */
	scoreVisible: boolean;
	/** Each question with the key and explanation may be shown. */
	reviewVisible: boolean;
	areas: { areaId: number; earnedCents: number; possibleCents: number }[];
	items: ReviewItem[];
};

/**
 * The results policy: `immediate` shows score and review once submitted; `after_close` once the test's window
 * (or the member's make-up window) has closed; `never` shows the score after the window closes but never the
 * questions with their keys, which keeps the bank's questions out of circulation.
 */
export function resultVisibility(exam: Pick<Exam, 'results_policy' | 'closes_at'>, attempt: Pick<Attempt, 'submitted_at' | 'deadline_at'>, windowClosesAt: number, now: number) {
	if (attempt.submitted_at === null) return { scoreVisible: false, reviewVisible: false };
	const closed = now >= Math.max(exam.closes_at, windowClosesAt);
	switch (exam.results_policy) {
		case 'immediate':
			return { scoreVisible: true, reviewVisible: true };
		case 'after_close':
			return { scoreVisible: closed, reviewVisible: closed };
		case 'never':
			return { scoreVisible: closed, reviewVisible: false };
	}
}

export async function resultForMember(db: Db, attemptId: number, memberId: number, now = Date.now()): Promise<AttemptResult | undefined> {
	const attempt = await ownAttempt(db, attemptId, memberId, now);
	if (!attempt) return undefined;
	const paper = await paperOf(db, attempt, now);
	const full = await db.selectFrom('exam').select(['results_policy', 'closes_at']).where('id', '=', attempt.exam_id).executeTakeFirstOrThrow();
	// Under `after_close` and `never`, results wait until every make-up of the test has closed too: a member who has
	// submitted could otherwise pass the keys to a colleague still due to take the make-up. `immediate` is the
	// committee's choice to show them at once (a practice test, say), make-ups or not.
	const makeups = await db.selectFrom('exam_makeup').select((eb) => eb.fn.max('closes_at').as('last')).where('exam_id', '=', attempt.exam_id).executeTakeFirst();
	const visible = resultVisibility(full, attempt, Number(makeups?.last ?? 0), now);
	const areas = visible.scoreVisible
		? (await db.selectFrom('attempt_area').selectAll().where('attempt_id', '=', attemptId).orderBy('area_id').execute()).map((a) => ({
				areaId: a.area_id,
				earnedCents: a.earned_cents,
				possibleCents: a.possible_cents
			}))
		: [];
	let items: ReviewItem[] = [];
	if (visible.reviewVisible) {
		const rows = await db
			.selectFrom('attempt_item')
			.innerJoin('question_version as key', 'key.id', 'attempt_item.key_version_id')
			.select(['attempt_item.position', 'attempt_item.version_id', 'attempt_item.earned_cents', 'attempt_item.outcome', 'key.type', 'key.options', 'key.answer', 'key.explanation', 'key.source_document', 'key.source_section', 'key.source_quote'])
			.where('attempt_item.attempt_id', '=', attemptId)
			.orderBy('attempt_item.position')
			.execute();
		const areaRows = await db.selectFrom('question_version_area').select(['version_id', 'area_id']).where('version_id', 'in', rows.length ? rows.map((r) => r.version_id) : [0]).execute();
		items = rows.map((r, i) => {
			const question = paper.questions[i] as PaperQuestion;
			return {
				...question,
				answer: paper.answers[i]?.answer ?? null,
				key: decodeKey(r.type, r.options, r.answer),
				earnedCents: r.earned_cents ?? 0,
				outcome: (r.outcome ?? 'unanswered') as Outcome,
				explanation: r.explanation,
				source: { document: r.source_document, section: r.source_section, quote: r.source_quote },
				areaIds: areaRows.filter((a) => a.version_id === r.version_id).map((a) => a.area_id)
			};
		});
	}
	return { attempt, exam: paper.exam, ...visible, areas, items };
}

export type MemberExamRow = {
	exam: Pick<Exam, 'id' | 'title' | 'quarter' | 'kind' | 'opens_at' | 'closes_at' | 'duration_minutes' | 'pass_cents'>;
	attempts: { id: number; number: number; submittedAt: number | null; deadlineAt: number; scoreCents: number | null; maxCents: number; passed: boolean | null; scoreVisible: boolean; makeup: boolean; paper: boolean }[];
};

/** The member's own attempts, newest test first, scores only where the policy shows them. */
export async function memberHistory(db: Db, memberId: number, now = Date.now()): Promise<MemberExamRow[]> {
	await submitExpired(db, now, { memberId });
	const attempts = await db
		.selectFrom('attempt')
		.innerJoin('exam', 'exam.id', 'attempt.exam_id')
		.select([
			'attempt.id',
			'attempt.number',
			'attempt.submitted_at',
			'attempt.deadline_at',
			'attempt.score_cents',
			'attempt.max_cents',
			'attempt.passed',
			'attempt.makeup_id',
			'attempt.mode',
			'exam.id as exam_id',
			'exam.title',
			'exam.quarter',
			'exam.kind',
			'exam.opens_at',
			'exam.closes_at',
			'exam.duration_minutes',
			'exam.pass_cents',
			'exam.results_policy'
		])
		.where('attempt.member_id', '=', memberId)
		.orderBy('exam.quarter', 'desc')
		.orderBy('exam.id', 'desc')
		.orderBy('attempt.number')
		.execute();
	const lastMakeup = new Map(
		(
			await db
				.selectFrom('exam_makeup')
				.select(['exam_id', (eb) => eb.fn.max('closes_at').as('last')])
				.where('exam_id', 'in', attempts.length ? [...new Set(attempts.map((a) => a.exam_id))] : [0])
				.groupBy('exam_id')
				.execute()
		).map((r) => [r.exam_id, Number(r.last)])
	);
	const rows = new Map<number, MemberExamRow>();
	for (const a of attempts) {
		let row = rows.get(a.exam_id);
		if (!row) {
			row = {
				exam: { id: a.exam_id, title: a.title, quarter: a.quarter, kind: a.kind, opens_at: a.opens_at, closes_at: a.closes_at, duration_minutes: a.duration_minutes, pass_cents: a.pass_cents },
				attempts: []
			};
			rows.set(a.exam_id, row);
		}
		const { scoreVisible } = resultVisibility(a, a, lastMakeup.get(a.exam_id) ?? 0, now);
		row.attempts.push({
			id: a.id,
			number: a.number,
			submittedAt: a.submitted_at === null ? null : a.submitted_at - (a.submitted_at % 60_000), // to the minute, as shown
			deadlineAt: a.deadline_at,
			scoreCents: scoreVisible ? a.score_cents : null,
			maxCents: a.max_cents,
			passed: scoreVisible && a.passed !== null ? a.passed === 1 : null,
			scoreVisible,
			makeup: a.makeup_id !== null,
			paper: a.mode === 'paper'
		});
	}
	return [...rows.values()];
}
