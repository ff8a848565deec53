import type { Db } from '../db';
import type { Report } from '$lib/analytics/report';
import type { UnitChoice } from '$lib/analytics/units';
import { quarterIndex } from '$lib/analytics/mastery';
import { testDistribution } from './distribution';
import { areaMastery } from './mastery';
import { scoreTrends, shownQuarters } from './trends';

// 学习情况通报: the committee's (or a secretary's) quarterly report on one unit and one quarter, for print on A4
// (seed 001 五: 适时对学习情况进行通报). It is the dashboards' own numbers put together: the quarter against the
// trend of the last two years, the units below compared, content areas weakest first, the score distribution.
// It names units, never members: a 通报 is read out and filed, and DESIGN.md rules out public rankings of people.

/** The report of the chosen unit for `raw` quarter (default: the latest whose tests have all closed); undefined for a quarter not shown. */
export async function quarterReport(db: Db, choice: UnitChoice, raw: string | null, now = Date.now()): Promise<Report | undefined> {
	const unitIds = choice.chosen.unitIds;
	const [trends, mastery, { tests }] = await Promise.all([scoreTrends(db, [unitIds], now), areaMastery(db, [unitIds], now), shownQuarters(db, now)]);
	if (trends.quarters.length === 0) return { quarter: null, quarterIndex: -1, trends, mastery, tests: [], generatedAt: now };
	const index = quarterIndex(trends.quarters, raw);
	if (index < 0) return undefined;
	const quarter = trends.quarters[index]?.quarter as string;
	const distributions = [];
	for (const t of tests.filter((t) => t.quarter === quarter)) {
		const d = await testDistribution(db, t.id, choice.chosen, now);
		if (d) distributions.push(d);
	}
	return { quarter, quarterIndex: index, trends, mastery, tests: distributions, generatedAt: now };
}
