// Which database the unit tests run on. No imports: vite.config.ts reads it too.

/** The default test server: the local PostgreSQL that `.ci/run` starts (user postgres, trust authentication). */
const localServer = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * The maintenance database of the PostgreSQL server the unit tests run on, or undefined for SQLite (the default).
 * TEST_DATABASE_URL names one (any database on the server that the user may connect to; the tests create and
 * drop their own beside it); KAOPING_TEST_DATABASE=postgres means the local one.
 */
export function testServerUrl(env: Record<string, string | undefined> = process.env): string | undefined {
	const url = env.TEST_DATABASE_URL?.trim();
	if (url) return url;
	return env.KAOPING_TEST_DATABASE?.trim().toLowerCase() === 'postgres' ? localServer : undefined;
}
