import type { EvaluationKind, Level } from './types';

// The default forms (DESIGN.md section 5, from the Yanqing plan's 无记名测评表 and a published 述学评学考学 rule).
// Everything here is editable per campaign until the first real ballot is in.

const scale = (labels: string[], scores: number[]): Level[] => labels.map((label, i) => ({ label, score: scores[i] ?? 0 }));

/** 好 / 较好 / 一般 / 差, scored 1 / 0.8 / 0.6 / 0.4 (the 述学评学 summary rule). */
export const itemScale = scale(['好', '较好', '一般', '差'], [1, 0.8, 0.6, 0.4]);
/** 优秀 / 称职 / 基本称职 / 不称职 for leaders. */
export const leaderScale = scale(['优秀', '称职', '基本称职', '不称职'], [1, 0.8, 0.6, 0.4]);
/** 优秀 / 合格 / 基本合格 / 不合格 for 民主评议党员. */
export const memberScale = scale(['优秀', '合格', '基本合格', '不合格'], [1, 0.8, 0.6, 0.4]);
/** 好 / 一般 / 差 for the items of 民主评议党员. */
export const shortScale = scale(['好', '一般', '差'], [1, 0.6, 0.2]);

export type CriterionDraft = { name: string; levels: Level[]; isOverall: boolean };

export function defaultCriteria(kind: EvaluationKind): CriterionDraft[] {
	switch (kind) {
		case 'study_review':
			return [
				{ name: '总体评价', levels: leaderScale, isOverall: true },
				...['学习态度', '理论素养', '制度执行', '学习成果', '学用结合', '示范带头', '推动学习型组织建设'].map((name) => ({ name, levels: itemScale, isOverall: false }))
			];
		case 'member_review':
			return [
				{ name: '总体评价', levels: memberScale, isOverall: true },
				...['理想信念', '政治理论素质', '组织纪律', '廉洁自律', '联系服务群众', '模范作用'].map((name) => ({ name, levels: shortScale, isOverall: false }))
			];
		case 'custom':
			return [{ name: '总体评价', levels: leaderScale, isOverall: true }];
	}
}

/** The usual rater groups of a school's 述学评学 meeting. */
export const defaultGroupNames = ['班子成员', '中层干部', '党员', '教职工群众'];

/** Threshold default and floor (the issue: default 5, never below 3). */
export const defaultThreshold = 5;
export const minThreshold = 3;
