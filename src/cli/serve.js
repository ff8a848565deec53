// npm run serve — the built server (adapter-node) with this product's defaults.
// Question files may be 10 MB, and the import preview carries the file back to confirm it (base64, a third
// larger), so request bodies up to 16 MB are accepted unless BODY_SIZE_LIMIT says otherwise.
process.env.BODY_SIZE_LIMIT ??= '16M';
// A computed specifier, so the type checker does not wander into the generated build.
const entry = new URL('../../build/index.js', import.meta.url).href;
/** @type {{ server: { server: import('node:http').Server, attach: (request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => void } }} */
const { server } = await import(entry);

// The autosave POST is answered before SvelteKit (src/lib/server/exams/autosave-listener.ts says why). The
// server's hooks left the listener here while the build started (its init runs before the import resolves, and
// no request is read before this module goes on). adapter-node's own request counter, which graceful shutdown
// waits on, stays as it is; only polka's listener, SvelteKit's way in, moves behind ours.
const autosave = /** @type {Record<symbol, unknown>} */ (globalThis)[Symbol.for('kaoping.autosaveListener')];
if (typeof autosave !== 'function') throw new Error('kaoping: the build did not register its autosave listener');
const kit = server.attach;
// Were polka's listener ever wrapped by a newer adapter, removing it would silently fail and both would answer.
if (!server.server.listeners('request').includes(kit)) throw new Error("kaoping: adapter-node's request listener was not found");
server.server.removeListener('request', kit);
server.server.prependListener('request', (request, response) => {
	if (!autosave(request, response)) kit(request, response);
});
