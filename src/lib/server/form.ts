// Reading form fields without trusting them: a missing or non-text field reads as the empty string.

export function text(form: FormData, name: string, maxLength = 1000): string {
	const value = form.get(name);
	return typeof value === 'string' ? value.trim().slice(0, maxLength) : '';
}

/** Passwords are taken as typed (no trimming), capped so nobody can make us hash a megabyte. */
export function secret(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value.slice(0, 1024) : '';
}

export function integer(form: FormData, name: string): number | null {
	const value = text(form, name);
	return /^\d{1,9}$/.test(value) ? Number(value) : null;
}

export function checked(form: FormData, name: string): boolean {
	return form.get(name) !== null;
}

/** A redirect target from a form or query: a path on this site or nothing. */
export function safePath(value: string | null | undefined, fallback = '/'): string {
	if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
	return value;
}

/** Route parameter to an id, or null for anything that is not a plain positive integer. */
export function idParam(value: string): number | null {
	return /^[1-9]\d{0,8}$/.test(value) ? Number(value) : null;
}
