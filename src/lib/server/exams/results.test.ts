import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { managementScope, type Scope } from '../org/scope';
import { freshDatabase, makeMember, makeTree } from '../testing/db';
import { makeExam } from '../testing/exams';
import { answerFor, takeTest, tinyBank, type TinyBank } from '../testing/tiny-bank';
import { createMakeup } from './exams';
import { startAttempt } from './attempts';
import { startPaperAttempt } from './paper-entry';
import { bestAttempt, examProgress, examResults, participationRate, sortResults, type ResultRow } from './results';
import { examFileName, notTakenXlsx, resultsXlsx } from './results-file';
import { resultsFilterFromQuery } from './results-query';

const now = Date.UTC(2026, 11, 10, 2);
const minute = 60_000;

type World = Awaited<ReturnType<typeof makeTree>> & {
	db: Db;
	bank: TinyBank;
	admin: number;
	a1: number;
	a2: number;
	a3: number;
	b1: number;
	b2: number;
	c1: number;
	secretary: number;
	committeeScope: Scope;
	secretaryScope: Scope;
};

async function world(): Promise<World> {
	const { db } = await freshDatabase();
	const tree = await makeTree(db);
	const admin = await makeMember(db, { unitId: tree.root, roles: ['committee'], loginId: 'admin', name: '管理员' });
	const a1 = await makeMember(db, { unitId: tree.branchA, loginId: 'a1', name: '甲一' });
	const a2 = await makeMember(db, { unitId: tree.branchA, loginId: 'a2', name: '甲二' });
	const a3 = await makeMember(db, { unitId: tree.branchA, loginId: 'a3', name: '甲三' });
	const b1 = await makeMember(db, { unitId: tree.branchB, loginId: 'b1', name: '乙一' });
	const b2 = await makeMember(db, { unitId: tree.branchB, loginId: 'b2', name: '乙二' });
	const c1 = await makeMember(db, { unitId: tree.branchC, loginId: 'c1', name: '丙一' });
	// Disabled and never started: not expected, listed nowhere.
	await makeMember(db, { unitId: tree.branchA, loginId: 'a9', name: '甲停用', status: 'disabled' });
	// The secretary is a member too; the tests take them out of the audience to keep the numbers small.
	const secretary = await makeMember(db, { unitId: tree.general, loginId: 'sec', roles: ['secretary'] });
	const bank = await tinyBank(db, admin);
	return {
		...tree,
		db,
		bank,
		admin,
		a1,
		a2,
		a3,
		b1,
		b2,
		c1,
		committeeScope: await managementScope(db, { unitId: tree.root, roles: ['member', 'committee'] }),
		secretaryScope: await managementScope(db, { unitId: tree.general, roles: ['member', 'secretary'] }),
		secretary
	};
}

