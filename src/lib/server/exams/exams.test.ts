import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { coverage } from '../bank/questions';
import { freshDatabase, makeMember, makeTree } from '../testing/db';
import { ensureBank, makeExam, sampleBlueprint } from '../testing/exams';
import { eligibility, startAttempt } from './attempts';
import {
	audienceMemberIds,
	blueprintStatus,
	cloneExam,
	createExam,
	createMakeup,
	deleteDraft,
	getExam,
	listExams,
	listMakeups,
	maxQuestionsPerExam,
	publishExam,
	setAudience,
	setBlueprint,
	unpublishExam,
	updateExamSettings,
	validateBlueprint,
	validateSettings,
	type ExamSettings
} from './exams';
import { defaultWindow } from './quarters';

let db: Db;
let committee: number;
let tree: Awaited<ReturnType<typeof makeTree>>;
const day = 24 * 60 * 60_000;

beforeEach(async () => {
	db = (await freshDatabase()).db;
	tree = await makeTree(db);
	committee = await makeMember(db, { unitId: tree.root, roles: ['committee'], loginId: 'admin' });
	await ensureBank(db);
});

afterEach(async () => {
	await db.destroy();
});

const good: ExamSettings = {
	title: '2026年第四季度理论测试',
	quarter: '2026Q4',
	kind: 'quarterly',
	opensAt: Date.UTC(2026, 10, 30, 16),
	closesAt: Date.UTC(2026, 11, 31, 16),
	durationMinutes: 60,
	passCents: 6000,
	attemptsAllowed: 1,
	multiplePolicy: 'partial_half',
	resultsPolicy: 'after_close'
};

describe('validateSettings', () => {
	it('accepts sound settings', () => {
		expect(validateSettings(good)).toEqual({});
		expect(validateSettings({ ...good, kind: 'practice', resultsPolicy: 'never', multiplePolicy: 'all_or_nothing', passCents: 0, attemptsAllowed: 10, durationMinutes: 600 })).toEqual({});
	});

	it.each<[string, Partial<ExamSettings>, Record<string, string>]>([
		['empty title', { title: '   ' }, { title: 'required' }],
		['title over 100 characters', { title: '测'.repeat(101) }, { title: 'too_long' }],
		['quarter Q5', { quarter: '2026Q5' }, { quarter: 'invalid' }],
		['unknown kind', { kind: 'mock' as never }, { kind: 'invalid' }],
		['no opening time', { opensAt: NaN }, { opensAt: 'invalid' }],
		['closing before opening', { closesAt: good.opensAt - 1 }, { closesAt: 'window_order' }],
		['closing at opening', { closesAt: good.opensAt }, { closesAt: 'window_order' }],
		['zero minutes', { durationMinutes: 0 }, { durationMinutes: 'too_small' }],
		['601 minutes', { durationMinutes: 601 }, { durationMinutes: 'too_large' }],
		['fractional minutes', { durationMinutes: 1.5 }, { durationMinutes: 'invalid' }],
		['negative pass mark', { passCents: -100 }, { passCents: 'invalid' }],
		['unreadable pass mark', { passCents: NaN }, { passCents: 'invalid' }],
		['no attempts', { attemptsAllowed: 0 }, { attemptsAllowed: 'too_small' }],
		['eleven attempts', { attemptsAllowed: 11 }, { attemptsAllowed: 'too_large' }],
		['unknown multiple-choice rule', { multiplePolicy: 'most' as never }, { multiplePolicy: 'invalid' }],
		['unknown results rule', { resultsPolicy: 'later' as never }, { resultsPolicy: 'invalid' }]
	])('names the field for %s', (_name, change, expected) => {
		expect(validateSettings({ ...good, ...change })).toEqual(expected);
	});
});

