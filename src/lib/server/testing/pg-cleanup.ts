import { afterAll, afterEach } from 'vitest';
import { releaseFresh } from './postgres';

// Vitest setupFiles for every test file (vite.config.ts): the PostgreSQL databases that freshDatabase made during
// a test are closed and dropped after it, those made in a beforeAll at the end of the file. Registered before
// the file's own hooks, so they run after them (Vitest runs after-hooks in reverse order), when the file's
// afterEach has finished with its database. Nothing happens on SQLite, whose in-memory databases go with the
// garbage collector.

afterEach(() => releaseFresh(false));
afterAll(() => releaseFresh(true));
