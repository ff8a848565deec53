// npm run serve — the built server (adapter-node) with this product's defaults.
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';

// Question files may be 10 MB, and the import preview carries the file back to confirm it (base64, a third
// larger), so request bodies up to 16 MB are accepted unless BODY_SIZE_LIMIT says otherwise.
process.env.BODY_SIZE_LIMIT ??= '16M';

// The protocol of a request when neither ORIGIN nor PROTOCOL_HEADER says it. adapter-node then takes every
// request to be https, so on plain http (the quick start on localhost, a school's LAN address) the page's own
// Origin never matched and SvelteKit refused every form post as cross-site. This server speaks plain http (TLS,
// when there is any, ends at a proxy that must then set ORIGIN or PROTOCOL_HEADER), so the protocol is http; the
// host stays the request's Host header, which a browser always sends as the address it is at and a cross-site
// page cannot change. The header below is written by this listener on every request, over whatever a client
// sent, so no request can claim https or anything else through it.
const connectionProtocolHeader = 'x-kaoping-connection-protocol';
const decideProtocol = !process.env.ORIGIN?.trim() && !process.env.PROTOCOL_HEADER?.trim();
if (decideProtocol) process.env.PROTOCOL_HEADER = connectionProtocolHeader;

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
	if (decideProtocol) request.headers[connectionProtocolHeader] = 'encrypted' in request.socket && request.socket.encrypted ? 'https' : 'http';
	if (!autosave(request, response)) kit(request, response);
});

if (server.server.listening) welcome();
else server.server.once('listening', welcome);

/** The last lines a newcomer reads: where to open the app, and with which accounts. */
function welcome() {
	const address = server.server.address();
	if (address === null || typeof address === 'string') return;
	const origin = process.env.ORIGIN?.trim();
	const lines = ['', 'kaoping is ready. Open it in a browser:'];
	if (origin) {
		lines.push(`  ${origin}`);
	} else {
		const wildcard = address.address === '0.0.0.0' || address.address === '::';
		const local = wildcard || address.address === '127.0.0.1' || address.address === '::1' ? 'localhost' : hostName(address.address);
		lines.push(`  http://${local}:${address.port}   (on this computer)`);
		if (wildcard) {
			for (const other of lanAddresses()) lines.push(`  http://${hostName(other)}:${address.port}   (from other devices on this network)`);
		}
	}
	const demo = !['0', 'off', 'false', 'no'].includes((process.env.KAOPING_DEMO ?? '').trim().toLowerCase());
	if (demo) {
		/** @type {Record<string, string>} */
		const signIns = JSON.parse(readFileSync(new URL('../lib/server/demo/sign-ins.json', import.meta.url), 'utf8'));
		const password = process.env.KAOPING_DEMO_PASSWORD?.trim() ? 'KAOPING_DEMO_PASSWORD' : 'the password printed when the demo was created';
		lines.push(`Demo sign-ins (password: ${password}):`);
		lines.push(`  committee ${signIns.committee} · secretary ${signIns.secretary} · member ${signIns.member}`);
	}
	console.log(lines.join('\n'));
}

/** This machine's IPv4 addresses other devices can reach it at (the first few; a server may have many). */
function lanAddresses() {
	return Object.values(networkInterfaces())
		.flat()
		.filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
		.map((a) => /** @type {import('node:os').NetworkInterfaceInfo} */ (a).address)
		.slice(0, 3);
}

/** @param {string} ip */
function hostName(ip) {
	return ip.includes(':') ? `[${ip}]` : ip;
}
