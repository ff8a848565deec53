import { idParam } from '../form';
import { resultsSorts, type ResultsFilter, type ResultsSort } from './results';

/** The results page's filter from its query string (unit=<id>&sort=<sort>); anything unknown is ignored. */
export function resultsFilterFromQuery(params: URLSearchParams): ResultsFilter & { sort: ResultsSort } {
	const unit = idParam(params.get('unit') ?? '');
	const sort = params.get('sort') ?? '';
	return { ...(unit === null ? {} : { unitId: unit }), sort: (resultsSorts as string[]).includes(sort) ? (sort as ResultsSort) : 'unit' };
}
