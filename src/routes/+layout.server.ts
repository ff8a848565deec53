import type { LayoutServerLoad } from './$types';

// Only what the header needs; each page's own load checks access for itself.
export const load: LayoutServerLoad = ({ locals }) => ({
	viewer: locals.member
		? { name: locals.member.name, roles: locals.member.roles, mustChangePassword: locals.member.mustChangePassword }
		: null
});