describe('validateBlueprint', () => {
	const areas = new Set([1, 2]);
	const row = { areaId: 1, type: 'single' as const, difficulty: 'easy' as const, count: 5, points: 200 };

	it('accepts rows the form can produce', () => {
		expect(validateBlueprint([row, { ...row, areaId: 2, type: 'fill', difficulty: 'hard', count: 1, points: 50 }], areas)).toEqual([]);
		expect(validateBlueprint([], areas)).toEqual([]);
	});

	it('names each bad row by its 1-based number and the first problem in it', () => {
		const problems = validateBlueprint(
			[row, { ...row, areaId: 9 }, { ...row, type: 'essay' as never }, { ...row, difficulty: 'extreme' as never }, { ...row, count: 0 }, { ...row, points: 0 }, { ...row, count: 2.5 }, { ...row, points: 10_001 }],
			areas
		);
		expect(problems).toEqual([
			{ row: 2, problem: 'area' },
			{ row: 3, problem: 'type' },
			{ row: 4, problem: 'difficulty' },
			{ row: 5, problem: 'count' },
			{ row: 6, problem: 'points' },
			{ row: 7, problem: 'count' },
			{ row: 8, problem: 'points' }
		]);
	});

	it('refuses more questions in all than a test may have', () => {
		const half = Math.ceil((maxQuestionsPerExam + 1) / 2);
		expect(validateBlueprint([{ ...row, count: half }, { ...row, count: half }], areas)).toEqual([{ row: 2, problem: 'too_many_questions' }]);
		expect(validateBlueprint([{ ...row, count: maxQuestionsPerExam }], areas)).toEqual([]);
	});
});

describe('a test once someone has started it', () => {
	it('keeps its blueprint, audience and rules, but its title and window may still move', async () => {
		const member = await makeMember(db, { unitId: tree.branchA });
		const examId = await makeExam(db, { actorId: committee });
		const before = await getExam(db, examId);
		expect(before?.locked).toBe(false);
		// Before anyone starts, everything can change.
		expect(await setBlueprint(db, examId, before?.blueprint ?? [])).toEqual({ ok: true });
		expect(await setAudience(db, examId, { unitIds: [], roles: [], include: [], exclude: [] })).toEqual({ ok: true });

		const started = await startAttempt(db, examId, member);
		expect(started.ok).toBe(true);
		const exam = await getExam(db, examId);
		if (!exam) throw new Error('exam');
		expect(exam.locked).toBe(true);
		expect(await setBlueprint(db, examId, [])).toEqual({ ok: false, problem: 'locked' });
		expect(await setAudience(db, examId, { unitIds: [tree.branchB], roles: [], include: [], exclude: [] })).toEqual({ ok: false, problem: 'locked' });
		expect((await getExam(db, examId))?.blueprint).toEqual(exam.blueprint);
		expect((await getExam(db, examId))?.audience).toEqual({ unitIds: [], roles: [], include: [], exclude: [] });

		expect(await updateExamSettings(db, examId, { ...exam, passCents: exam.passCents + 100 })).toEqual({ ok: false, problem: 'locked' });
		expect(await updateExamSettings(db, examId, { ...exam, durationMinutes: exam.durationMinutes + 5 })).toEqual({ ok: false, problem: 'locked' });
		expect(await updateExamSettings(db, examId, { ...exam, multiplePolicy: 'all_or_nothing' })).toEqual({ ok: false, problem: 'locked' });
		const later = exam.closesAt + 7 * day;
		expect(await updateExamSettings(db, examId, { ...exam, title: '延期后的测试', closesAt: later })).toEqual({ ok: true });
		const after = await getExam(db, examId);
		expect(after?.title).toBe('延期后的测试');
		expect(after?.closesAt).toBe(later);

		expect(await unpublishExam(db, examId)).toEqual({ ok: false, problem: 'locked' });
		expect(await deleteDraft(db, examId)).toEqual({ ok: false, problem: 'locked' });
	});
});