describe('examProgress', () => {
	let w: World;
	let examId: number;
	beforeEach(async () => {
		w = await world();
		examId = await makeExam(w.db, {
			actorId: w.admin,
			blueprint: w.bank.blueprint,
			audience: { unitIds: [], roles: [], include: [], exclude: [w.secretary] },
			now: now - 60 * minute
		});
		await takeTest(w.db, examId, w.a1, now - 50 * minute);
		// a2 is answering now (30 minutes allowed, started 10 minutes ago).
		await takeTest(w.db, examId, w.a2, now - 10 * minute, undefined, { submit: false });
		const paper = await startPaperAttempt(w.db, examId, w.b1, now - 5 * minute);
		expect(paper.ok).toBe(true);
		await takeTest(w.db, examId, w.c1, now - 40 * minute);
	});

	it('counts who is expected, who started and who submitted, per unit and rolled up the tree', async () => {
		const p = await examProgress(w.db, examId, w.committeeScope, now);
		expect(p).toBeDefined();
		// admin, a1–a3, b1–b2, c1: seven expected (the disabled member and the excluded secretary are not).
		expect(p!.totals).toEqual({ members: 7, started: 4, submitted: 2 });
		const unit = (id: number) => p!.units.find((u) => u.unitId === id)!;
		expect(unit(w.root).direct).toEqual({ members: 1, started: 0, submitted: 0 });
		expect(unit(w.root).subtree).toEqual({ members: 7, started: 4, submitted: 2 });
		expect(unit(w.general).direct).toEqual({ members: 0, started: 0, submitted: 0 });
		expect(unit(w.general).subtree).toEqual({ members: 5, started: 3, submitted: 1 });
		expect(unit(w.branchA).subtree).toEqual({ members: 3, started: 2, submitted: 1 });
		expect(unit(w.branchB).subtree).toEqual({ members: 2, started: 1, submitted: 0 });
		expect(unit(w.branchC).subtree).toEqual({ members: 1, started: 1, submitted: 1 });
		expect(p!.units.map((u) => u.depth)).toEqual([0, 1, 2, 2, 1]);
		expect(participationRate(unit(w.branchA).subtree)).toBeCloseTo(1 / 3);
		expect(participationRate({ members: 0, started: 0, submitted: 0 })).toBeNull();

		const status = Object.fromEntries(p!.notTaken.map((m) => [m.loginId, m.status]));
		expect(status).toEqual({ admin: 'not_started', a2: 'in_progress', a3: 'not_started', b1: 'paper_pending', b2: 'not_started' });
		expect(p!.notTaken.find((m) => m.loginId === 'a3')!.unitPath).toBe('测试党委/测试总支/一支部');
		expect(p!.exam.counted).toBe(true);
		expect(p!.exam.window).toBe('open');
	});

	it('shows a secretary only their subtree', async () => {
		const p = await examProgress(w.db, examId, w.secretaryScope, now);
		expect(p!.totals).toEqual({ members: 5, started: 3, submitted: 1 });
		expect(p!.units.map((u) => u.unitId)).toEqual([w.general, w.branchA, w.branchB]);
		expect(p!.units[0]!.depth).toBe(0);
		expect(p!.notTaken.map((m) => m.loginId).sort()).toEqual(['a2', 'a3', 'b1', 'b2']);
		expect(await examProgress(w.db, examId, { kind: 'none' }, now)).toBeUndefined();
	});

	it('submits an attempt whose time ran out before counting', async () => {
		const later = await examProgress(w.db, examId, w.committeeScope, now + 25 * minute);
		expect(later!.totals.submitted).toBe(3);
		expect(later!.notTaken.map((m) => m.loginId)).not.toContain('a2');
	});

	it('counts a make-up taker from outside the audience and leaves out an unknown test', async () => {
		const only = await makeExam(w.db, { actorId: w.admin, blueprint: w.bank.blueprint, audience: { unitIds: [w.branchA], roles: [], include: [], exclude: [] }, now: now - 60 * minute });
		const makeup = await createMakeup(w.db, only, { opensAt: now - 30 * minute, closesAt: now + 60 * minute, memberIds: [w.c1] }, w.admin, now - 30 * minute);
		expect(makeup.ok).toBe(true);
		await takeTest(w.db, only, w.c1, now - 20 * minute);
		const p = await examProgress(w.db, only, w.committeeScope, now);
		expect(p!.totals).toEqual({ members: 4, started: 1, submitted: 1 });
		const results = await examResults(w.db, only, w.committeeScope, {}, now);
		expect(results!.rows.find((r) => r.loginId === 'c1')!.inAudience).toBe(false);
		expect(await examProgress(w.db, 9999, w.committeeScope, now)).toBeUndefined();
	});
});

