import { applyAction, enhance as enhanceWithKit } from '$app/forms';
import type { ActionResult, SubmitFunction } from '@sveltejs/kit';

const resultTypes = new Set(['success', 'failure', 'redirect', 'error']);

/**
 * SvelteKit's `enhance`, for every form of the product, with one difference: an answer that is not an action
 * result still ends as one. SvelteKit answers a form post it refuses as cross-site (the page's address does not
 * match the server's ORIGIN) with a bare `{ message }`, which its own `enhance` silently ignores: the button did
 * nothing and the page said nothing. Here it becomes an error result, shown on the error page like any other
 * failed action (`+error.svelte` explains a refused cross-site post). Everything else is SvelteKit's.
 */
export function enhance<Success extends Record<string, unknown> | undefined, Failure extends Record<string, unknown> | undefined>(
	form: HTMLFormElement,
	submit?: SubmitFunction<Success, Failure>
): { destroy(): void } {
	return enhanceWithKit<Success, Failure>(form, async (input) => {
		const after = await submit?.(input);
		return async (opts) => {
			const known = resultTypes.has((opts.result as { type?: unknown } | null)?.type as string);
			const result: ActionResult<Success, Failure> = known ? opts.result : unreadable(opts.result);
			const update = known ? opts.update : () => applyAction(result);
			if (typeof after === 'function') await after({ ...opts, result, update });
			else await update();
		};
	});
}

/** An error result for an answer SvelteKit's client could not read as one. */
function unreadable(answer: unknown): ActionResult<never, never> {
	const message = (answer as { message?: unknown } | null)?.message;
	// The exact words of SvelteKit's origin check (kit/src/runtime/server/respond.js), the one known source.
	if (typeof message === 'string' && message.startsWith('Cross-site ')) return { type: 'error', status: 403, error: { message: 'cross_site' } };
	return { type: 'error', status: 500, error: { message: 'unreadable' } };
}
