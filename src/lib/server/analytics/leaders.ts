import type { Db } from '../db';
import { campaignResults, leaderRow, type LeaderCampaignRow } from '../evaluations/results';
import { unitTree } from '../org/units';

// Evaluation results over the years for each leader (领导测评), for the committee. Nothing here computes a figure:
// each campaign is read once through evaluations/results.ts `campaignResults` (the threshold, no-subtraction and
// weighted-score rules) and each target's row is `leaderRow`, the same row a leader's own page
// (/campaigns/leaders/[memberId], `leaderHistory`) shows. So this page never shows what those pages withhold.
//
// - Campaigns: as leaderHistory, those whose real run has started (status live); a campaign still open is
//   'open', its rows carry no figure (campaignResults refuses them) and the page says so; draft and trial runs
//   are not results.
// - Leaders: active members marked as leaders (被测评人), and anyone who was a target of such a campaign (a leader
//   since retired keeps their history), in unit order.

export type LeaderOverview = {
	memberId: number;
	name: string;
	positionTitle: string;
	unitPath: string;
	/** Oldest campaign first (the chart reads left to right). */
	rows: LeaderCampaignRow[];
};

export async function leadersOverview(db: Db, now = Date.now()): Promise<LeaderOverview[]> {
	const campaigns = await db.selectFrom('evaluation').select('id').where('status', '=', 'live').orderBy('year').orderBy('opens_at').orderBy('id').execute();
	const rowsOf = new Map<number, LeaderCampaignRow[]>();
	for (const c of campaigns) {
		// One read per campaign for all its targets (leaderHistory reads per target; the rows are the same).
		const r = await campaignResults(db, c.id, { now });
		if (!r) continue;
		for (const t of r.targets) rowsOf.set(t.memberId, [...(rowsOf.get(t.memberId) ?? []), leaderRow(r, t)]);
	}
	const members = await db
		.selectFrom('member')
		.select(['id', 'name', 'login_id', 'position_title', 'unit_id'])
		.where((eb) => eb.or([eb.and([eb('is_leader', '=', 1), eb('status', '=', 'active')]), eb('id', 'in', rowsOf.size ? [...rowsOf.keys()] : [0])]))
		.execute();
	const tree = await unitTree(db, { includeArchived: true });
	const order = new Map(tree.map((u, i) => [u.id, i]));
	const paths = new Map(tree.map((u) => [u.id, u.path]));
	return members
		.sort((a, b) => (order.get(a.unit_id) ?? 0) - (order.get(b.unit_id) ?? 0) || a.login_id.localeCompare(b.login_id))
		.map((m) => ({ memberId: m.id, name: m.name, positionTitle: m.position_title, unitPath: paths.get(m.unit_id) ?? '', rows: rowsOf.get(m.id) ?? [] }));
}
