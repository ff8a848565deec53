import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { getQuestion, insertQuestion, reviseQuestion, type QuestionContent } from '../bank/questions';
import { applyRegrade } from '../exams/regrade';
import type { Answer } from '../exams/scoring';
import { freshDatabase, makeMember, makeTree } from '../testing/db';
import { makeExam } from '../testing/exams';
import { answerFor, takeTest, tinyBank, type TinyBank } from '../testing/tiny-bank';
import { choiceMask, itemAnalysis } from './items';
import { nestedReliability } from './statistics';

const now = Date.UTC(2026, 11, 10, 2);
const minute = 60_000;
const day = 24 * 60 * minute;

describe('choiceMask', () => {
	it('reads the stored answer shapes', () => {
		expect(choiceMask('{"type":"single","choice":2}')).toBe(0b100);
		expect(choiceMask('{"type":"single","choice":null}')).toBe(0);
		expect(choiceMask('{"type":"multiple","choices":[0,2,7]}')).toBe(0b10000101);
		expect(choiceMask('{"type":"multiple","choices":[]}')).toBe(0);
		expect(choiceMask('{"type":"true_false","value":true}')).toBe(1);
		expect(choiceMask('{"type":"true_false","value":false}')).toBe(2);
		expect(choiceMask('{"type":"true_false","value":null}')).toBe(0);
		expect(choiceMask('')).toBe(0);
		// A slice of a longer text, as items.ts reads it.
		expect(choiceMask('1,2,{"type":"single","choice":3};', 4, 31)).toBe(0b1000);
	});
});

