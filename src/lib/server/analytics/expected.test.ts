import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { createMakeup } from '../exams/exams';
import { freshDatabase, makeMember, makeTree } from '../testing/db';
import { makeExam } from '../testing/exams';
import { takeTest, tinyBank, type TinyBank } from '../testing/tiny-bank';
import { expectedCounts, expectedMembers, missedCounts, takeExpectedLists } from './expected';

const now = Date.UTC(2026, 11, 10, 2);
const minute = 60_000;
const day = 24 * 60 * minute;

describe('expected lists', () => {
	let db: Db;
	let tree: Awaited<ReturnType<typeof makeTree>>;
	let bank: TinyBank;
	let admin: number, a1: number, a2: number, b1: number, c1: number;
	let examId: number;

	beforeEach(async () => {
		({ db } = await freshDatabase());
		tree = await makeTree(db);
		admin = await makeMember(db, { unitId: tree.root, roles: ['committee'], loginId: 'admin' });
		a1 = await makeMember(db, { unitId: tree.branchA, loginId: 'a1' });
		a2 = await makeMember(db, { unitId: tree.branchA, loginId: 'a2' });
		b1 = await makeMember(db, { unitId: tree.branchB, loginId: 'b1' });
		c1 = await makeMember(db, { unitId: tree.branchC, loginId: 'c1' });
		bank = await tinyBank(db, admin);
		// The general branch's subtree (branches A and B) takes it; it closes in a day.
		examId = await makeExam(db, {
			actorId: admin,
			blueprint: bank.blueprint,
			audience: { unitIds: [tree.general], roles: [], include: [], exclude: [] },
			opensAt: now - day,
			closesAt: now + day,
			now: now - day
		});
		await takeTest(db, examId, a1, now - 60 * minute);
	});

	const counts = async (units?: number[]) => Object.fromEntries((await expectedCounts(db, [examId], units)).get(examId) ?? new Map());

	it('is live while the test is open: the audience now, each in their unit', async () => {
		expect(await counts()).toEqual({ [tree.branchA]: 2, [tree.branchB]: 1 });
		expect(await counts([tree.branchB, tree.branchC])).toEqual({ [tree.branchB]: 1 });
		expect(Object.fromEntries(await missedCounts(db, [examId]))).toEqual({ [a2]: 1, [b1]: 1 });
		// A newcomer to branch B is expected while the test is open.
		const b2 = await makeMember(db, { unitId: tree.branchB, loginId: 'b2' });
		expect(await counts()).toEqual({ [tree.branchA]: 2, [tree.branchB]: 2 });
		expect([...((await expectedMembers(db, [examId])).get(examId)?.keys() ?? [])].sort((x, y) => x - y)).toEqual([a1, a2, b1, b2]);
		// Nothing is taken before the close.
		expect(await takeExpectedLists(db, now)).toBe(0);
	});

	it('is taken once at the close; later arrivals and moves do not change it, later results join it', async () => {
		const closed = now + day;
		// Two servers sweeping at once take it once.
		const taken = await Promise.all([takeExpectedLists(db, closed), takeExpectedLists(db, closed)]);
		expect(taken[0] + taken[1]).toBe(1);
		expect(await db.selectFrom('exam_expected').select('member_id').where('exam_id', '=', examId).execute()).toHaveLength(3);

		await makeMember(db, { unitId: tree.branchB, loginId: 'late' });
		await db.updateTable('member').set({ unit_id: tree.branchC }).where('id', '=', a2).execute();
		expect(await counts()).toEqual({ [tree.branchA]: 2, [tree.branchB]: 1 });
		expect(Object.fromEntries(await missedCounts(db, [examId], [tree.branchA]))).toEqual({ [a2]: 1 });

		// c1 (outside the audience) takes a make-up after the close: expected now, in the unit of the result.
		await createMakeup(db, examId, { opensAt: closed, closesAt: closed + day, memberIds: [c1, b1] }, admin, closed);
		await takeTest(db, examId, c1, closed + 60 * minute);
		await takeTest(db, examId, b1, closed + 60 * minute);
		expect(await counts()).toEqual({ [tree.branchA]: 2, [tree.branchB]: 1, [tree.branchC]: 1 });
		expect(Object.fromEntries(await missedCounts(db, [examId]))).toEqual({ [a2]: 1 });
		expect(await takeExpectedLists(db, closed + 2 * day)).toBe(0);
	});

	it('answers empty for no tests or no units', async () => {
		expect((await expectedCounts(db, [])).size).toBe(0);
		expect(await counts([])).toEqual({});
		expect((await missedCounts(db, [examId], [])).size).toBe(0);
	});
});
