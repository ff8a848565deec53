import { error } from '@sveltejs/kit';
import type { Db } from '../db';
import { idParam } from '../form';
import type { Scope } from '../org/scope';
import type { TestDistribution, TestListRow, UnitResultRow } from '$lib/analytics/distribution';
import { binOf, binCount } from '$lib/analytics/distribution';
import { countedTests, percent, settleExpired } from './counted';
import { expectedCounts } from './expected';
import { rate, scoreGroups, summarize, sumOver, unitScoreGroups, type ScoreGroup } from './score-groups';
import { childUnits, unitChoiceOrError } from './unit-choice';

// One test's analysis (测试分析): its counted tests listed with their headline numbers, and for one test the
// histogram of percent scores with the pass mark, and the units below the chosen one compared.

/** Counted tests that have opened, newest first, with takers, mean and pass rate of the given units (undefined = everyone). */
export async function testList(db: Db, unitIds: number[] | undefined, now = Date.now()): Promise<TestListRow[]> {
	const tests = (await countedTests(db)).filter((t) => t.opensAt <= now);
	const groups = await scoreGroups(db, [...new Set(tests.map((t) => t.quarter))], unitIds);
	const byExam = new Map<number, ScoreGroup[]>();
	for (const g of groups) {
		const list = byExam.get(g.examId);
		if (list) list.push(g);
		else byExam.set(g.examId, [g]);
	}
	return tests
		.map((t) => {
			const s = summarize(byExam.get(t.id) ?? []);
			return { id: t.id, title: t.title, quarter: t.quarter, open: t.closesAt > now, takers: s.takers, mean: s.mean, passRate: s.passRate };
		})
		.reverse();
}

/** The published quarterly test behind an id, or undefined (unknown, draft, practice). */
export async function countedTest(db: Db, examId: number) {
	return db.selectFrom('exam').selectAll().where('id', '=', examId).where('kind', '=', 'quarterly').where('status', '=', 'published').executeTakeFirst();
}

/**
 * The histogram and summary of the chosen units (`unitIds` undefined = everyone), and the comparison of the units
 * directly below the chosen one (`chosenId` null = the whole organization), for a counted test.
 */
export async function testDistribution(db: Db, examId: number, chosen: { id: number | null; unitIds?: number[] }, now = Date.now()): Promise<TestDistribution | undefined> {
	const exam = await countedTest(db, examId);
	if (!exam) return undefined;
	const total = await db
		.selectFrom('exam_blueprint_row')
		.select((eb) => eb.fn.sum<number>(eb('count', '*', eb.ref('points_cents'))).as('cents'))
		.where('exam_id', '=', examId)
		.executeTakeFirst();
	const totalCents = Number(total?.cents ?? 0);
	const [examGroups, expected, children] = await Promise.all([unitScoreGroups(db, examId, exam.quarter), expectedCounts(db, [examId]), childUnits(db, chosen.id)]);
	const expectedByUnit = expected.get(examId);
	const inChosen = chosen.unitIds ? new Set(chosen.unitIds) : undefined;
	const groups = examGroups.filter((g) => !inChosen || inChosen.has(g.unitId));

	const bins = Array<number>(binCount).fill(0);
	for (const g of groups) {
		const p = percent(g.scoreCents, g.maxCents);
		if (p !== null) bins[binOf(p)] = (bins[binOf(p)] ?? 0) + g.n;
	}
	const summary = summarize(groups);
	const expectedCount = sumOver(expectedByUnit, inChosen);

	const row = (id: number, name: string, unitIds: number[], direct: boolean): UnitResultRow => {
		const set = new Set(unitIds);
		const s = summarize(examGroups.filter((g) => set.has(g.unitId)));
		const exp = sumOver(expectedByUnit, set);
		return { id, name, direct, expected: exp, ...s, participation: rate(s.takers, exp) };
	};
	const units = [
		// The chosen unit's own members (a 党委's office staff) are a row of their own beside its children.
		...(children.parent ? [row(children.parent.id, children.parent.name, [children.parent.id], true)] : []),
		...children.units.map((c) => row(c.id, c.name, c.unitIds, false))
	].filter((r) => r.expected > 0 || r.takers > 0);

	return {
		test: {
			id: exam.id,
			title: exam.title,
			quarter: exam.quarter,
			open: exam.closes_at > now,
			passCents: exam.pass_cents,
			totalCents,
			passPercent: percent(exam.pass_cents, totalCents)
		},
		summary: { ...summary, expected: expectedCount, participation: rate(summary.takers, expectedCount) },
		bins,
		units
	};
}

/**
 * A test page's and its export's data for `/dashboard/tests/[examId]?unit=`: 404 for an id that is not a counted
 * test, 403/404 for the unit as on the other dashboards.
 */
export async function distributionFromUrl(db: Db, scope: Scope, viewer: { unitId: number }, rawExamId: string, url: URL) {
	const examId = idParam(rawExamId);
	if (examId === null) error(404, 'not_found');
	const choice = await unitChoiceOrError(db, scope, viewer, url);
	await settleExpired(db);
	const distribution = await testDistribution(db, examId, choice.chosen);
	if (!distribution) error(404, 'not_found');
	return { choice, distribution };
}
