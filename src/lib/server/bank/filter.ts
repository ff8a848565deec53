import type { QuestionFilter } from './questions';
import { difficulties, questionTypes, type Difficulty, type QuestionStatus, type QuestionType } from './types';

export const bankPageSize = 50;

/** The bank list's filters from a URL query; anything unknown is ignored rather than an error. */
export function questionFilterFromQuery(params: URLSearchParams, today: string): QuestionFilter & { page: number } {
	const int = (name: string) => {
		const v = params.get(name) ?? '';
		return /^\d{1,9}$/.test(v) ? Number(v) : undefined;
	};
	const type = params.get('type') as QuestionType;
	const difficulty = params.get('difficulty') as Difficulty;
	const status = params.get('status') as QuestionStatus;
	const document = params.get('doc') ?? '';
	const page = Math.max(1, int('page') ?? 1);
	return {
		query: (params.get('q') ?? '').slice(0, 100),
		areaId: int('area'),
		type: questionTypes.includes(type) ? type : undefined,
		difficulty: difficulties.includes(difficulty) ? difficulty : undefined,
		status: ['draft', 'active', 'retired'].includes(status) ? status : undefined,
		document: /^[\w.-]{1,20}$/.test(document) ? document : undefined,
		// "Due for review": the review-by date has come.
		dueBy: params.get('due') === '1' ? today : undefined,
		limit: bankPageSize,
		offset: (page - 1) * bankPageSize,
		page
	};
}

/** Today's date in the organization's time zone (DESIGN.md section 6), as YYYY-MM-DD. */
export function todayIn(timeZone: string, now = new Date()): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
