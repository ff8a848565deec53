import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { OpenedPostgres } from '../../src/lib/server/db/index';
import { freshDatabase, onPostgres } from '../../src/lib/server/testing/db';
import { freePort } from '../bench/ballot-load';
import { ensureBuilt, startServer, type Server } from '../bench/exam-load';

// A server told to stop (SIGTERM from systemd, docker or a deploy script) ends by itself once its last request is
// answered: on PostgreSQL the pool's idle connections used to keep the process alive until it was killed. The
// built server runs on this run's database (a SQLite file, or a fresh PostgreSQL database on the PostgreSQL run).

const dir = mkdtempSync(join(tmpdir(), 'kaoping-server-stop-'));
let server: Server | undefined;

afterAll(() => {
	if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
	rmSync(dir, { recursive: true, force: true });
});

it('ends by itself after SIGTERM, on SQLite and on PostgreSQL', async () => {
	ensureBuilt();
	const url = onPostgres ? ((await freshDatabase()) as OpenedPostgres).pool.options.connectionString : join(dir, 'kaoping.db');
	if (!url) throw new Error('the test database has no connection string');
	server = await startServer(url, await freePort());
	server.child.kill('SIGTERM');
	const ended = await Promise.race([server.exited.then((code) => ({ code })), new Promise<'still running'>((done) => setTimeout(() => done('still running'), 15_000))]);
	expect(ended, server.log()).toEqual({ code: 0 });
	expect(server.log()).not.toMatch(/failed/);
}, 300_000);
