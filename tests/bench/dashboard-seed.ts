// The organization `npm run bench:dashboard` reads: a city-sized tree (党委 → 10 总支 → 100 支部), 10,000 members,
// eight closed quarterly tests of 50 questions drawn from the starter bank, and every member's attempts with all
// their stored answers (about 4,000,000 attempt_item rows), item, area and total scores as submission stores them.
// Tests and units come from the app's own functions; attempts are written in bulk with prepared statements, since
// going through startAttempt/saveAnswers/submitAttempt for 80,000 attempts would take most of an hour.
// Only the benchmark imports this file.
import * as createExamResults from '../../migrations/20261202000000_create_exam_results';
import * as indexResultsByScore from '../../migrations/20261203000000_index_results_by_score';
import { takeExpectedLists } from '../../src/lib/server/analytics/expected';
import { createSession, generateSessionToken, sessionCookieName } from '../../src/lib/server/auth/session';
import { decodeKey } from '../../src/lib/server/bank/questions';
import { loadStarterBank } from '../../src/lib/server/bank/starter';
import type { QuestionKey, QuestionType } from '../../src/lib/server/bank/types';
import { openDatabase } from '../../src/lib/server/db/index';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { startAttempt } from '../../src/lib/server/exams/attempts';
import { candidatePool } from '../../src/lib/server/exams/exams';
import { paperAlgorithmVersion, typeOrder, type BlueprintRow, type Candidate } from '../../src/lib/server/exams/papers';
import { sumByArea } from '../../src/lib/server/exams/scoring';
import { makeExam } from '../../src/lib/server/testing/exams';
import { random } from '../../src/lib/server/demo/exams';

export type DashboardOrg = {
	quarters: string[];
	examIds: number[];
	unitIds: { committee: number; general: number; branch: number };
	memberId: number;
	openAttemptId: number;
	cookies: { committee: string; secretary: string; member: string };
	counts: { members: number; attempts: number; answers: number; areaRows: number };
};

/** Per type, how many questions the paper has: 50 in all, 2 points each (100 points, pass at 60). */
const paperShape: Record<QuestionType, number> = { single: 20, multiple: 10, true_false: 10, fill: 10 };

/** Quarters before `now`'s, oldest first: the eight closed ones. */
function pastQuarters(count: number, now: number): string[] {
	const d = new Date(now);
	let year = d.getUTCFullYear();
	let q = Math.floor(d.getUTCMonth() / 3) + 1;
	const out: string[] = [];
	for (let i = 0; i < count; i++) {
		q -= 1;
		if (q === 0) {
			q = 4;
			year -= 1;
		}
		out.unshift(`${year}Q${q}`);
	}
	return out;
}

function quarterStart(quarter: string): number {
	return Date.UTC(Number(quarter.slice(0, 4)), (Number(quarter.slice(5)) - 1) * 3, 1) - 8 * 60 * 60_000;
}

/** Blueprint rows by type from whole cells of the pool (a row per area × difficulty cell, first area only). */
function blueprintFrom(pool: Candidate[]): { rows: BlueprintRow[]; byRow: Candidate[][] } {
	const rows: BlueprintRow[] = [];
	const byRow: Candidate[][] = [];
	for (const type of typeOrder) {
		const cells = new Map<string, Candidate[]>();
		for (const c of pool.filter((p) => p.type === type && p.areaIds.length === 1)) {
			const key = `${c.areaIds[0]}:${c.difficulty}`;
			cells.set(key, [...(cells.get(key) ?? []), c]);
		}
		let wanted = paperShape[type];
		// Round the areas, biggest cells first, a few questions at a time and at most two thirds of a cell: papers
		// differ between members and every area the bank covers shows up in the mastery figures.
		const left = [...cells.values()].sort((a, b) => b.length - a.length).map((list) => ({ list, take: 0, cap: Math.max(1, Math.floor((list.length * 2) / 3)) }));
		while (wanted > 0 && left.some((c) => c.take < c.cap)) {
			for (const c of left) {
				if (wanted === 0) break;
				if (c.take < c.cap) {
					c.take++;
					wanted--;
				}
			}
		}
		for (const c of left.filter((c) => c.take > 0)) {
			const first = c.list[0] as Candidate;
			rows.push({ areaId: first.areaIds[0] as number, type, difficulty: first.difficulty, count: c.take, points: 200 });
			byRow.push(c.list);
		}
		if (wanted > 0) throw new Error(`bench set-up: the starter bank has too few ${type} questions for a 50-question paper`);
	}
	return { rows, byRow };
}

