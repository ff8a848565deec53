import { error } from '@sveltejs/kit';

// Small helpers the results routes share: ids from the URL. Anything that is not a whole positive number is
// answered like an unknown campaign (404), never with a crash.

export function idParam(value: string | null | undefined): number {
	const id = /^\d{1,12}$/.test(value ?? '') ? Number(value) : NaN;
	if (!Number.isSafeInteger(id) || id <= 0) error(404, 'not_found');
	return id;
}

/** `?group=<id>`: a rater group to filter on, or null for the whole campaign (also for an empty value). */
export function groupParam(url: URL): number | null {
	const value = url.searchParams.get('group');
	if (value === null || value === '') return null;
	return idParam(value);
}
