import type { Db } from '../db';
import type { EvaluationKind, EvaluationStatus, Role } from '../db/schema';
import { generateCodes } from '../evaluations/codes';
import { defaultCriteria, itemScale, leaderScale, type CriterionDraft } from '../evaluations/defaults';
import { makeMember, makeUnit } from './db';
import { snapshotEligible } from '../evaluations/eligibility';

// Test builders for evaluation campaigns. Only tests (and benchmarks) import this folder.

export type GroupDraft = { name: string; weightPct?: number | null; membersRate?: boolean; unitIds?: number[]; roles?: Role[] };

export type CampaignFixture = {
	id: number;
	targetIds: number[];
	criterionIds: number[];
	groupIds: number[];
	/** Plain codes per group id, when `codes` was asked for. */
	codes: Map<number, string[]>;
};

/**
 * A campaign with targets (member ids), criteria (the kind's defaults unless given), rater groups and, when the
 * status is trial or live, its eligible list fixed. Opens an hour ago and closes in a day unless told.
 */
export async function makeCampaign(
	db: Db,
	o: {
		targets: number[];
		groups?: GroupDraft[];
		criteria?: CriterionDraft[];
		kind?: EvaluationKind;
		status?: EvaluationStatus;
		threshold?: number;
		commentsEnabled?: boolean;
		weighted?: boolean;
		opensAt?: number;
		closesAt?: number;
		codes?: Record<number, number>;
		title?: string;
		now?: number;
	}
): Promise<CampaignFixture> {
	const now = o.now ?? Date.now();
	const kind = o.kind ?? 'study_review';
	const { id } = await db
		.insertInto('evaluation')
		.values({
			title: o.title ?? '2026年度述学评学',
			year: 2026,
			kind,
			status: o.status ?? 'live',
			opens_at: o.opensAt ?? now - 3600_000,
			closes_at: o.closesAt ?? now + 86_400_000,
			threshold: o.threshold ?? 5,
			comments_enabled: o.commentsEnabled === false ? 0 : 1,
			weighted: o.weighted ? 1 : 0,
			results_released_at: null,
			created_by: null,
			created_at: now,
			updated_at: now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const targetIds: number[] = [];
	for (const [position, memberId] of o.targets.entries()) {
		const t = await db.insertInto('evaluation_target').values({ evaluation_id: id, member_id: memberId, position, report_text: '' }).returning('id').executeTakeFirstOrThrow();
		targetIds.push(t.id);
	}
	const criterionIds: number[] = [];
	for (const [position, c] of (o.criteria ?? defaultCriteria(kind)).entries()) {
		const row = await db
			.insertInto('evaluation_criterion')
			.values({ evaluation_id: id, position, name: c.name, levels: JSON.stringify(c.levels), is_overall: c.isOverall ? 1 : 0 })
			.returning('id')
			.executeTakeFirstOrThrow();
		criterionIds.push(row.id);
	}
	const groupIds: number[] = [];
	for (const [position, g] of (o.groups ?? [{ name: '党员' }]).entries()) {
		const row = await db
			.insertInto('evaluation_group')
			.values({
				evaluation_id: id,
				position,
				name: g.name,
				weight_pct: g.weightPct ?? null,
				members_rate: g.membersRate === false ? 0 : 1,
				unit_ids: JSON.stringify(g.unitIds ?? []),
				roles: JSON.stringify(g.roles ?? [])
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		groupIds.push(row.id);
	}
	if ((o.status ?? 'live') !== 'draft') await snapshotEligible(db, id);
	const codes = new Map<number, string[]>();
	for (const [index, count] of Object.entries(o.codes ?? {})) {
		const groupId = groupIds[Number(index)];
		if (groupId === undefined) throw new Error(`no group at index ${index}`);
		codes.set(groupId, (await generateCodes(db, id, groupId, count)).codes);
	}
	return { id, targetIds, criterionIds, groupIds, codes };
}

/** A complete ballot rating every target on every criterion with `level` (or a level picked by `pick`). */
export function fullBallot(f: Pick<CampaignFixture, 'targetIds' | 'criterionIds'>, pick: number | ((targetId: number, criterionId: number) => number) = 0) {
	const ratings: Record<number, Record<number, number>> = {};
	for (const t of f.targetIds) {
		ratings[t] = {};
		for (const c of f.criterionIds) (ratings[t] as Record<number, number>)[c] = typeof pick === 'number' ? pick : pick(t, c);
	}
	return { ratings, comments: {} as Record<number, string> };
}

/** The criteria most results tests use: an overall rating on the leaders' scale and one item. */
export const overallAndItem: CriterionDraft[] = [
	{ name: '总体评价', levels: leaderScale, isOverall: true },
	{ name: '学习态度', levels: itemScale, isOverall: false }
];

/** Two leaders (校长甲, 书记乙) in a committee unit, and `raterCount` members of a branch (一支部) to rate them. */
export async function makeLeadersAndRaters(db: Db, raterCount: number): Promise<{ unitId: number; leaders: number[]; raters: number[] }> {
	const unitId = await makeUnit(db, { name: '一支部', kind: 'branch' });
	const leadersUnit = await makeUnit(db, { name: '党委', kind: 'committee' });
	const leaders = [await makeMember(db, { unitId: leadersUnit, isLeader: true, name: '校长甲' }), await makeMember(db, { unitId: leadersUnit, isLeader: true, name: '书记乙' })];
	const raters: number[] = [];
	for (let i = 0; i < raterCount; i++) raters.push(await makeMember(db, { unitId }));
	return { unitId, leaders, raters };
}