export async function seedDashboardOrg(file: string, o: { members: number; quarters: number; now?: number }): Promise<DashboardOrg> {
	const now = o.now ?? Date.now();
	const { db, sqlite } = openDatabase(file);
	// Durability of the set-up does not matter; the server opens its own connection with its own settings.
	sqlite.pragma('synchronous = OFF');
	const rand = random(20261130);
	try {
		await migrateToLatest(db);
		await loadStarterBank(db);
		const unit = async (name: string, kind: 'committee' | 'general_branch' | 'branch', parentId: number | null) =>
			(await db.insertInto('unit').values({ name, kind, parent_id: parentId, archived_at: null, created_at: now }).returning('id').executeTakeFirstOrThrow()).id;
		const committee = await unit('基准市教育工委', 'committee', null);
		const generals: number[] = [];
		const branches: number[] = [];
		for (let g = 1; g <= 10; g++) {
			const general = await unit(`第${g}学校党总支`, 'general_branch', committee);
			generals.push(general);
			for (let b = 1; b <= 10; b++) branches.push(await unit(`第${g}学校第${b}支部`, 'branch', general));
		}

		const insertMember = sqlite.prepare(
			"insert into member (login_id, name, unit_id, position_title, is_leader, status, password_hash, must_change_password, last_sign_in_at, created_at, updated_at) values (?, ?, ?, '', 0, 'active', null, 0, null, ?, ?)"
		);
		const insertRole = sqlite.prepare('insert into member_role (member_id, role) values (?, ?)');
		const memberIds: number[] = [];
		const unitOf = new Map<number, number>();
		let committeeId = 0;
		let secretaryId = 0;
		sqlite.transaction(() => {
			committeeId = Number(insertMember.run('bench-committee', '基准管理员', committee, now, now).lastInsertRowid);
			insertRole.run(committeeId, 'member');
			insertRole.run(committeeId, 'committee');
			for (let i = 0; i < o.members; i++) {
				const unitId = branches[i % branches.length] as number;
				const id = Number(insertMember.run(`bench${i}`, `成员${i}`, unitId, now, now).lastInsertRowid);
				insertRole.run(id, 'member');
				memberIds.push(id);
				unitOf.set(id, unitId);
			}
			// The secretary of 第1学校党总支 (a subtree of 10 branches, about 1,000 members).
			secretaryId = Number(insertMember.run('bench-secretary', '基准书记', generals[0] as number, now, now).lastInsertRowid);
			insertRole.run(secretaryId, 'member');
			insertRole.run(secretaryId, 'secretary');
		})();

		const pool = await candidatePool(db);
		const { rows: blueprint, byRow } = blueprintFrom(pool);
		const keys = new Map<number, QuestionKey>();
		for (const v of await db.selectFrom('question_version').select(['id', 'type', 'options', 'answer']).execute()) keys.set(v.id, decodeKey(v.type, v.options, v.answer));
		const hardAreas = new Set([...new Set(pool.flatMap((c) => c.areaIds))].slice(0, 2));
		const ability = new Map(memberIds.map((id) => [id, 0.5 + rand() * 0.45]));

		const quarters = pastQuarters(o.quarters, now);
		const examIds: number[] = [];
		const insertAttempt = sqlite.prepare(
			"insert into attempt (exam_id, member_id, number, makeup_id, mode, started_at, deadline_at, submitted_at, submitted_how, score_cents, max_cents, passed, paper_algorithm, recent_questions, pool_digest, entered_by) values (?, ?, ?, null, 'online', ?, ?, ?, 'member', ?, ?, ?, ?, '[]', '', null)"
		);
		const insertItem = sqlite.prepare(
			'insert into attempt_item (attempt_id, position, question_id, version_id, key_version_id, type, points_cents, option_order, answer, edited_at, flagged, earned_cents, outcome) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)'
		);
		const insertArea = sqlite.prepare('insert into attempt_area (attempt_id, area_id, earned_cents, possible_cents) values (?, ?, ?, ?)');
		const setScore = sqlite.prepare('update attempt set score_cents = ?, passed = ? where id = ?');
		const counts = { members: memberIds.length + 2, attempts: 0, answers: 0, areaRows: 0 };
		const maxCents = blueprint.reduce((n, r) => n + r.count * r.points, 0);

		for (const [qi, quarter] of quarters.entries()) {
			const opensAt = quarterStart(quarter) + 61 * 24 * 60 * 60_000;
			const closesAt = opensAt + 30 * 24 * 60 * 60_000;
			const examId = await makeExam(db, {
				actorId: committeeId,
				title: `${quarter.slice(0, 4)}年第${'一二三四'[Number(quarter.slice(5)) - 1]}季度党员理论学习测试`,
				quarter,
				blueprint,
				attemptsAllowed: 2,
				passCents: 6000,
				opensAt,
				closesAt,
				now: opensAt - 7 * 24 * 60 * 60_000
			});
			examIds.push(examId);
			sqlite.transaction(() => {
				for (const memberId of memberIds) {
					// About 5% miss a test; about 5% of those who take it take it twice (a retake the test allows).
					if (rand() < 0.05) continue;
					const takes = rand() < 0.05 ? 2 : 1;
					for (let number = 1; number <= takes; number++) {
						const startedAt = opensAt + Math.floor(rand() * 29 * 24 * 60 * 60_000);
						const submittedAt = startedAt + (15 + Math.floor(rand() * 15)) * 60_000;
						const attemptId = Number(insertAttempt.run(examId, memberId, number, startedAt, startedAt + 30 * 60_000, submittedAt, 0, maxCents, 0, paperAlgorithmVersion).lastInsertRowid);
						const graded: { areaIds: number[]; earnedCents: number; pointsCents: number }[] = [];
						let position = 0;
						let score = 0;
						blueprint.forEach((row, r) => {
							const list = byRow[r] as Candidate[];
							// A random `count` of the row's cell: a partial Fisher–Yates shuffle.
							const picks = list.slice();
							for (let k = 0; k < row.count; k++) {
								const j = k + Math.floor(rand() * (picks.length - k));
								[picks[k], picks[j]] = [picks[j] as Candidate, picks[k] as Candidate];
							}
							for (const c of picks.slice(0, row.count)) {
								position++;
								const key = keys.get(c.versionId) as QuestionKey;
								const p = (ability.get(memberId) ?? 0.7) + qi * 0.01 - (c.areaIds.some((a) => hardAreas.has(a)) ? 0.2 : 0) - (c.difficulty === 'hard' ? 0.15 : 0);
								const { answer, earned, outcome } = simulate(key, row.points, rand() < p, rand);
								score += earned;
								graded.push({ areaIds: c.areaIds, earnedCents: earned, pointsCents: row.points });
								const order = c.optionCount > 0 ? JSON.stringify(Array.from({ length: c.optionCount }, (_, i) => i)) : '[]';
								insertItem.run(attemptId, position, c.questionId, c.versionId, c.versionId, c.type, row.points, order, answer, startedAt + position * 20_000, earned, outcome);
								counts.answers++;
							}
						});
						for (const [areaId, t] of sumByArea(graded)) {
							insertArea.run(attemptId, areaId, t.earnedCents, t.possibleCents);
							counts.areaRows++;
						}
						setScore.run(score, score >= 6000 ? 1 : 0, attemptId);
						counts.attempts++;
					}
				}
			})();
		}

		// The stored results (exam_result, exam_area_total) as gradeAttempt would have kept them: the bulk insert above
		// went around it, so fill them the way an installation upgrading to them gets them, by the migration's own SQL.
		// (Dropping exam_result drops its later index too, so that migration runs again.)
		await createExamResults.down(db);
		await createExamResults.up(db);
		await indexResultsByScore.up(db);
		// And the expected lists of the closed tests, as the sweep takes them.
		await takeExpectedLists(db, now);

		// This quarter's test, open, with the member's attempt under way: the test-taking page whose JavaScript is measured.
		const openExam = await makeExam(db, { actorId: committeeId, title: '本季度党员理论学习测试', blueprint, durationMinutes: 600, opensAt: now - 60 * 60_000, closesAt: now + 7 * 24 * 60 * 60_000, now });
		const started = await startAttempt(db, openExam, memberIds[0] as number, now);
		if (!started.ok) throw new Error(`bench set-up: cannot start the open test: ${started.problem}`);

		const cookies = { committee: '', secretary: '', member: '' };
		await db.transaction().execute(async (trx) => {
			for (const [who, id] of [
				['committee', committeeId],
				['secretary', secretaryId],
				['member', memberIds[0] as number]
			] as const) {
				const token = generateSessionToken();
				await createSession(trx, token, id, now);
				cookies[who] = `${sessionCookieName}=${token}`;
			}
		});
		sqlite.pragma('wal_checkpoint(TRUNCATE)');
		sqlite.exec('analyze');
		return {
			quarters,
			examIds,
			unitIds: { committee, general: generals[0] as number, branch: branches[0] as number },
			memberId: memberIds[0] as number,
			openAttemptId: started.attemptId,
			cookies,
			counts
		};
	} finally {
		await db.destroy();
	}
}

