import { onMount } from 'svelte';
import { restoreKeptInput } from './kept-input';

/**
 * For a component whose markup changes once its script runs (spare rows dropped, an add button, a no-script
 * fallback replaced): `done` turns true as it mounts. What a person typed before the script arrived is put back
 * first (src/lib/kept-input.ts), while the server's markup is still there to take it: the component's own state
 * change redraws its blocks before the root layout's catch-all restore would run. `prepare` runs after the restore
 * and before the redraw, for what must change with the typed input in place (the blueprint drops its spare rows).
 * A page whose restored input needs set-up first (the test page's autosave) calls restoreKeptInput itself.
 */
export function hydration(prepare?: () => void): { readonly done: boolean } {
	let done = $state(false);
	onMount(() => {
		restoreKeptInput(document);
		prepare?.();
		done = true;
	});
	return {
		get done() {
			return done;
		}
	};
}
