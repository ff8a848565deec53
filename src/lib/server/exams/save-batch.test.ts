import { Kysely, PostgresDialect, sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import type { Database } from '../db/schema';
import { isPostgres } from '../db/dialect';
import { KaopingSqliteDialect } from '../db/sqlite';
import { freshDatabase, makeMember, makeTree } from '../testing/db';
import { makeExam, sampleBlueprint } from '../testing/exams';
import { startAttempt } from './attempts';
import { saveAnswersBatched } from './save-batch';

let db: Db;
/** Transactions begun through `db`: the number of commits (and fsyncs) the saves cost. */
let begins: number;
let members: number[];
let attempts: number[];
let typeAt: (attemptId: number, position: number) => Promise<string>;
const now = Date.UTC(2026, 11, 10, 2);

beforeEach(async () => {
	const opened = await freshDatabase();
	begins = 0;
	// The same connection (or pool) and dialect the server uses, with a log that counts the transactions.
	db = new Kysely<Database>({
		dialect: opened.dialect === 'sqlite' ? new KaopingSqliteDialect(opened.sqlite) : new PostgresDialect({ pool: opened.pool }),
		log: (event) => {
			if (/^begin\b/.test(event.query.sql)) begins++;
		}
	});
	const tree = await makeTree(db);
	const committee = await makeMember(db, { unitId: tree.root, roles: ['committee'] });
	members = [];
	for (let i = 0; i < 3; i++) members.push(await makeMember(db, { unitId: tree.branchA }));
	const examId = await makeExam(db, { actorId: committee, blueprint: await sampleBlueprint(db, 2, 200), now, durationMinutes: 30 });
	attempts = [];
	for (const m of members) {
		const started = await startAttempt(db, examId, m, now);
		if (!started.ok) throw new Error(started.problem);
		attempts.push(started.attemptId);
	}
	typeAt = async (attemptId, position) =>
		(await db.selectFrom('attempt_item').select('type').where('attempt_id', '=', attemptId).where('position', '=', position).executeTakeFirstOrThrow()).type;
	begins = 0;
});

/** A valid answer for the item's type. */
async function answerFor(attemptId: number, position: number, text = '实事求是'): Promise<unknown> {
	const type = await typeAt(attemptId, position);
	return { single: { choice: 1 }, multiple: { choices: [0, 2] }, true_false: { value: true }, fill: { blanks: [text] } }[type];
}

async function stored(attemptId: number, position: number) {
	return db.selectFrom('attempt_item').select(['answer', 'edited_at']).where('attempt_id', '=', attemptId).where('position', '=', position).executeTakeFirstOrThrow();
}

const at = (i: number) => attempts[i] as number;
const by = (i: number) => members[i] as number;

describe('saveAnswersBatched', () => {
	it('commits the saves that arrive together in one transaction and answers each with its own result', async () => {
		const planned = [];
		for (let i = 0; i < 3; i++) {
			for (let position = 1; position <= 3; position++) planned.push({ i, position, answer: await answerFor(at(i), position) });
		}
		begins = 0;
		const calls = planned.map(({ i, position, answer }) => saveAnswersBatched(db, at(i), by(i), [{ position, editedAt: now + position, answer }], now + 10));
		const results = await Promise.all(calls);
		expect(results).toHaveLength(9);
		for (const r of results) expect(r).toEqual({ ok: true, results: ['saved'], deadlineAt: now + 30 * 60_000 });
		expect(begins).toBe(1);
		for (let i = 0; i < 3; i++) {
			for (let position = 1; position <= 3; position++) expect((await stored(at(i), position)).edited_at).toBe(now + position);
		}
	});

	it('keeps each request all-or-nothing: a refused request stores nothing, the others in its batch are saved', async () => {
		const [a01, a11, a21, a22] = [await answerFor(at(0), 1), await answerFor(at(1), 1), await answerFor(at(2), 1), await answerFor(at(2), 2)];
		const good = saveAnswersBatched(db, at(0), by(0), [{ position: 1, editedAt: now, answer: a01 }], now + 10);
		// Position 1 is valid, position 999 is not: the whole request is refused, position 1 included.
		const bad = saveAnswersBatched(
			db,
			at(1),
			by(1),
			[
				{ position: 1, editedAt: now, answer: a11 },
				{ position: 999, editedAt: now, answer: { choice: 0 } }
			],
			now + 10
		);
		const foreign = saveAnswersBatched(db, at(2), by(0), [{ position: 1, editedAt: now, answer: a21 }], now + 10);
		const last = saveAnswersBatched(db, at(2), by(2), [{ position: 2, editedAt: now, answer: a22 }], now + 10);
		expect(await good).toMatchObject({ ok: true, results: ['saved'] });
		expect(await bad).toEqual({ ok: false, problem: 'invalid', position: 999 });
		expect(await foreign).toEqual({ ok: false, problem: 'not_found' });
		expect(await last).toMatchObject({ ok: true, results: ['saved'] });
		expect((await stored(at(1), 1)).answer).toBeNull();
		expect((await stored(at(2), 1)).answer).toBeNull();
		expect((await stored(at(0), 1)).edited_at).toBe(now);
		expect((await stored(at(2), 2)).edited_at).toBe(now);
	});

	it('keeps the newer edit when an older save of the same item comes later in the same batch', async () => {
		const answer = await answerFor(at(0), 1);
		begins = 0;
		const newer = saveAnswersBatched(db, at(0), by(0), [{ position: 1, editedAt: now + 5, answer }], now + 10);
		const older = saveAnswersBatched(db, at(0), by(0), [{ position: 1, editedAt: now + 2, answer: null }], now + 10);
		expect(await newer).toMatchObject({ ok: true, results: ['saved'] });
		expect(await older).toMatchObject({ ok: true, results: ['stale'] });
		expect(begins).toBe(1);
		const row = await stored(at(0), 1);
		expect(row.edited_at).toBe(now + 5);
		expect(row.answer).not.toBeNull();
	});

	it('refuses a save past the deadline and submits the attempt with what was saved', async () => {
		await saveAnswersBatched(db, at(0), by(0), [{ position: 1, editedAt: now, answer: await answerFor(at(0), 1) }], now + 10);
		const late = now + 31 * 60_000;
		expect(await saveAnswersBatched(db, at(0), by(0), [{ position: 2, editedAt: late, answer: await answerFor(at(0), 2) }], late)).toEqual({ ok: false, problem: 'deadline' });
		const attempt = await db.selectFrom('attempt').select(['submitted_at', 'submitted_how']).where('id', '=', at(0)).executeTakeFirstOrThrow();
		expect(attempt).toEqual({ submitted_at: now + 30 * 60_000, submitted_how: 'deadline' });
		expect((await stored(at(0), 2)).answer).toBeNull();
	});

	it('when the shared transaction fails, retries each request alone, so only the failing one fails', async () => {
		// A database error on one particular answer, as a full disk or a corrupt page would give on one write.
		if (isPostgres(db)) {
			await sql`create function poison() returns trigger language plpgsql as $$ begin if new.answer like '%毒%' then raise exception 'poisoned write'; end if; return new; end $$`.execute(db);
			await sql`create trigger poison before update of answer on attempt_item for each row execute function poison()`.execute(db);
		} else {
			await sql`create trigger poison before update of answer on attempt_item when new.answer like '%毒%' begin select raise(abort, 'poisoned write'); end`.execute(db);
		}
		const fillAt = async (attemptId: number) => {
			const row = await db.selectFrom('attempt_item').select('position').where('attempt_id', '=', attemptId).where('type', '=', 'fill').executeTakeFirstOrThrow();
			return row.position;
		};
		const p0 = await fillAt(at(0));
		const p1 = await fillAt(at(1));
		const p2 = await fillAt(at(2));
		begins = 0;
		const first = saveAnswersBatched(db, at(0), by(0), [{ position: p0, editedAt: now, answer: { blanks: ['好'] } }], now + 10);
		const poisoned = saveAnswersBatched(db, at(1), by(1), [{ position: p1, editedAt: now, answer: { blanks: ['毒'] } }], now + 10);
		const third = saveAnswersBatched(db, at(2), by(2), [{ position: p2, editedAt: now, answer: { blanks: ['好'] } }], now + 10);
		expect(await first).toMatchObject({ ok: true, results: ['saved'] });
		await expect(poisoned).rejects.toThrow('poisoned write');
		expect(await third).toMatchObject({ ok: true, results: ['saved'] });
		// The shared attempt, then one transaction for each of the three.
		expect(begins).toBe(4);
		expect((await stored(at(0), p0)).edited_at).toBe(now);
		expect((await stored(at(1), p1)).answer).toBeNull();
		expect((await stored(at(2), p2)).edited_at).toBe(now);
	});
});
