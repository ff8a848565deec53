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
	/** On PostgreSQL, how many connections each app server's pool may hold (README: "Connections"). */
	databasePoolMax: number;
};

/** A whole number from `min` to `max`; anything else is a mistake worth stopping for, not a silent default. */
function wholeNumber(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
	if (value === undefined || value.trim() === '') return fallback;
	const n = Number(value.trim());
	if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${value}"`);
	return n;
}

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
	return {
		databaseUrl: env.DATABASE_URL?.trim() || 'data/kaoping.db',
		demo: flag(env.KAOPING_DEMO, true),
		demoPassword: env.KAOPING_DEMO_PASSWORD?.trim() || undefined,
		timeZone: env.KAOPING_TIME_ZONE?.trim() || 'Asia/Shanghai',
		databasePoolMax: wholeNumber('DATABASE_POOL_MAX', env.DATABASE_POOL_MAX, 10, 1, 1000)
	};
}
