import type { Db } from '../db';
import { castBallot } from '../evaluations/ballots';
import { addTargets, createCampaign, issueCodes, listCriteria, listGroups, listTargets, saveGroups, saveReport, startLive } from '../evaluations/campaigns';
import { releaseResults } from '../evaluations/results';
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

/**
 * A campaign as the committee would set it up (campaigns.ts): created with the 述学评学 defaults, the targets and
 * their reports, two rater groups (党员 by signing in, 教职工群众 by code), then the real run opened.
 */
async function createDemoCampaign(
	db: Db,
	ids: Ids,
	o: { title: string; year: number; opensAt: number; closesAt: number; targets: string[]; weighted: boolean; now: number }
) {
	const id = await createCampaign(
		db,
		ids.get('admin') ?? 0,
		{ title: o.title, year: o.year, kind: 'study_review', opensAt: o.opensAt, closesAt: o.closesAt, threshold: 5, commentsEnabled: true },
		o.now
	);
	await addTargets(
		db,
		id,
		o.targets.map((login) => ids.get(login) ?? 0)
	);
	for (const t of await listTargets(db, id)) {
		const text = reports[t.loginId];
		if (text) await saveReport(db, id, t.id, { text }, o.now);
	}
	await saveGroups(db, id, [
		{ id: null, name: '党员', weightPct: o.weighted ? 60 : null, membersRate: true, unitIds: [], roles: [] },
		{ id: null, name: '教职工群众', weightPct: o.weighted ? 40 : null, membersRate: false, unitIds: [], roles: [] }
	]);
	const started = await startLive(db, id, o.now);
	if (!started.ok) throw new Error(`demo campaign ${o.title}: ${started.problem}`);
	const targetIds = (await listTargets(db, id)).map((t) => t.id);
	const criteria = (await listCriteria(db, id)).map((c) => ({ id: c.id, levels: c.levels.length }));
	const groupIds = (await listGroups(db, id)).map((g) => g.id);
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
	const last = await createDemoCampaign(db, ids, {
		title: '2025年度领导干部述学评学',
		year: 2025,
		opensAt: lastOpens,
		closesAt: lastOpens + 14 * day,
		targets: ['1102', '1103', '1202', '1302', '1402'],
		weighted: true,
		now: lastOpens - day
	});
	const castAt = lastOpens + day;
	const issued = await issueCodes(db, last.id, last.groupIds[1] ?? 0, 15);
	const codes = issued.ok ? issued.codes : [];
	const voters = [...ids.keys()].filter((login) => /^1[1-4]0[3-9]$/.test(login)).slice(0, 18);
	for (const login of voters) {
		const r = await castBallot(db, last.id, { kind: 'member', memberId: ids.get(login) ?? 0 }, ballot(last, rand), castAt);
		if (r.ok) ballots++;
	}
	for (const code of codes.slice(0, 12)) {
		const r = await castBallot(db, last.id, { kind: 'code', code }, ballot(last, rand), castAt);
		if (r.ok) ballots++;
	}

	await releaseResults(db, last.id, lastOpens + 20 * day);

	// This year's, open for two more weeks; the 县教育局机关 members have rated.
	const current = await createDemoCampaign(db, ids, {
		title: '2026年度领导干部述学评学',
		year: 2026,
		opensAt: now - 3 * day,
		closesAt: now + 14 * day,
		targets: ['1102', '1103', '1202'],
		weighted: false,
		now: now - 5 * day
	});
	for (const login of ['1401', '1403', '1405', '1406', '1407', '1408']) {
		const r = await castBallot(db, current.id, { kind: 'member', memberId: ids.get(login) ?? 0 }, ballot(current, rand), now - day);
		if (r.ok) ballots++;
	}
	return { campaigns: 2, ballots };
}
