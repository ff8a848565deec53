import type { MemberStatus, Role } from '../db/schema';
import type { MemberFilter } from './members';

/** The member list's filters from a URL's query, ignoring anything that is not a known value. */
export function memberFilterFromQuery(params: URLSearchParams): MemberFilter {
	const unit = params.get('unit') ?? '';
	const role = params.get('role') ?? '';
	const status = params.get('status') ?? '';
	return {
		query: (params.get('q') ?? '').slice(0, 100),
		unitId: /^\d{1,9}$/.test(unit) ? Number(unit) : undefined,
		role: ['member', 'secretary', 'committee'].includes(role) ? (role as Role) : undefined,
		status: ['active', 'disabled'].includes(status) ? (status as MemberStatus) : undefined,
		leadersOnly: params.get('leaders') === '1',
		neverSignedIn: params.get('signin') === 'never'
	};
}
