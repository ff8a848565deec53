import { describe, expect, it } from 'vitest';
import { freshDatabase } from '../testing/db';
import { loadStarterBank } from '../bank/starter';
import { seedDemo } from './seed';
import { seedDemoExams } from './exams';

describe('seedDemoExams', () => {
	it('creates four past quarters with scored attempts, an open test taken by exactly the members the README names, and a practice test', async () => {
		const { db } = await freshDatabase();
		await seedDemo(db, 'demo-password-for-tests');
		await loadStarterBank(db);
		const now = Date.UTC(2026, 10, 30, 4);
		const result = await seedDemoExams(db, now);
		expect(result.exams).toBe(6);
		const exams = await db.selectFrom('exam').selectAll().orderBy('quarter').orderBy('id').execute();
		expect(exams.map((e) => e.quarter)).toEqual(['2025Q4', '2026Q1', '2026Q2', '2026Q3', '2026Q4', '2026Q4']);
		expect(exams.every((e) => e.status === 'published')).toBe(true);
		const current = exams[4]!;
		expect(current.opens_at).toBeLessThanOrEqual(now);
		expect(current.closes_at).toBeGreaterThan(now);
		expect(exams[5]!.kind).toBe('practice');

		const attempts = await db.selectFrom('attempt').innerJoin('member', 'member.id', 'attempt.member_id').select(['attempt.exam_id', 'attempt.score_cents', 'attempt.submitted_at', 'member.login_id']).execute();
		expect(attempts.length).toBe(result.attempts);
		expect(attempts.every((a) => a.submitted_at !== null && a.score_cents !== null)).toBe(true);
		// Scores vary: the dashboards need a spread, not one number.
		const scores = new Set(attempts.map((a) => a.score_cents));
		expect(scores.size).toBeGreaterThan(5);
		const onCurrent = attempts.filter((a) => a.exam_id === current.id);
		// The README: taken by every 12xx and 14xx member but 1209 and 1408; 11xx and 13xx have it ahead of them.
		expect(onCurrent.map((a) => a.login_id).sort()).toEqual(['1201', '1202', '1203', '1204', '1205', '1206', '1207', '1208', '1401', '1402', '1403', '1404', '1405', '1406', '1407']);
		// Every past test has most members' results.
		for (const exam of exams.slice(0, 4)) expect(attempts.filter((a) => a.exam_id === exam.id).length).toBeGreaterThan(25);
		const areas = await db.selectFrom('attempt_area').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		expect(Number(areas.n)).toBeGreaterThan(0);
	});
});