describe('item analysis', () => {
	let db: Db;
	let bank: TinyBank;
	let admin: number;
	let tree: Awaited<ReturnType<typeof makeTree>>;
	let members: number[];
	const audience = () => ({ unitIds: [tree.branchA], roles: [], include: [], exclude: [] });

	beforeEach(async () => {
		({ db } = await freshDatabase());
		tree = await makeTree(db);
		admin = await makeMember(db, { unitId: tree.root, roles: ['committee'], loginId: 'admin' });
		bank = await tinyBank(db, admin);
		members = [];
		for (let i = 1; i <= 7; i++) members.push(await makeMember(db, { unitId: tree.branchA, loginId: `p${i}` }));
	});

	/**
	 * Four takers of the tiny bank's paper (everyone has the same five questions; points s1 2, s2 2, m1 3, t1 1,
	 * f1 2 = 10; 多选 少选得一半; each fill blank 1 point). Keys: s1 A, s2 B (3 options), m1 A+C, t1 正确.
	 *
	 *          s1      s2      m1          t1     f1            | points  percent
	 *   P1     A ✓ 2   B ✓ 2   AC ✓ 3      ✓ 1    both ✓ 2      | 10      100
	 *   P2     A ✓ 2   A ✗ 0   A ½ 1.5     ✓ 1    one ✓ 1       | 5.5     55
	 *   P3     B ✗ 0   B ✓ 2   B ✗ 0       ✓ 1    both ✗ 0      | 3       30
	 *   P4     A ✓ 2   C ✗ 0   blank 0     ✓ 1    blank 0       | 3       30
	 *
	 * P2 also took a second, worse attempt and P5 never submitted: neither counts.
	 */
	async function fourTakers(): Promise<number> {
		const { s1, s2, m1, f1 } = bank.questionIds;
		const examId = await makeExam(db, { actorId: admin, blueprint: bank.blueprint, audience: audience(), attemptsAllowed: 2, now: now - day, opensAt: now - day });
		const pick = (choices: Record<number, Answer | null>) => (item: { questionId: number; key: Parameters<typeof answerFor>[0] }) =>
			item.questionId in choices ? (choices[item.questionId] as Answer | null) : answerFor(item.key, true);
		await takeTest(db, examId, members[0] as number, now - 60 * minute);
		await takeTest(db, examId, members[1] as number, now - 60 * minute, pick({ [s2]: { type: 'single', choice: 0 }, [m1]: { type: 'multiple', choices: [0] }, [f1]: { type: 'fill', blanks: ['季度', '不知道'] } }));
		await takeTest(db, examId, members[2] as number, now - 60 * minute, pick({ [s1]: { type: 'single', choice: 1 }, [m1]: { type: 'multiple', choices: [1] }, [f1]: { type: 'fill', blanks: ['不知道', '不知道'] } }));
		await takeTest(db, examId, members[3] as number, now - 60 * minute, pick({ [s2]: { type: 'single', choice: 2 }, [m1]: null, [f1]: null }));
		await takeTest(db, examId, members[1] as number, now - 30 * minute, () => null);
		await takeTest(db, examId, members[4] as number, now - 30 * minute, undefined, { submit: false });
		return examId;
	}

	it('per test: takers, mean, median, SD, alpha (partial credit), SEM', async () => {
		const examId = await fourTakers();
		const a = (await itemAnalysis(db, examId))!;
		// Percent 100 55 30 30: mean 215/4 = 53.75; median (30 + 55)/2 = 42.5.
		// Deviations² 2139.0625 1.5625 564.0625 564.0625 = 3268.75; σ² = 817.1875, σ = 28.586492.
		expect(a.takers).toBe(4);
		expect(a.mean).toBe(53.75);
		expect(a.median).toBe(42.5);
		expect(a.sd).toBeCloseTo(28.586492, 5);
		// Same questions for all, points 2 2 3 1 2 and half credit on m1: alpha on the points (cents).
		// Item σ² (cents²): s1 200 200 0 200 → 7500; s2 200 0 200 0 → 10000; m1 300 150 0 0 → 15468.75;
		// t1 100 ×4 → 0; f1 200 100 0 0 → 6875. Σ = 39843.75. Totals 1000 550 300 300 → σ² = 81718.75.
		// α = 5/4 · (1 − 39843.75/81718.75) = 5/4 · 268/523 = 335/523 = 0.640535.
		expect(a.reliability.kind).toBe('alpha');
		expect(a.reliability.value).toBeCloseTo(335 / 523, 10);
		// SEM = 28.586492 · √(1 − 335/523) = 28.586492 · √(188/523) = 17.139137.
		expect(a.sem).toBeCloseTo(17.139137, 5);
	});

	it('per question: facility, corrected correlation, 27% groups with a tie at the cut, options, flags', async () => {
		const examId = await fourTakers();
		const a = (await itemAnalysis(db, examId))!;
		const { s1, s2, m1, t1, f1 } = bank.questionIds;
		expect(a.items.map((i) => i.questionId)).toEqual([s1, s2, m1, t1, f1]);
		const item = (id: number) => a.items.find((i) => i.questionId === id)!;
		// Groups: g = round(0.27 · 4) = round(1.08) = 1. Upper = P1 (100). Lower: P3 and P4 tie at 30 and share
		// the one place, weight 1/2 each.

		// s1: right for P1 P2 P4 → p = 3/4. p_U = 1 (P1); p_L = ½·0 (P3) + ½·1 (P4) = ½; D = ½.
		// Rest of the paper in percent of its 8 points: P1 800/800 = 100, P2 350/800 = 43.75, P3 300/800 = 37.5,
		// P4 100/800 = 12.5. r(1 1 0 1; 100 43.75 37.5 12.5): Σdxdy = 10.9375, Σdx² = .75, Σdy² = 4091.796875,
		// r = 10.9375/√3068.84765625 = 0.197438.
		expect(item(s1)).toMatchObject({ n: 4, facility: 0.75, discrimination: 0.5, upper: 1, lower: 0.5, groupSize: 1, pointsCents: 200 });
		expect(item(s1).itemRest).toBeCloseTo(0.197438, 6);
		// Options A (key) 3 of 4, B 1 (P3), C and D nobody → a distractor nobody chose.
		// Upper: A 1. Lower: A ½ (P4), B ½ (P3).
		expect(item(s1).options).toEqual([
			{ index: 0, key: true, chosen: 3, share: 0.75, upper: 1, lower: 0.5 },
			{ index: 1, key: false, chosen: 1, share: 0.25, upper: 0, lower: 0.5 },
			{ index: 2, key: false, chosen: 0, share: 0, upper: 0, lower: 0 },
			{ index: 3, key: false, chosen: 0, share: 0, upper: 0, lower: 0 }
		]);
		expect(item(s1).flags).toEqual(['unused_option']);
		expect(item(s1).omitted).toEqual({ chosen: 0, share: 0, upper: 0, lower: 0 });

		// s2 (3 options, key B): P1 B, P2 A, P3 B, P4 C → p = 2/4 = ½; every option chosen, no flag.
		// p_U = 1; p_L = ½·1 (P3) + ½·0 (P4) = ½; D = ½.
		expect(item(s2)).toMatchObject({ facility: 0.5, discrimination: 0.5, flags: [] });
		expect(item(s2).options.map((o) => [o.key, o.chosen])).toEqual([
			[false, 1],
			[true, 2],
			[false, 1]
		]);

		// m1 (3 points, half credit): item scores 1 ½ 0 0 → p = 1.5/4 = 0.375. p_U = 1, p_L = 0, D = 1.
		// Rest in percent of 7 points: 100, 400/7, 300/7, 300/7; r = 37.5/√(.6875 · 2193.877551) = 0.965581.
		// Options: A 2 (P1 P2), B 1 (P3), C 1 (P1), D nobody; P4 left it blank.
		expect(item(m1)).toMatchObject({ facility: 0.375, discrimination: 1, flags: ['unused_option'] });
		expect(item(m1).itemRest).toBeCloseTo(0.965581, 6);
		expect(item(m1).options.map((o) => [o.key, o.chosen])).toEqual([
			[true, 2],
			[false, 1],
			[true, 1],
			[false, 0]
		]);
		expect(item(m1).omitted).toMatchObject({ chosen: 1, upper: 0, lower: 0.5 });

		// t1: everyone right → p = 1 (too easy); neither r nor D exists. 正确 4, 错误 0 (not a written distractor).
		expect(item(t1)).toMatchObject({ facility: 1, itemRest: null, discrimination: null, upper: 1, lower: 1, flags: ['too_easy'] });
		expect(item(t1).options.map((o) => [o.key, o.chosen])).toEqual([
			[true, 4],
			[false, 0]
		]);

		// f1 (2 points, 1 per blank): 1 ½ 0 0 → p = 0.375; no options.
		expect(item(f1)).toMatchObject({ facility: 0.375, options: [], omitted: null });
	});

	it('KR-20 when every question is right/wrong with the same points', async () => {
		const { theory, charter } = bank.areaIds;
		const { s1, s2, t1 } = bank.questionIds;
		const blueprint = [
			{ areaId: theory, type: 'single' as const, difficulty: 'easy' as const, count: 1, points: 200 },
			{ areaId: charter, type: 'single' as const, difficulty: 'easy' as const, count: 1, points: 200 },
			{ areaId: charter, type: 'true_false' as const, difficulty: 'easy' as const, count: 1, points: 200 }
		];
		const examId = await makeExam(db, { actorId: admin, blueprint, audience: audience(), now: now - day, opensAt: now - day });
		// Right (1) / wrong (0):   s1 s2 t1 | total
		//   P1                      1  1  1 |  3
		//   P2                      1  0  1 |  2
		//   P3                      0  0  0 |  0
		//   P4                      0  1  1 |  2
		// p = .5 .5 .75; Σpq = .25 + .25 + .1875 = .6875. Totals mean 1.75, σ² = (1.5625 + .0625 + 3.0625 + .0625)/4 = 1.1875.
		// KR-20 = 3/2 · (1 − .6875/1.1875) = 3/2 · 8/19 = 12/19 = 0.631579.
		const right: Record<number, number[]> = { [s1]: [0, 1], [s2]: [0, 3], [t1]: [0, 1, 3] };
		for (let p = 0; p < 4; p++) await takeTest(db, examId, members[p] as number, now - 60 * minute, (item) => answerFor(item.key, right[item.questionId]!.includes(p)));
		const a = (await itemAnalysis(db, examId))!;
		expect(a.reliability.kind).toBe('kr20');
		expect(a.reliability.value).toBeCloseTo(12 / 19, 10);
	});

	it('papers drawn differently: reliability with items nested in takers, each question over the papers that had it', async () => {
		const { theory } = bank.areaIds;
		const base = { explanation: '', difficulty: 'easy' as const, source: null, reviewBy: null, areaIds: [theory] };
		await insertQuestion(db, admin, { ...base, type: 'single', stem: '甲？', options: ['一', '二', '三'], correct: 0 }, 'active');
		await insertQuestion(db, admin, { ...base, type: 'single', stem: '乙？', options: ['一', '二', '三'], correct: 2 }, 'active');
		// Two of the three theory single-choice questions on each paper.
		const blueprint = [{ areaId: theory, type: 'single' as const, difficulty: 'easy' as const, count: 2, points: 100 }];
		const examId = await makeExam(db, { actorId: admin, blueprint, passCents: 100, audience: audience(), now: now - day, opensAt: now - day });
		// Member i gets s1 right when i is even, the two new questions when i > 2.
		for (let i = 0; i < 6; i++) {
			await takeTest(db, examId, members[i] as number, now - 60 * minute, (item) => answerFor(item.key, item.questionId === bank.questionIds.s1 ? i % 2 === 0 : i > 2));
		}
		const a = (await itemAnalysis(db, examId))!;
		expect(a.takers).toBe(6);
		expect(a.items.reduce((s, i) => s + i.n, 0)).toBe(12);
		expect(a.items.some((i) => i.n < 6)).toBe(true);

		// The same coefficient straight from the stored rows: each taker's item scores (earned / points).
		const rows = await db
			.selectFrom('attempt_item')
			.innerJoin('attempt', 'attempt.id', 'attempt_item.attempt_id')
			.select(['attempt.id', 'attempt_item.earned_cents', 'attempt_item.points_cents'])
			.where('attempt.exam_id', '=', examId)
			.execute();
		const papers = new Map<number, number[]>();
		for (const r of rows) papers.set(r.id, [...(papers.get(r.id) ?? []), (r.earned_cents ?? 0) / r.points_cents]);
		expect(a.reliability.kind).toBe('nested');
		// Nine digits: the two sums run in different orders, and the ANOVA subtracts nearly equal mean squares.
		expect(a.reliability.value).toBeCloseTo(nestedReliability([...papers.values()]) as number, 9);
		// Each question's facility over the papers that had it.
		for (const item of a.items) {
			const own = await db
				.selectFrom('attempt_item')
				.innerJoin('attempt', 'attempt.id', 'attempt_item.attempt_id')
				.select(['attempt_item.earned_cents'])
				.where('attempt.exam_id', '=', examId)
				.where('attempt_item.question_id', '=', item.questionId)
				.execute();
			expect(item.n).toBe(own.length);
			expect(item.facility).toBeCloseTo(own.reduce((s, r) => s + (r.earned_cents ?? 0), 0) / (100 * own.length), 12);
		}
	});

	it('one taker: scores and facility, but no spread, groups, correlation or reliability', async () => {
		const examId = await makeExam(db, { actorId: admin, blueprint: bank.blueprint, audience: audience(), now: now - day, opensAt: now - day });
		await takeTest(db, examId, members[0] as number, now - 60 * minute);
		const a = (await itemAnalysis(db, examId))!;
		expect(a).toMatchObject({ takers: 1, mean: 100, median: 100, sd: 0, reliability: { kind: 'alpha', value: null }, sem: null });
		expect(a.items.every((i) => i.n === 1 && i.facility === 1 && i.itemRest === null && i.discrimination === null && i.groupSize === null)).toBe(true);
		// Options are counted; the group shares do not exist.
		expect(a.items[0]?.options[0]).toEqual({ index: 0, key: true, chosen: 1, share: 1, upper: null, lower: null });
	});

	it('no takers yet, a practice test, a draft and a missing test', async () => {
		const quiet = await makeExam(db, { actorId: admin, blueprint: bank.blueprint, audience: audience(), now: now - day, opensAt: now - day });
		expect(await itemAnalysis(db, quiet)).toMatchObject({ takers: 0, mean: null, sd: null, items: [], reliability: { kind: 'nested', value: null }, sem: null });
		// A practice test's questions can be checked too; its best attempt per member counts.
		const practice = await makeExam(db, { actorId: admin, kind: 'practice', attemptsAllowed: 3, blueprint: bank.blueprint, audience: audience(), now: now - day, opensAt: now - day });
		await takeTest(db, practice, members[0] as number, now - 60 * minute, (item) => answerFor(item.key, false));
		await takeTest(db, practice, members[0] as number, now - 50 * minute);
		expect(await itemAnalysis(db, practice)).toMatchObject({ exam: { kind: 'practice' }, takers: 1, mean: 100 });
		const draft = await makeExam(db, { actorId: admin, blueprint: bank.blueprint, audience: audience(), publish: false });
		expect(await itemAnalysis(db, draft)).toBeNull();
		expect(await itemAnalysis(db, 999999)).toBeNull();
	});

	it('a new submission is seen within a minute, a regrade at once; otherwise the result is kept', async () => {
		const examId = await fourTakers();
		const t0 = now + 10 * minute;
		const first = (await itemAnalysis(db, examId, t0))!;
		// Nothing changed: kept however old.
		expect(await itemAnalysis(db, examId, t0 + 10 * minute)).toBe(first);

		// A new submission and a result older than a minute: computed again.
		await takeTest(db, examId, members[5] as number, now - 20 * minute);
		const second = (await itemAnalysis(db, examId, t0 + 10 * minute))!;
		expect(second.takers).toBe(5);
		// Another one within the minute waits; after it, it shows.
		await takeTest(db, examId, members[6] as number, now - 20 * minute);
		expect(await itemAnalysis(db, examId, t0 + 10 * minute + 30_000)).toBe(second);
		expect((await itemAnalysis(db, examId, t0 + 11 * minute + 1000))!.takers).toBe(6);

		// The committee finds that B is s1's key after all: a regrade moves the key mark and the facility.
		const { s1 } = bank.questionIds;
		const q = (await getQuestion(db, s1))!;
		expect((await reviseQuestion(db, admin, s1, { ...q, correct: 1 } as QuestionContent, now)).ok).toBe(true);
		const current = (await itemAnalysis(db, examId, t0 + 12 * minute))!;
		expect(await itemAnalysis(db, examId, t0 + 12 * minute)).toBe(current);
		expect((await applyRegrade(db, examId, s1, admin, now)).ok).toBe(true);
		const third = (await itemAnalysis(db, examId, t0 + 12 * minute))!;
		const item = third.items.find((i) => i.questionId === s1)!;
		// Only P3 chose B: 1 of 6 right now.
		expect(item.facility).toBeCloseTo(1 / 6, 12);
		expect(item.options.map((o) => o.key)).toEqual([false, true, false, false]);
		expect(item.keyChanged).toBe(false);
	});

	it('says when papers were scored with different keys (a corrected key not yet regraded)', async () => {
		const examId = await fourTakers();
		const { s1 } = bank.questionIds;
		const q = (await getQuestion(db, s1))!;
		expect((await reviseQuestion(db, admin, s1, { ...q, correct: 1 } as QuestionContent, now)).ok).toBe(true);
		// P6 draws the corrected version; the others were scored with the old key.
		await takeTest(db, examId, members[5] as number, now - 20 * minute);
		const item = (await itemAnalysis(db, examId))!.items.find((i) => i.questionId === s1)!;
		expect(item.keyChanged).toBe(true);
	});
});
