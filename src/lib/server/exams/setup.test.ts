import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { freshDatabase, makeMember, makeTree } from '../testing/db';
import { ensureBank, makeExam, sampleBlueprint } from '../testing/exams';
import { startAttempt, submitAttempt } from './attempts';
import { createExam, createMakeup, getExam, setBlueprint } from './exams';
import { typeOrder } from './papers';
import { centsToPoints, parseBlueprint, parseSettings, pointsToCents, readBlueprintValues, splitLoginIds, type SettingsValues } from './setup-form';
import { makeupCandidates, membersByLoginIds, samplePaper } from './setup';

describe('points in forms', () => {
	it('reads points with up to two decimals exactly, and nothing else', () => {
		expect(pointsToCents('60')).toBe(6000);
		expect(pointsToCents(' 1.5 ')).toBe(150);
		expect(pointsToCents('59.99')).toBe(5999);
		expect(pointsToCents('0.05')).toBe(5);
		expect(pointsToCents('2．5')).toBe(250); // a full-width point from a Chinese keyboard
		for (const bad of ['', '-1', '1.234', '1,5', 'abc', '1e3', '.5', '1.']) expect(pointsToCents(bad), bad).toBeNaN();
	});

	it('shows cents as points without trailing zeros', () => {
		expect([6000, 150, 5999, 5, 0, 1010].map(centsToPoints)).toEqual(['60', '1.5', '59.99', '0.05', '0', '10.1']);
		for (const cents of [1, 99, 100, 12345]) expect(pointsToCents(centsToPoints(cents))).toBe(cents);
	});
});

describe('parseSettings', () => {
	const values: SettingsValues = {
		title: '第四季度测试',
		quarter: '2026Q4',
		kind: 'quarterly',
		opensAt: '2026-12-01T00:00',
		closesAt: '2027-01-01T00:00',
		durationMinutes: '60',
		passPoints: '60',
		attemptsAllowed: '1',
		multiplePolicy: 'partial_half',
		resultsPolicy: 'after_close'
	};

	it('reads the window in the organization time zone', () => {
		const { settings, errors } = parseSettings(values, 'Asia/Shanghai');
		expect(errors).toEqual({});
		expect(settings.opensAt).toBe(Date.UTC(2026, 10, 30, 16));
		expect(settings.closesAt).toBe(Date.UTC(2026, 11, 31, 16));
		expect(settings.passCents).toBe(6000);
	});

	it('tells a forgotten field from a mistyped one', () => {
		const { errors } = parseSettings({ ...values, opensAt: '', closesAt: '2026-02-31T00:00', durationMinutes: '', passPoints: '六十', attemptsAllowed: '' }, 'Asia/Shanghai');
		expect(errors).toEqual({ opensAt: 'required', closesAt: 'invalid', durationMinutes: 'required', passCents: 'invalid', attemptsAllowed: 'required' });
	});
});

describe('the blueprint form', () => {
	const form = (rows: string[][], extra: [string, string][] = []) => {
		const f = new FormData();
		for (const [area, type, difficulty, count, points] of rows) {
			f.append('area', area ?? '');
			f.append('type', type ?? '');
			f.append('difficulty', difficulty ?? '');
			f.append('count', count ?? '');
			f.append('points', points ?? '');
		}
		for (const [k, v] of extra) f.append(k, v);
		return f;
	};

	it('skips the spare empty rows and numbers problems by the rows as shown', () => {
		const values = readBlueprintValues(
			form([
				['1', 'single', 'easy', '5', '2'],
				['', 'single', 'easy', '', ''],
				['2', 'fill', 'hard', '', '1'],
				['', 'multiple', 'medium', '3', '2'],
				['1', 'true_false', 'easy', '4', '0.5']
			])
		);
		const { rows, errors } = parseBlueprint(values, new Set([1, 2]));
		expect(rows.map((r) => r.count)).toEqual([5, NaN, 3, 4]);
		expect(rows[3]).toEqual({ areaId: 1, type: 'true_false', difficulty: 'easy', count: 4, points: 50 });
		expect(errors).toEqual([
			{ row: 3, problem: 'count' },
			{ row: 4, problem: 'area' }
		]);
	});

	it('drops the row whose remove button was pressed', () => {
		const values = readBlueprintValues(
			form(
				[
					['1', 'single', 'easy', '5', '2'],
					['2', 'fill', 'hard', '1', '1']
				],
				[['removeRow', '0']]
			)
		);
		expect(values).toEqual([{ areaId: '2', type: 'fill', difficulty: 'hard', count: '1', points: '1' }]);
	});
});

describe('splitLoginIds', () => {
	it('takes ids one per line or separated by commas, 、 or spaces, once each', () => {
		expect(splitLoginIds('1101\n1102, 1103，1104、1105 1106\r\n\n1101\nAbc\nabc')).toEqual(['1101', '1102', '1103', '1104', '1105', '1106', 'Abc']);
		expect(splitLoginIds('  ')).toEqual([]);
	});
});