describe('examResults', () => {
	let w: World;
	let examId: number;
	beforeEach(async () => {
		w = await world();
		examId = await makeExam(w.db, {
			actorId: w.admin,
			blueprint: w.bank.blueprint,
			attemptsAllowed: 2,
			passCents: 600,
			audience: { unitIds: [w.general], roles: [], include: [], exclude: [w.secretary] },
			now: now - 60 * minute
		});
	});

	it('gives each member their best submitted attempt with its areas, and a summary', async () => {
		const { s1, m1 } = w.bank.questionIds;
		// a1: everything right (1000), then a second attempt with the multiple-choice question wrong (700).
		await takeTest(w.db, examId, w.a1, now - 50 * minute);
		await takeTest(w.db, examId, w.a1, now - 40 * minute, (i) => answerFor(i.key, i.questionId !== m1));
		// a2: s1 and m1 wrong: 1000 − 200 − 300 = 500, a fail.
		await takeTest(w.db, examId, w.a2, now - 30 * minute, (i) => answerFor(i.key, i.questionId !== s1 && i.questionId !== m1));
		// b1: started and never submitted: no result.
		await startAttempt(w.db, examId, w.b1, now - 5 * minute);

		const r = await examResults(w.db, examId, w.committeeScope, {}, now);
		expect(r!.rows.map((x) => x.loginId)).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
		const row = (login: string) => r!.rows.find((x) => x.loginId === login)!;
		expect(row('a1')).toMatchObject({ attempts: 2, scoreCents: 1000, maxCents: 1000, passed: true, how: 'member', mode: 'online', unitPath: '测试党委/测试总支/一支部' });
		// The best attempt is the first one (1000 beats 700), and its areas are reported.
		const a1Attempts = await w.db.selectFrom('attempt').select(['id', 'score_cents']).where('member_id', '=', w.a1).orderBy('number').execute();
		expect(a1Attempts.map((a) => a.score_cents)).toEqual([1000, 700]);
		expect(row('a1').bestAttemptId).toBe(a1Attempts[0]!.id);
		const { theory, charter } = w.bank.areaIds;
		// theory: s1 200 + m1 300 + f1 200 = 700; charter: s2 200 + m1 300 + t1 100 = 600 (m1 counts toward both).
		expect(row('a1').areas).toEqual({ [theory]: { earnedCents: 700, possibleCents: 700 }, [charter]: { earnedCents: 600, possibleCents: 600 } });
		expect(row('a2')).toMatchObject({ scoreCents: 500, passed: false });
		expect(row('a2').areas[theory]).toEqual({ earnedCents: 200, possibleCents: 700 });
		expect(row('b1')).toMatchObject({ attempts: 1, scoreCents: null, passed: null, bestAttemptId: null });
		expect(row('b2')).toMatchObject({ attempts: 0, scoreCents: null });
		expect(r!.summary).toEqual({ members: 5, takers: 2, meanCents: 750, passed: 1, passRate: 0.5 });
		expect(r!.areas.map((a) => a.code)).toEqual(['theory', 'charter']);
	});

	it('filters by unit within the scope and sorts with results first', async () => {
		await takeTest(w.db, examId, w.b1, now - 50 * minute, (i) => answerFor(i.key, i.questionId !== w.bank.questionIds.m1));
		await takeTest(w.db, examId, w.a3, now - 50 * minute);
		const onlyB = await examResults(w.db, examId, w.committeeScope, { unitId: w.branchB }, now);
		expect(onlyB!.rows.map((x) => x.loginId)).toEqual(['b1', 'b2']);
		// A secretary filtering on a unit outside their subtree gets nothing, not that unit.
		const outside = await examResults(w.db, examId, w.secretaryScope, { unitId: w.branchC }, now);
		expect(outside!.rows).toEqual([]);
		const best = await examResults(w.db, examId, w.secretaryScope, { sort: 'score_desc' }, now);
		expect(best!.rows.map((x) => x.loginId)).toEqual(['a3', 'b1', 'a1', 'a2', 'b2']);
		const worst = await examResults(w.db, examId, w.secretaryScope, { sort: 'score_asc' }, now);
		expect(worst!.rows.map((x) => x.loginId)).toEqual(['b1', 'a3', 'a1', 'a2', 'b2']);
	});

	it('writes the results and the not-taken list as spreadsheets', async () => {
		await takeTest(w.db, examId, w.a1, now - 50 * minute, (i) => answerFor(i.key, i.questionId !== w.bank.questionIds.t1));
		const r = await examResults(w.db, examId, w.secretaryScope, {}, now);
		const bytes = await resultsXlsx(r!, { timeZone: 'Asia/Shanghai', scopeLabel: '测试总支', now });
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
		const sheet = book.getWorksheet('成绩表')!;
		expect((sheet.getRow(1).values as unknown[]).slice(1, 10)).toEqual(['姓名', '工号', '所属单位', '答卷次数', '成绩', '满分', '是否及格', '交卷时间', '交卷方式']);
		expect((sheet.getRow(1).values as unknown[]).slice(10)).toEqual(['政治理论（党的创新理论）得分', '政治理论（党的创新理论）满分', '党章党规党纪得分', '党章党规党纪满分']);
		expect(sheet.rowCount).toBe(6);
		const a1 = sheet.getRow(2).values as unknown[];
		// 1000 − t1's 100 = 900 → 9 points; submitted 3 s after the start, 10:10 in Shanghai.
		expect(a1.slice(1, 12)).toEqual(['甲一', 'a1', '测试党委/测试总支/一支部', 1, 9, 10, '及格', '2026-12-10 09:10', '本人交卷', 7, 7]);
		expect((sheet.getRow(3).values as unknown[])[7]).toBe('未参考');
		const summary = book.getWorksheet('汇总')!;
		expect(summary.getRow(8).values).toEqual([undefined, '已交卷人数', 1]);

		const p = await examProgress(w.db, examId, w.secretaryScope, now);
		const list = new ExcelJS.Workbook();
		await list.xlsx.load(Buffer.from(await notTakenXlsx(p!, { timeZone: 'Asia/Shanghai', now })) as unknown as ExcelJS.Buffer);
		const names = list.getWorksheet('未参考名单')!;
		expect(names.rowCount).toBe(5);
		expect(names.getRow(2).values).toEqual([undefined, '甲二', 'a2', '测试党委/测试总支/一支部', '未开始']);
		expect(examFileName({ title: '2026/Q4: 测试' }, '未参考名单')).toBe('2026_Q4_ 测试-未参考名单.xlsx');
	});
});

