import { openDatabase, type OpenedDatabase } from './index';

// The server's one database handle, opened on first use (not at import, so `vite build` never opens it).
let opened: OpenedDatabase | undefined;

export function serverDatabase(): OpenedDatabase {
	opened ??= openDatabase();
	return opened;
}

export function db() {
	return serverDatabase().db;
}

/**
 * Closes the server's database when the server stops (hooks.server.ts): a PostgreSQL pool's idle connections would
 * otherwise keep the process running after adapter-node has closed the HTTP server.
 */
export async function closeServerDatabase(): Promise<void> {
	const closing = opened;
	opened = undefined;
	await closing?.db.destroy();
}