/** A stored answer (JSON, or null for unanswered), its points and outcome, as scoring.ts would give them. */
function simulate(key: QuestionKey, points: number, right: boolean, rand: () => number): { answer: string | null; earned: number; outcome: string } {
	if (!right && rand() < 0.08) return { answer: null, earned: 0, outcome: 'unanswered' };
	switch (key.type) {
		case 'single': {
			const wrong = (key.correct + 1 + Math.floor(rand() * Math.max(1, key.options.length - 1))) % key.options.length;
			return { answer: JSON.stringify({ type: 'single', choice: right ? key.correct : wrong }), earned: right ? points : 0, outcome: right ? 'correct' : 'wrong' };
		}
		case 'multiple': {
			if (right) return { answer: JSON.stringify({ type: 'multiple', choices: key.correct }), earned: points, outcome: 'correct' };
			// Half the misses leave out an option (少选得一半), half add a wrong one.
			if (rand() < 0.5 && key.correct.length > 1) return { answer: JSON.stringify({ type: 'multiple', choices: key.correct.slice(1) }), earned: points / 2, outcome: 'partial' };
			const extra = key.options.findIndex((_, i) => !key.correct.includes(i));
			return { answer: JSON.stringify({ type: 'multiple', choices: [...key.correct, extra].filter((c) => c >= 0).sort((a, b) => a - b) }), earned: 0, outcome: 'wrong' };
		}
		case 'true_false':
			return { answer: JSON.stringify({ type: 'true_false', value: right ? key.correct : !key.correct }), earned: right ? points : 0, outcome: right ? 'correct' : 'wrong' };
		case 'fill':
			return { answer: JSON.stringify({ type: 'fill', blanks: key.blanks.map((alternatives) => (right ? (alternatives[0] ?? '') : '不清楚')) }), earned: right ? points : 0, outcome: right ? 'correct' : 'wrong' };
	}
}