describe('bestAttempt and sortResults', () => {
	it('takes the highest score, then the earlier submission, and ignores unsubmitted attempts', () => {
		const a = (id: number, score: number | null, at: number | null) => ({ id, score_cents: score, submitted_at: at });
		expect(bestAttempt([a(1, 500, 10), a(2, 700, 20), a(3, null, null)])?.id).toBe(2);
		expect(bestAttempt([a(1, 700, 30), a(2, 700, 20)])?.id).toBe(2);
		expect(bestAttempt([a(3, null, null)])).toBeUndefined();
	});

	it('sorts by name in Chinese order and keeps the unit order on ties', () => {
		const row = (loginId: string, name: string, scoreCents: number | null) => ({ loginId, name, scoreCents }) as ResultRow;
		const rows = [row('x', '张三', 5), row('y', '李四', null), row('z', '王五', 5)];
		expect(sortResults([...rows], 'name').map((r) => r.name)).toEqual(['李四', '王五', '张三']);
		expect(sortResults([...rows], 'score_desc').map((r) => r.loginId)).toEqual(['x', 'z', 'y']);
	});
});

describe('resultsFilterFromQuery', () => {
	it('reads a unit id and a known sort, and ignores anything else', () => {
		expect(resultsFilterFromQuery(new URLSearchParams('unit=12&sort=score_asc'))).toEqual({ unitId: 12, sort: 'score_asc' });
		expect(resultsFilterFromQuery(new URLSearchParams('unit=abc&sort=drop table'))).toEqual({ sort: 'unit' });
		expect(resultsFilterFromQuery(new URLSearchParams(''))).toEqual({ sort: 'unit' });
	});
});
