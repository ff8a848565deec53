import type { Role } from '../db/schema';
import { checked, integer, text } from '../form';
import type { MemberInput } from './members';

/**
 * A member form post to a MemberInput. Roles a secretary cannot grant arrive as disabled checkboxes, which
 * browsers do not send, so for them the member's existing roles are kept and any other value is refused
 * by the domain check.
 */
export function memberInputFromForm(form: FormData, keepRoles?: Role[]): MemberInput {
	const posted = form.getAll('roles').filter((r): r is Role => r === 'secretary' || r === 'committee');
	return {
		loginId: text(form, 'loginId', 200),
		name: text(form, 'name', 200),
		unitId: integer(form, 'unitId') ?? 0,
		positionTitle: text(form, 'positionTitle', 200),
		isLeader: checked(form, 'isLeader'),
		roles: keepRoles && posted.length === 0 ? keepRoles : ['member', ...posted]
	};
}