describe('publishExam', () => {
	it('refuses a test without rows, or with a pass mark above the total', async () => {
		const empty = await createExam(db, committee, good);
		expect(await publishExam(db, empty, committee)).toEqual({ ok: false, problem: 'no_rows' });
		const rows = await sampleBlueprint(db, 1, 100); // four rows of one point each
		await setBlueprint(db, empty, rows);
		const exam = await getExam(db, empty);
		expect(exam?.totalCents).toBe(400);
		expect(await publishExam(db, empty, committee)).toEqual({ ok: false, problem: 'pass_above_total' });
		expect((await getExam(db, empty))?.status).toBe('draft');
	});

	it('names each row that cannot be filled and how many questions it is missing, then publishes once fixed', async () => {
		const rows = await sampleBlueprint(db, 2, 1000);
		const cells = await coverage(db);
		const inBank = (r: (typeof rows)[number]) => cells.find((c) => c.areaId === r.areaId && c.type === r.type && c.difficulty === r.difficulty)?.count ?? 0;
		const id = await createExam(db, committee, { ...good, passCents: 0 });
		const [r0, r1, r2, r3] = rows;
		if (!r0 || !r1 || !r2 || !r3) throw new Error('the starter bank fills a row per type');
		const wanting = [r0, { ...r1, count: 999 }, r2, { ...r3, count: 998 }];
		await setBlueprint(db, id, wanting);
		const refused = await publishExam(db, id, committee);
		expect(refused.ok).toBe(false);
		if (refused.ok || refused.problem !== 'unfillable') throw new Error(`expected unfillable, got ${JSON.stringify(refused)}`);
		expect(refused.shortfall.map((s) => s.row)).toEqual([1, 3]);
		const second = wanting[1] as (typeof rows)[number];
		expect(refused.shortfall[0]).toEqual({ row: 1, needed: 999, available: inBank(second), missing: 999 - inBank(second) });
		expect((await getExam(db, id))?.status).toBe('draft');

		// The editor shows the same numbers beside the rows.
		const status = await blueprintStatus(db, wanting);
		expect(status.map((s) => s.missing)).toEqual([0, 999 - inBank(second), 0, 998 - inBank(r3)]);
		expect(status.map((s) => s.available)).toEqual(wanting.map(inBank));

		await setBlueprint(db, id, rows);
		expect(await publishExam(db, id, committee, 5000)).toEqual({ ok: true });
		const published = await getExam(db, id);
		expect(published?.status).toBe('published');
		expect(published?.publishedAt).toBe(5000);
		expect(await unpublishExam(db, id)).toEqual({ ok: true });
		expect((await getExam(db, id))?.status).toBe('draft');
	});
});

describe('audienceMemberIds', () => {
	it('takes units with their subtrees, roles, members added and excluded, and only active members', async () => {
		const a1 = await makeMember(db, { unitId: tree.branchA });
		const a2 = await makeMember(db, { unitId: tree.branchA, roles: ['secretary'] });
		const b1 = await makeMember(db, { unitId: tree.branchB });
		const c1 = await makeMember(db, { unitId: tree.branchC, roles: ['secretary'] });
		const c2 = await makeMember(db, { unitId: tree.branchC });
		const gone = await makeMember(db, { unitId: tree.branchA, status: 'disabled' });
		const goneElsewhere = await makeMember(db, { unitId: tree.branchC, status: 'disabled' });
		const id = await createExam(db, committee, good);
		const audience = (a: Partial<Parameters<typeof setAudience>[2]>) => setAudience(db, id, { unitIds: [], roles: [], include: [], exclude: [], ...a });

		// Nothing chosen: every active member.
		expect(await audienceMemberIds(db, id)).toEqual([committee, a1, a2, b1, c1, c2].sort((x, y) => x - y));
		// A 总支 brings both of its 支部; a disabled member stays out.
		await audience({ unitIds: [tree.general] });
		expect(await audienceMemberIds(db, id)).toEqual([a1, a2, b1]);
		await audience({ unitIds: [tree.branchA, tree.branchC] });
		expect(await audienceMemberIds(db, id)).toEqual([a1, a2, c1, c2]);
		// Roles narrow the units.
		await audience({ unitIds: [tree.root], roles: ['secretary'] });
		expect(await audienceMemberIds(db, id)).toEqual([a2, c1]);
		// Added by name from outside the units; excluded by name from inside; a disabled member added stays out.
		await audience({ unitIds: [tree.general], include: [c2, goneElsewhere], exclude: [a2] });
		expect(await audienceMemberIds(db, id)).toEqual([a1, b1, c2]);
		// Exclusion wins over inclusion.
		await audience({ unitIds: [tree.branchB], include: [c1], exclude: [c1, b1] });
		expect(await audienceMemberIds(db, id)).toEqual([]);
		expect(gone).toBeGreaterThan(0);
	});
});

