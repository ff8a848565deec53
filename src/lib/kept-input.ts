// What a person types, ticks or chooses before the page's script has arrived survives hydration.
//
// Every page is served as HTML that works on its own, so on a slow phone connection a teacher can start filling
// a form (or answering a test question) before the JavaScript arrives. When it does, Svelte's hydration writes
// each `value={…}` and `checked={…}` back into the form controls, wiping what was typed with no sign that it
// happened (sveltejs/svelte#1755, sveltejs/kit#8895; only `bind:` directives keep the typed value). A form that
// was filled in would then be sent half empty; a test answer chosen before the script came would look unchosen.
//
// So, from the client's `init` (before hydration) until the root layout has mounted (after it), every control a
// person changed is remembered with its value; after hydration each is put back and announced with the `input`
// and `change` events a person's own typing would have fired, so the page's state, its autosave included,
// follows. Nothing is read from or sent anywhere: this only undoes hydration's overwrite.

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
type Kept = { value: string } | { checked: boolean } | { selected: boolean[] };

/** Input types whose value a person does not type: nothing to keep (a file input cannot be set at all). */
const notTyped = new Set(['hidden', 'file', 'submit', 'reset', 'button', 'image']);

const kept = new Map<Control, Kept>();
let keeping = false;

function asControl(target: EventTarget | null): Control | null {
	if (target instanceof HTMLInputElement) return notTyped.has(target.type) ? null : target;
	if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return target;
	return null;
}

function isToggle(control: Control): control is HTMLInputElement {
	return control instanceof HTMLInputElement && (control.type === 'checkbox' || control.type === 'radio');
}

function stateOf(control: Control): Kept {
	if (control instanceof HTMLSelectElement) return { selected: [...control.options].map((o) => o.selected) };
	if (isToggle(control)) return { checked: control.checked };
	return { value: control.value };
}

/** Whether the control differs from what the server's HTML said: a person changed it before any script ran. */
function changedFromHtml(control: Control): boolean {
	if (control instanceof HTMLSelectElement) return [...control.options].some((o) => o.selected !== o.defaultSelected);
	if (isToggle(control)) return control.checked !== control.defaultChecked;
	return control.value !== control.defaultValue;
}

function keep(control: Control) {
	// Checking a radio unchecks its group without an event: the one checked last is the group's answer.
	if (isToggle(control) && control.type === 'radio' && control.checked) {
		for (const other of kept.keys()) {
			if (other !== control && isToggle(other) && other.type === 'radio' && other.name === control.name && other.form === control.form) kept.delete(other);
		}
	}
	// Last changed, last put back.
	kept.delete(control);
	kept.set(control, stateOf(control));
}

function remember(event: Event) {
	const control = asControl(event.target);
	if (control) keep(control);
}

/** Called from the client's `init`, before hydration: starts remembering what a person changes. */
export function keepInputUntilHydrated(doc: Document) {
	if (keeping) return;
	keeping = true;
	for (const element of doc.querySelectorAll('input, textarea, select')) {
		const control = asControl(element);
		if (control && changedFromHtml(control)) keep(control);
	}
	doc.addEventListener('input', remember, true);
	doc.addEventListener('change', remember, true);
}

/** Puts back what hydration overwrote; false when hydration left it as it was. */
function putBack(control: Control, state: Kept): boolean {
	if ('selected' in state) {
		const options = [...(control as HTMLSelectElement).options];
		if (options.length !== state.selected.length || options.every((o, i) => o.selected === state.selected[i])) return false;
		options.forEach((o, i) => (o.selected = state.selected[i] ?? false));
		return true;
	}
	if ('checked' in state) {
		const toggle = control as HTMLInputElement;
		if (toggle.checked === state.checked) return false;
		toggle.checked = state.checked;
		return true;
	}
	if (control.value === state.value) return false;
	control.value = state.value;
	return true;
}

/**
 * Called once the root layout has mounted, after hydration: puts back what was changed and stops remembering. A
 * page that replaces its server-rendered form as it mounts (the test page) calls it first, while that form is
 * still there; later calls do nothing.
 */
export function restoreKeptInput(doc: Document) {
	if (!keeping) return;
	keeping = false;
	doc.removeEventListener('input', remember, true);
	doc.removeEventListener('change', remember, true);
	for (const [control, state] of kept) {
		// A control hydration removed (a spare row, a no-script fallback) has nothing to go back to.
		if (!control.isConnected || !putBack(control, state)) continue;
		control.dispatchEvent(new Event('input', { bubbles: true }));
		control.dispatchEvent(new Event('change', { bubbles: true }));
	}
	kept.clear();
}
