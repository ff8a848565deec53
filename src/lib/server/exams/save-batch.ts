import type { Db } from '../db';
import { applySaves, submitAttempt, type Save, type SaveResult } from './attempts';

// Group commit for the autosave endpoint. An acknowledged answer must survive a power cut, so no save is
// acknowledged before its commit is on disk (the driver fsyncs the write-ahead log, db/sqlite.ts). Saves that
// arrive while a batch is being written wait in a queue and go into the database together, in one transaction,
// and each is acknowledged only after that commit is durable. Under light load a batch is a single save and
// nothing waits; under heavy load batches grow by themselves, because more saves arrive during each batch. The
// next batch starts as soon as this one has committed, without waiting for its fsync: they share the disk's
// next flush (npm run bench:autosave).
//
// Every request keeps its own all-or-nothing answer: applySaves writes nothing for a request it refuses, and if
// the shared transaction fails as a whole, each request is retried in a transaction of its own, so one bad
// request cannot fail the others.

type Waiting = { attemptId: number; memberId: number; saves: Save[]; now: number; done: (result: SaveResult) => void; fail: (error: unknown) => void };
type Queue = { waiting: Waiting[]; scheduled: boolean; running: boolean };

/** Requests per transaction at most, so that one commit never holds the write lock for long. */
export const maxBatch = 200;

const queues = new WeakMap<Db, Queue>();

/** saveAnswers, sharing its commit with the other saves waiting at the same moment. Resolves after the commit. */
export async function saveAnswersBatched(db: Db, attemptId: number, memberId: number, saves: Save[], now = Date.now()): Promise<SaveResult> {
	let queue = queues.get(db);
	if (!queue) {
		queue = { waiting: [], scheduled: false, running: false };
		queues.set(db, queue);
	}
	const waiting = queue;
	const result = await new Promise<SaveResult>((done, fail) => {
		waiting.waiting.push({ attemptId, memberId, saves, now, done, fail });
		schedule(db, waiting);
	});
	// Past the deadline with the attempt still open: submit it now with what was saved, as saveAnswers does.
	if (!result.ok && result.problem === 'deadline') await submitAttempt(db, attemptId, 'deadline', now);
	return result;
}

/**
 * The flush runs from setImmediate: after the event loop has read every request that arrived meanwhile (the
 * poll phase), so all of them are in the batch. One batch is written at a time; the next is scheduled when this
 * one's statements are done (its commit follows in the same turn, before any setImmediate callback).
 */
function schedule(db: Db, queue: Queue): void {
	if (queue.scheduled || queue.running) return;
	queue.scheduled = true;
	setImmediate(() => {
		queue.scheduled = false;
		void flush(db, queue);
	});
}

async function flush(db: Db, queue: Queue): Promise<void> {
	queue.running = true;
	const batch = queue.waiting.splice(0, maxBatch);
	// Lets the next batch go, once: by then another flush may be running, and its flag is not ours to clear.
	let released = false;
	const next = () => {
		if (released) return;
		released = true;
		queue.running = false;
		if (queue.waiting.length > 0) schedule(db, queue);
	};
	try {
		const results = await db.transaction().execute(async (trx) => {
			const out: SaveResult[] = [];
			for (const w of batch) out.push(await applySaves(trx, w.attemptId, w.memberId, w.saves, w.now));
			next();
			return out;
		});
		batch.forEach((w, i) => w.done(results[i] as SaveResult));
	} catch {
		for (const w of batch) {
			try {
				w.done(await db.transaction().execute((trx) => applySaves(trx, w.attemptId, w.memberId, w.saves, w.now)));
			} catch (error) {
				w.fail(error);
			}
		}
	} finally {
		next();
	}
}
