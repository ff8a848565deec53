import { describe, expect, it } from 'vitest';
import { freshDatabase } from '../testing/db';
import { seedDemo } from './seed';
import { seedDemoEvaluations } from './evaluations';

describe('seedDemoEvaluations', () => {
	it('creates last year closed with ballots over the threshold and this year open, rated only by 14xx members', async () => {
		const { db } = await freshDatabase();
		await seedDemo(db, 'demo-password-for-tests');
		const now = Date.UTC(2026, 10, 30, 4);
		const result = await seedDemoEvaluations(db, now);
		const campaigns = await db.selectFrom('evaluation').selectAll().orderBy('year').execute();
		expect(campaigns.map((c) => [c.year, c.status])).toEqual([
			[2025, 'live'],
			[2026, 'live']
		]);
		expect(campaigns[0]!.closes_at).toBeLessThan(now);
		expect(campaigns[1]!.opens_at).toBeLessThan(now);
		expect(campaigns[1]!.closes_at).toBeGreaterThan(now);
		const counts = await db.selectFrom('evaluation_ballot').select(['evaluation_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('evaluation_id').execute();
		const byCampaign = new Map(counts.map((c) => [c.evaluation_id, Number(c.n)]));
		expect(byCampaign.get(campaigns[0]!.id)).toBe(30);
		expect(byCampaign.get(campaigns[1]!.id)).toBe(6);
		expect(result.ballots).toBe(36);
		const rated = await db
			.selectFrom('evaluation_participation')
			.innerJoin('member', 'member.id', 'evaluation_participation.member_id')
			.select('member.login_id')
			.where('evaluation_id', '=', campaigns[1]!.id)
			.execute();
		expect(rated.every((r) => r.login_id.startsWith('14'))).toBe(true);
	});
});
