import type { Db } from '../db';
import { castBallot } from '../evaluations/ballots';
import { generateCodes } from '../evaluations/codes';
import { defaultCriteria } from '../evaluations/defaults';
import { snapshotEligible } from '../evaluations/eligibility';
import { parseLevels } from '../evaluations/ballots';
import { random } from './exams';

// Demo evaluation campaigns: last year's 述学评学, closed, with ballots from members and from codes and results
// released to the leaders; and this year's, open now, that a few 县教育局机关 members have already rated (so its
// results pass the threshold of 5). The demo's codes are used up or thrown away: a code exists in plain text only
// on the slips printed when it is made, and the demo prints none.

const day = 24 * 60 * 60 * 1000;

const reports: Record<string, string> = {
	'1102':
		'一年来，本人坚持把理论学习摆在首位，全年参加党委理论学习中心组集中学习12次，撰写学习心得6篇。\n\n- 通读《习近平谈治国理政》第四卷等必读书目\n- 围绕“双减”背景下的课堂改革开展专题调研 1 次\n\n**存在问题**：联系学校实际不够紧，下一步将结合教研工作深化学用结合。',
	'1103':
		'本人认真履行党总支书记第一责任人职责，带头讲党课 2 次，组织支部“三会一课”和主题党日活动。\n\n**整改措施**：进一步完善学习制度，推动学习型党组织建设。',
	'1202': '本人按照学习计划参加集中培训和专题研讨，完成学习笔记 1 万余字。'
};

type Ids = Map<string, number>;

async function memberIds(db: Db): Promise<Ids> {
	const rows = await db.selectFrom('member').select(['id', 'login_id']).execute();
	return new Map(rows.map((r) => [r.login_id, r.id]));
}

async function createCampaign(
	db: Db,
	ids: Ids,
	o: { title: string; year: number; opensAt: number; closesAt: number; targets: string[]; weighted: boolean; released: number | null; now: number }
) {
	const { id } = await db
		.insertInto('evaluation')
		.values({
			title: o.title,
			year: o.year,
			kind: 'study_review',
			status: 'live',
			opens_at: o.opensAt,
			closes_at: o.closesAt,
			threshold: 5,
			comments_enabled: 1,
			weighted: o.weighted ? 1 : 0,
			results_released_at: o.released,
			created_by: ids.get('admin') ?? null,
			created_at: o.now,
			updated_at: o.now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const targetIds: number[] = [];
	for (const [position, login] of o.targets.entries()) {
		const row = await db
			.insertInto('evaluation_target')
			.values({ evaluation_id: id, member_id: ids.get(login) ?? 0, position, report_text: reports[login] ?? '' })
			.returning('id')
			.executeTakeFirstOrThrow();
		targetIds.push(row.id);
	}
	const criteria: { id: number; levels: number }[] = [];
	for (const [position, c] of defaultCriteria('study_review').entries()) {
		const row = await db
			.insertInto('evaluation_criterion')
			.values({ evaluation_id: id, position, name: c.name, levels: JSON.stringify(c.levels), is_overall: c.isOverall ? 1 : 0 })
			.returning(['id', 'levels'])
			.executeTakeFirstOrThrow();
		criteria.push({ id: row.id, levels: parseLevels(row.levels).length });
	}
	const groups = [
		{ name: '党员', weight: 60, membersRate: 1 },
		{ name: '教职工群众', weight: 40, membersRate: 0 }
	];
	const groupIds: number[] = [];
	for (const [position, g] of groups.entries()) {
		const row = await db
			.insertInto('evaluation_group')
			.values({ evaluation_id: id, position, name: g.name, weight_pct: o.weighted ? g.weight : null, members_rate: g.membersRate, unit_ids: '[]', roles: '[]' })
			.returning('id')
			.executeTakeFirstOrThrow();
		groupIds.push(row.id);
	}
	await snapshotEligible(db, id);
	return { id, targetIds, criteria, groupIds };
}

/** A plausible ballot: mostly the top two levels, sometimes lower; now and then a comment. */
function ballot(c: { targetIds: number[]; criteria: { id: number; levels: number }[] }, rand: () => number) {
	const ratings: Record<number, Record<number, number>> = {};
	const comments: Record<number, string> = {};
	for (const t of c.targetIds) {
		const bias = rand();
		ratings[t] = {};
		for (const k of c.criteria) {
			const r = rand();
			(ratings[t] as Record<number, number>)[k.id] = Math.min(k.levels - 1, r < 0.45 + bias * 0.2 ? 0 : r < 0.85 ? 1 : r < 0.97 ? 2 : 3);
		}
		if (rand() < 0.15) comments[t] = ['学习笔记扎实，带头作用明显。', '希望多结合教学实际开展调研。', '中心组发言有深度。'][Math.floor(rand() * 3)] as string;
	}
	return { ratings, comments };
}

export async function seedDemoEvaluations(db: Db, now = Date.now()): Promise<{ campaigns: number; ballots: number }> {
	const ids = await memberIds(db);
	const rand = random(2025);
	let ballots = 0;

	// Last year's, closed a year ago, results released.
	const lastOpens = now - 365 * day;
	const last = await createCampaign(db, ids, {
		title: '2025年度领导干部述学评学',
		year: 2025,
		opensAt: lastOpens,
		closesAt: lastOpens + 14 * day,
		targets: ['1102', '1103', '1202', '1302', '1402'],
		weighted: true,
		released: lastOpens + 20 * day,
		now: lastOpens - day
	});
	const castAt = lastOpens + day;
	const voters = [...ids.keys()].filter((login) => /^1[1-4]0[3-9]$/.test(login)).slice(0, 18);
	for (const login of voters) {
		const r = await castBallot(db, last.id, { kind: 'member', memberId: ids.get(login) ?? 0 }, ballot(last, rand), castAt);
		if (r.ok) ballots++;
	}
	const { codes } = await generateCodes(db, last.id, last.groupIds[1] ?? 0, 15);
	for (const code of codes.slice(0, 12)) {
		const r = await castBallot(db, last.id, { kind: 'code', code }, ballot(last, rand), castAt);
		if (r.ok) ballots++;
	}

	// This year's, open for two more weeks; the 县教育局机关 members have rated.
	const current = await createCampaign(db, ids, {
		title: '2026年度领导干部述学评学',
		year: 2026,
		opensAt: now - 3 * day,
		closesAt: now + 14 * day,
		targets: ['1102', '1103', '1202'],
		weighted: false,
		released: null,
		now: now - 5 * day
	});
	for (const login of ['1401', '1403', '1405', '1406', '1407', '1408']) {
		const r = await castBallot(db, current.id, { kind: 'member', memberId: ids.get(login) ?? 0 }, ballot(current, rand), now - day);
		if (r.ok) ballots++;
	}
	return { campaigns: 2, ballots };
}
