// Settings read from the environment. Only plain process.env here (no $env imports), so the command-line
// tasks in src/cli/ share this module with the server.

function flag(value: string | undefined, fallback: boolean): boolean {
	if (value === undefined || value.trim() === '') return fallback;
	return !['0', 'off', 'false', 'no'].includes(value.trim().toLowerCase());
}

export type Config = {
	/** `data/kaoping.db`, another SQLite file path (or `file:` URL), or a `postgres://` URL (db/index.ts). */
	databaseUrl: string;
	/** Demo organization on an empty database. A real installation sets KAOPING_DEMO=off. */
	demo: boolean;
	/** The demo accounts' password; when unset the seed generates one and prints it once. */
	demoPassword: string | undefined;
	/** The organization's time zone: quarters and test windows are computed in it. */
	timeZone: string;
};

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
	return {
		databaseUrl: env.DATABASE_URL?.trim() || 'data/kaoping.db',
		demo: flag(env.KAOPING_DEMO, true),
		demoPassword: env.KAOPING_DEMO_PASSWORD?.trim() || undefined,
		timeZone: env.KAOPING_TIME_ZONE?.trim() || 'Asia/Shanghai'
	};
}
