import type { ClientInit } from '@sveltejs/kit';
import { keepInputUntilHydrated } from '$lib/kept-input';

// Runs before hydration; the root layout puts back what hydration overwrote (src/lib/kept-input.ts).
export const init: ClientInit = () => {
	keepInputUntilHydrated(document);
};
