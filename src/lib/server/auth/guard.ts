import { error, redirect } from '@sveltejs/kit';
import { getRequestEvent } from '$app/server';
import type { Role } from '../db/schema';
import { db } from '../db/instance';
import { managementScope, type Scope } from '../org/scope';
import type { SessionMember } from './session';

// Authorization helpers called at the top of every load, action and endpoint. Layouts are not a boundary:
// a form post or a data request skips them, so each server file asks for itself.

/** The signed-in member; anyone else is sent to sign in and brought back afterwards. */
export function requireMember(): SessionMember {
	const { locals, url } = getRequestEvent();
	if (!locals.member) {
		const next = url.pathname + url.search;
		redirect(303, `/login?next=${encodeURIComponent(next)}`);
	}
	// A member who must change their password may do that and sign out, nothing else.
	if (locals.member.mustChangePassword && url.pathname !== '/account/password' && url.pathname !== '/logout') {
		redirect(303, '/account/password');
	}
	return locals.member;
}

export function requireRole(...roles: Role[]): SessionMember {
	const member = requireMember();
	if (!roles.some((role) => member.roles.includes(role))) error(403, 'forbidden');
	return member;
}

/** A secretary or the committee, with the part of the organization they manage. */
export async function requireManager(): Promise<{ member: SessionMember; scope: Scope }> {
	const member = requireRole('secretary', 'committee');
	return { member, scope: await managementScope(db(), member) };
}
