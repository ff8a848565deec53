import { error } from '@sveltejs/kit';

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

/**
 * A redirect target from a form or query: a path on this site or the fallback. Browsers drop tabs and line
 * breaks and read `\` as `/` when they resolve a URL, so `/\t/evil.example` would leave the site; the value
 * is resolved the way a browser would and kept only if it stays on the same origin.
 */
export function safePath(value: string | null | undefined, fallback = '/'): string {
	if (!value || !value.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
	try {
		const base = 'http://kaoping.invalid';
		const url = new URL(value, base);
		return url.origin === base ? url.pathname + url.search + url.hash : fallback;
	} catch {
		return fallback;
	}
}

/**
 * The request's form data, or a 400 when the body is not form data at all. SvelteKit checks an action's
 * content type but not its body, and a malformed multipart body must not become a 500.
 */
export async function readForm(request: Request): Promise<FormData> {
	try {
		return await request.formData();
	} catch (e) {
		// Too large a body is its own answer (adapter-node's BODY_SIZE_LIMIT).
		if (e instanceof Error && /exceeds limit|too large/i.test(e.message)) error(413, 'too_large');
		error(400, 'bad_form');
	}
}

/** Route parameter to an id, or null for anything that is not a plain positive integer. */
export function idParam(value: string): number | null {
	return /^[1-9]\d{0,8}$/.test(value) ? Number(value) : null;
}