describe('cloneExam', () => {
	it("makes a draft for the next quarter with the same blueprint, audience and rules and that quarter's default window", async () => {
		const member = await makeMember(db, { unitId: tree.branchA });
		const source = await makeExam(db, {
			actorId: committee,
			title: '2026Q4 理论测试',
			quarter: '2026Q4',
			passCents: 500,
			multiplePolicy: 'all_or_nothing',
			audience: { unitIds: [tree.general], roles: [], include: [], exclude: [member] }
		});
		const original = await getExam(db, source);
		if (!original) throw new Error('exam');
		const copyId = await cloneExam(db, source, committee, 'Asia/Shanghai', 9000);
		if (copyId === undefined) throw new Error('no copy');
		const copy = await getExam(db, copyId);
		if (!copy) throw new Error('copy');
		expect(copy.quarter).toBe('2027Q1');
		expect(copy.title).toBe('2027Q1 理论测试');
		expect(copy.status).toBe('draft');
		expect(copy.clonedFrom).toBe(source);
		expect({ opensAt: copy.opensAt, closesAt: copy.closesAt }).toEqual(defaultWindow('2027Q1', 'Asia/Shanghai'));
		expect(copy.opensAt).toBe(Date.UTC(2027, 1, 28, 16));
		expect(copy.blueprint).toEqual(original.blueprint);
		expect(copy.audience).toEqual(original.audience);
		expect([copy.passCents, copy.multiplePolicy, copy.durationMinutes, copy.attemptsAllowed, copy.resultsPolicy]).toEqual([
			original.passCents,
			original.multiplePolicy,
			original.durationMinutes,
			original.attemptsAllowed,
			original.resultsPolicy
		]);
		// A new seed: next quarter's papers are not this quarter's.
		expect(copy.seed).not.toBe(original.seed);
		expect(await cloneExam(db, 999_999, committee, 'Asia/Shanghai')).toBeUndefined();
		const listed = await listExams(db);
		expect(listed.map((e) => e.quarter)).toEqual(['2027Q1', '2026Q4']);
		expect(listed[0]?.questionCount).toBe(original.questionCount);
	});

	it('keeps a title that does not name the quarter, and a deleted source does not take the copy with it', async () => {
		const source = await createExam(db, committee, { ...good, title: '季度理论测试' });
		const copyId = (await cloneExam(db, source, committee, 'America/New_York')) ?? 0;
		const copy = await getExam(db, copyId);
		expect(copy?.title).toBe('季度理论测试');
		expect(copy?.opensAt).toBe(Date.UTC(2027, 2, 1, 5));
		expect(await deleteDraft(db, source)).toEqual({ ok: true });
		expect((await getExam(db, copyId))?.clonedFrom).toBeNull();
		expect(await getExam(db, source)).toBeUndefined();
	});
});

describe('make-ups', () => {
	it('are for a published test, named members and a window of their own, and let those members start after the test closed', async () => {
		const member = await makeMember(db, { unitId: tree.branchA });
		const other = await makeMember(db, { unitId: tree.branchA });
		const now = Date.UTC(2026, 11, 10);
		const draft = await makeExam(db, { actorId: committee, publish: false, now });
		expect(await createMakeup(db, draft, { opensAt: now, closesAt: now + day, memberIds: [member] }, committee)).toEqual({ ok: false, problem: 'not_published' });

		const examId = await makeExam(db, { actorId: committee, now, opensAt: now - day, closesAt: now + day });
		expect(await createMakeup(db, examId, { opensAt: now + 3 * day, closesAt: now + 2 * day, memberIds: [member] }, committee)).toEqual({ ok: false, problem: 'window_order' });
		expect(await createMakeup(db, examId, { opensAt: now + 2 * day, closesAt: now + 3 * day, memberIds: [] }, committee)).toEqual({ ok: false, problem: 'no_members' });
		expect(await createMakeup(db, examId, { opensAt: now + 2 * day, closesAt: now + 3 * day, memberIds: [member, 999_999] }, committee)).toEqual({ ok: false, problem: 'no_members' });
		expect(await createMakeup(db, 999_999, { opensAt: now + 2 * day, closesAt: now + 3 * day, memberIds: [member] }, committee)).toEqual({ ok: false, problem: 'not_found' });
		expect(await listMakeups(db, examId)).toEqual([]);

		const created = await createMakeup(db, examId, { opensAt: now + 2 * day, closesAt: now + 3 * day, memberIds: [member, member] }, committee, now);
		if (!created.ok) throw new Error(JSON.stringify(created));
		expect(await listMakeups(db, examId)).toEqual([{ id: created.id, opensAt: now + 2 * day, closesAt: now + 3 * day, memberIds: [member] }]);

		const exam = await db.selectFrom('exam').selectAll().where('id', '=', examId).executeTakeFirstOrThrow();
		const during = now + 2 * day + 60_000;
		expect(await eligibility(db, exam, member, during)).toEqual({ kind: 'start', makeupId: created.id, closesAt: now + 3 * day });
		expect(await eligibility(db, exam, other, during)).toEqual({ kind: 'none', problem: 'closed' });
		const started = await startAttempt(db, examId, member, during);
		expect(started.ok).toBe(true);
		const attempt = await db.selectFrom('attempt').selectAll().where('member_id', '=', member).executeTakeFirstOrThrow();
		expect(attempt.makeup_id).toBe(created.id);
		expect(attempt.deadline_at).toBeLessThanOrEqual(now + 3 * day);
	});
});
