import { describe, expect, it } from 'vitest';
import { acknowledge, enqueue, nextBatch, parseQueue, pendingAnswers, type QueuedSave } from './save-queue';

const none = new Set<number>();

describe('save queue', () => {
	it('keeps order and replaces an unsent answer change for the same question', () => {
		let q: QueuedSave[] = [];
		q = enqueue(q, { position: 1, editedAt: 10, answer: { choice: 0 } }, none);
		q = enqueue(q, { position: 2, editedAt: 11, answer: { choice: 1 } }, none);
		q = enqueue(q, { position: 1, editedAt: 12, answer: { choice: 2 } }, none);
		expect(q.map((s) => [s.position, s.editedAt])).toEqual([
			[2, 11],
			[1, 12]
		]);
		expect(new Set(q.map((s) => s.seq)).size).toBe(2);
	});

	it('keeps an answer change and a flag change for the same question apart', () => {
		let q: QueuedSave[] = [];
		q = enqueue(q, { position: 1, editedAt: 10, answer: { choice: 0 } }, none);
		q = enqueue(q, { position: 1, editedAt: 11, flagged: true }, none);
		expect(q).toHaveLength(2);
	});

	it('never replaces an entry in flight; the new one waits behind it', () => {
		let q: QueuedSave[] = [];
		q = enqueue(q, { position: 1, editedAt: 10, answer: { choice: 0 } }, none);
		const batch = nextBatch(q, none);
		const flying = new Set(batch.map((s) => s.seq));
		q = enqueue(q, { position: 1, editedAt: 20, answer: { choice: 3 } }, flying);
		expect(q).toHaveLength(2);
		expect(nextBatch(q, flying).map((s) => s.editedAt)).toEqual([20]);
		q = acknowledge(q, flying);
		expect(q.map((s) => s.editedAt)).toEqual([20]);
		// A later entry gets a later seq even after the earlier one is acknowledged.
		q = enqueue(q, { position: 2, editedAt: 30, answer: { choice: 1 } }, none);
		expect(q[1]!.seq).toBeGreaterThan(q[0]!.seq);
	});

	it('limits a batch', () => {
		let q: QueuedSave[] = [];
		for (let i = 1; i <= 5; i++) q = enqueue(q, { position: i, editedAt: i, answer: { choice: 0 } }, none);
		expect(nextBatch(q, none, 2).map((s) => s.position)).toEqual([1, 2]);
	});

	it('reads only well-formed stored entries', () => {
		expect(parseQueue(null)).toEqual([]);
		expect(parseQueue('not json')).toEqual([]);
		expect(parseQueue('{"a":1}')).toEqual([]);
		expect(parseQueue('[{"seq":1,"position":2,"editedAt":3,"answer":{"choice":0}},{"seq":"x"}]')).toEqual([{ seq: 1, position: 2, editedAt: 3, answer: { choice: 0 } }]);
	});

	it('shows the newest queued answer per question', () => {
		const q: QueuedSave[] = [
			{ seq: 1, position: 1, editedAt: 5, answer: { choice: 0 } },
			{ seq: 2, position: 1, editedAt: 9, answer: { choice: 1 } },
			{ seq: 3, position: 2, editedAt: 9, flagged: true }
		];
		expect([...pendingAnswers(q)]).toEqual([[1, { answer: { choice: 1 }, editedAt: 9 }]]);
	});
});
