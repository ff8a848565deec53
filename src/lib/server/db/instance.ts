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
