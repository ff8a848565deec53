// The browser's queue of unacknowledged saves for one attempt. Pure functions over a plain array, so the rules are
// unit-tested without a browser; autosave.svelte.ts keeps the array in localStorage and sends it.
//
// Rules: saves are sent in the order they were made. An answer change replaces a queued, not yet sent answer change
// for the same question (typing a blank makes many changes; only the last matters, and it is the newest), and the
// same for flag changes. Entries already sent and waiting for their acknowledgement are never touched: they leave the
// queue only when the server has acknowledged them.

export type QueuedSave = {
	/** Increasing per attempt: what an acknowledgement refers to. */
	seq: number;
	position: number;
	/** Server-clock milliseconds of the edit. */
	editedAt: number;
	answer?: unknown;
	flagged?: boolean;
};

export function enqueue(queue: QueuedSave[], save: Omit<QueuedSave, 'seq'>, inFlight: ReadonlySet<number>): QueuedSave[] {
	const kind = save.answer !== undefined ? 'answer' : 'flag';
	const kept = queue.filter(
		(q) => inFlight.has(q.seq) || q.position !== save.position || (q.answer !== undefined ? 'answer' : 'flag') !== kind
	);
	const seq = queue.reduce((max, q) => Math.max(max, q.seq), 0) + 1;
	return [...kept, { ...save, seq }];
}

/** The next batch to send: the oldest entries not already in flight, at most `max`. */
export function nextBatch(queue: QueuedSave[], inFlight: ReadonlySet<number>, max = 100): QueuedSave[] {
	return queue.filter((q) => !inFlight.has(q.seq)).slice(0, max);
}

export function acknowledge(queue: QueuedSave[], acked: ReadonlySet<number>): QueuedSave[] {
	return queue.filter((q) => !acked.has(q.seq));
}

/** Reads a stored queue, dropping anything that is not a well-formed entry (an old version, a tampered value). */
export function parseQueue(raw: string | null): QueuedSave[] {
	if (!raw) return [];
	try {
		const value: unknown = JSON.parse(raw);
		if (!Array.isArray(value)) return [];
		return value.filter(
			(q): q is QueuedSave =>
				typeof q === 'object' && q !== null && Number.isInteger(q.seq) && Number.isInteger(q.position) && typeof q.editedAt === 'number'
		);
	} catch {
		return [];
	}
}

/** Positions with a queued answer, and the newest queued answer for each (to show over the server's). */
export function pendingAnswers(queue: readonly QueuedSave[]): Map<number, { answer: unknown; editedAt: number }> {
	const pending = new Map<number, { answer: unknown; editedAt: number }>();
	for (const q of queue) if (q.answer !== undefined) pending.set(q.position, { answer: q.answer, editedAt: q.editedAt });
	return pending;
}