describe('with a database', () => {
	let db: Db;
	let committee: number;
	let tree: Awaited<ReturnType<typeof makeTree>>;

	beforeEach(async () => {
		db = (await freshDatabase()).db;
		tree = await makeTree(db);
		committee = await makeMember(db, { unitId: tree.root, roles: ['committee'], loginId: 'admin' });
		await ensureBank(db);
	});

	afterEach(async () => {
		await db.destroy();
	});

	it('finds members by login id whatever the case, and names the unknown ones as typed', async () => {
		const a = await makeMember(db, { unitId: tree.branchA, loginId: 'T1101' });
		const b = await makeMember(db, { unitId: tree.branchA, loginId: '13800000000', status: 'disabled' });
		const { found, unknown } = await membersByLoginIds(db, ['t1101', '13800000000', 'nobody', 'NoOne']);
		expect(found.map((f) => [f.id, f.loginId, f.status]).sort()).toEqual([
			[a, 'T1101', 'active'],
			[b, '13800000000', 'disabled']
		].sort());
		expect(unknown).toEqual(['nobody', 'NoOne']);
	});

	it('draws a sample paper that meets the blueprint, in section order, with the key in the shuffled order', async () => {
		const rows = await sampleBlueprint(db, 3, 250);
		const id = await createExam(db, committee, {
			title: 't',
			quarter: '2026Q4',
			kind: 'quarterly',
			opensAt: 0,
			closesAt: 1,
			durationMinutes: 60,
			passCents: 0,
			attemptsAllowed: 1,
			multiplePolicy: 'partial_half',
			resultsPolicy: 'immediate'
		});
		expect(await samplePaper(db, id)).toEqual({ ok: false, problem: 'no_rows' });
		await setBlueprint(db, id, rows);
		const result = await samplePaper(db, id);
		if (!result.ok) throw new Error(JSON.stringify(result));
		expect(result.items).toHaveLength(rows.length * 3);
		expect(result.items.map((i) => i.position)).toEqual(result.items.map((_, k) => k + 1));
		const sectionOf = result.items.map((i) => typeOrder.indexOf(i.type));
		expect(sectionOf).toEqual([...sectionOf].sort((x, y) => x - y));
		expect(new Set(result.items.map((i) => i.questionId)).size).toBe(result.items.length);
		// sampleBlueprint has one row per type, so each section is exactly its row.
		for (const row of rows) {
			const section = result.items.filter((i) => i.type === row.type);
			expect(section).toHaveLength(row.count);
			for (const item of section) expect(item.areaIds).toContain(row.areaId);
		}
		for (const item of result.items) {
			expect(item.pointsCents).toBe(250);
			if (item.key.type === 'single' || item.key.type === 'multiple') {
				// The shown options are the question's options, each once, and the marked ones are the key.
				expect(item.options.map((o) => o.text).sort()).toEqual([...item.key.options].sort());
				const marked = item.options.filter((o) => o.correct).map((o) => o.text).sort();
				const key = item.key;
				const correct = key.type === 'single' ? [key.options[key.correct]] : key.correct.map((k) => key.options[k]);
				expect(marked).toEqual(correct.sort());
			} else {
				expect(item.options).toEqual([]);
			}
		}
		// Nothing is stored: a preview is nobody's paper.
		expect(await db.selectFrom('attempt').select('id').execute()).toEqual([]);

		await setBlueprint(db, id, [{ ...(rows[0] ?? { areaId: 1, type: 'single', difficulty: 'easy', points: 100 }), count: 999 }]);
		const short = await samplePaper(db, id);
		expect(short.ok === false && short.problem === 'unfillable' && short.shortfall[0]?.row).toBe(0);
	});

	it('offers a make-up to the audience members who have not taken the test or did not pass it', async () => {
		const now = Date.UTC(2026, 11, 10);
		const passer = await makeMember(db, { unitId: tree.branchA, loginId: 'p1' });
		const failer = await makeMember(db, { unitId: tree.branchA, loginId: 'f1' });
		const absent = await makeMember(db, { unitId: tree.branchB, loginId: 'a1' });
		const outside = await makeMember(db, { unitId: tree.branchC, loginId: 'o1' });
		const rows = await sampleBlueprint(db, 1, 100);
		const examId = await makeExam(db, { actorId: committee, now, opensAt: now - 1000, closesAt: now + 86_400_000, blueprint: rows, passCents: 0, audience: { unitIds: [tree.general], roles: [], include: [], exclude: [] } });
		// Both submit; the failer's attempt is then marked failed, as a low score would leave it.
		const passerStart = await startAttempt(db, examId, passer, now);
		if (!passerStart.ok) throw new Error('start');
		await submitAttempt(db, passerStart.attemptId, 'member', now + 1000);
		const failerStart = await startAttempt(db, examId, failer, now);
		if (!failerStart.ok) throw new Error('start');
		await submitAttempt(db, failerStart.attemptId, 'member', now + 1000);
		await db.updateTable('attempt').set({ passed: 0 }).where('id', '=', failerStart.attemptId).execute();

		const made = await createMakeup(db, examId, { opensAt: now + 2 * 86_400_000, closesAt: now + 3 * 86_400_000, memberIds: [absent] }, committee);
		expect(made.ok).toBe(true);
		const candidates = await makeupCandidates(db, examId);
		expect(candidates.map((c) => [c.loginId, c.standing, c.inMakeup])).toEqual([
			['f1', 'failed', false],
			['a1', 'not_taken', true]
		]);
		expect(candidates.some((c) => c.id === outside)).toBe(false);
		expect((await getExam(db, examId))?.locked).toBe(true);
	});
});
