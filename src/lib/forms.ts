import { enhance as enhanceWithKit } from '$app/forms';
import { m } from '$lib/paraglide/messages';
import type { ActionResult, SubmitFunction } from '@sveltejs/kit';

const resultTypes = new Set(['success', 'failure', 'redirect', 'error']);

/**
 * SvelteKit's `enhance`, for every form of the product, with one difference: an answer that is not an action
 * result is said on the page. SvelteKit answers a form post it refuses as cross-site (the page's address does not
 * match the server's ORIGIN) with a bare `{ message }`, which its own `enhance` silently ignores: the button did
 * nothing and the page said nothing. Here the form gets an alert that says why, above its fields, which keep what
 * was typed; the page's own callback still runs, with an error result, so its busy state ends. Everything else is
 * SvelteKit's.
 */
export function enhance<Success extends Record<string, unknown> | undefined, Failure extends Record<string, unknown> | undefined>(
	form: HTMLFormElement,
	submit?: SubmitFunction<Success, Failure>
): { destroy(): void } {
	return enhanceWithKit<Success, Failure>(form, async (input) => {
		const after = await submit?.(input);
		return async (opts) => {
			const known = resultTypes.has((opts.result as { type?: unknown } | null)?.type as string);
			if (known) {
				clearRefusal(form);
				if (typeof after === 'function') await after(opts);
				else await opts.update();
				return;
			}
			const result = unreadable(opts.result);
			const update = async () => sayRefused(form, result.status === 403 ? m.error_cross_site() : m.error_generic());
			if (typeof after === 'function') await after({ ...opts, result, update });
			else await update();
		};
	});
}

/** An error result for an answer SvelteKit's client could not read as one. */
function unreadable(answer: unknown): ActionResult<never, never> & { type: 'error' } {
	const message = (answer as { message?: unknown } | null)?.message;
	// The exact words of SvelteKit's origin check (kit/src/runtime/server/respond.js), the one known source.
	if (typeof message === 'string' && message.startsWith('Cross-site ')) return { type: 'error', status: 403, error: { message: 'cross_site' } };
	return { type: 'error', status: 500, error: { message: 'unreadable' } };
}

const refusalClass = 'form-refused';

function sayRefused(form: HTMLFormElement, text: string): void {
	let note = form.querySelector<HTMLElement>(`:scope > .${refusalClass}`);
	if (!note) {
		note = document.createElement('p');
		note.className = `notice error ${refusalClass}`;
		note.setAttribute('role', 'alert');
		form.prepend(note);
	}
	note.textContent = text;
}

function clearRefusal(form: HTMLFormElement): void {
	form.querySelector(`:scope > .${refusalClass}`)?.remove();
}
