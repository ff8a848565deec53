// What every response and every JSON endpoint keeps, whichever layer answers: hooks.server.ts for SvelteKit,
// and exams/autosave-listener.ts for the autosave POST it takes before SvelteKit.

/** On every response. Pages and API answers also get `cache-control: no-store` (they show personal data). */
export const securityHeaders = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin' } as const;

/**
 * Whether a body's Content-Type is JSON. Endpoints under /api/ that change something take nothing else, which a
 * cross-site form cannot send, so they need no CSRF token.
 */
export function isJsonContentType(header: string | null | undefined): boolean {
	return header?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

export const jsonOnlyRefusal = { status: 415, body: { message: 'Content-Type must be application/json' } } as const;
