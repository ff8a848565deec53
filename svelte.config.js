import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// SvelteKit's origin check stays on (the default; no trustedOrigins): form posts from another origin get 403.
		// Content-Security-Policy as a header on every server-rendered page. SvelteKit adds the hashes or
		// nonces of its own inline scripts, so no 'unsafe-inline' is needed for scripts. Style sheets come only
		// from our compiled CSS files; style *attributes* are allowed because SvelteKit's route announcer (the
		// screen-reader live region) hides itself with one. Attribute styles cannot run script.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self'],
				'style-src-attr': ['unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'form-action': ['self'],
				'object-src': ['none'],
				'base-uri': ['none'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
