import type { Db } from '../db';
import { createMakeup } from '../exams/exams';
import { makeMember, makeTree } from './db';
import { makeExam } from './exams';
import { answerFor, takeTest, tinyBank } from './tiny-bank';

// A small organization with two quarters of results for the member table and member history tests
// (analytics/members.test.ts, analytics/member-history.test.ts). Only tests import this folder.

export const recordsNow = Date.UTC(2026, 11, 10, 2);
const minute = 60_000;
const day = 24 * 60 * minute;

// The tiny bank's paper (1000 cents): s1 theory 200, s2 charter 200, m1 theory+charter 300, t1 charter 100,
// f1 theory 200. So: all right 100%; only the true/false right 10%; all but the fill 80%; only the singles 40%.
const allRight = () => true;
const onlyTrueFalse = (item: { key: { type: string } }) => item.key.type === 'true_false';
const allButFill = (item: { key: { type: string } }) => item.key.type !== 'fill';
const onlySingles = (item: { key: { type: string } }) => item.key.type === 'single';

// 2026Q3: one test, closed. 2026Q4: q4b (closed yesterday) and q4 (open; its results after the close).
//
//        unit      2026Q3        2026Q4 (q4b, q4)              missed latest trend
// admin  root      (excluded from every audience: a row of blanks)
// 张三 a1 一支部    100           q4b 100, q4 80 → mean 90        0      90     −10
// 李四 a2 一支部    missed        q4b 40, q4 pending → 40         1      40     —
// 陈七 d1 一支部    80 (then disabled: no longer in audiences)    0      80     —
// 王五 b1 二支部    10            q4b missed, q4 pending          1      10     —
// 赵六 c1 机关支部  40            q4b pending (make-up open), q4 pending  0  40  —
// 钱八 d2 一支部    disabled, no result: not a row
export async function memberRecords(db: Db, now = recordsNow) {
	const tree = await makeTree(db);
	const admin = await makeMember(db, { unitId: tree.root, roles: ['committee'], loginId: 'admin', name: '管理员' });
	const a1 = await makeMember(db, { unitId: tree.branchA, loginId: 'a1', name: '张三' });
	const a2 = await makeMember(db, { unitId: tree.branchA, loginId: 'a2', name: '李四' });
	const d1 = await makeMember(db, { unitId: tree.branchA, loginId: 'd1', name: '陈七' });
	const d2 = await makeMember(db, { unitId: tree.branchA, loginId: 'd2', name: '钱八', status: 'disabled' });
	const b1 = await makeMember(db, { unitId: tree.branchB, loginId: 'b1', name: '王五' });
	const c1 = await makeMember(db, { unitId: tree.branchC, loginId: 'c1', name: '赵六' });
	const bank = await tinyBank(db, admin);
	const audience = { unitIds: [], roles: [], include: [], exclude: [admin] };
	const exam = { actorId: admin, blueprint: bank.blueprint, audience };
	const q3 = await makeExam(db, { ...exam, quarter: '2026Q3', now: now - 90 * day, opensAt: now - 90 * day, closesAt: now - 60 * day });
	const q4b = await makeExam(db, { ...exam, quarter: '2026Q4', now: now - 10 * day, opensAt: now - 10 * day, closesAt: now - day });
	const q4 = await makeExam(db, { ...exam, quarter: '2026Q4', resultsPolicy: 'after_close', now: now - 2 * day, opensAt: now - 2 * day });
	const practice = await makeExam(db, { ...exam, quarter: '2026Q4', kind: 'practice', now: now - 2 * day, opensAt: now - 2 * day });
	const take = (examId: number, memberId: number, at: number, right: (item: { key: { type: string } }) => boolean) =>
		takeTest(db, examId, memberId, at, (item) => answerFor(item.key, right(item)));
	await take(q3, a1, now - 80 * day, allRight);
	await take(q3, b1, now - 80 * day, onlyTrueFalse);
	await take(q3, c1, now - 80 * day, onlySingles);
	await take(q3, d1, now - 80 * day, allButFill);
	await take(q4b, a1, now - 5 * day, allRight);
	await take(q4b, a2, now - 5 * day, onlySingles);
	await take(q4, a1, now - 60 * minute, allButFill);
	await take(practice, b1, now - 60 * minute, allRight);
	await db.updateTable('member').set({ status: 'disabled' }).where('id', '=', d1).execute();
	await createMakeup(db, q4b, { opensAt: now - day, closesAt: now + day, memberIds: [c1] }, admin, now - day);
	return { tree, areaIds: bank.areaIds, admin, a1, a2, b1, c1, d1, d2, q3, q4b, q4 };
}
