import { acknowledge, enqueue, nextBatch, parseQueue, type QueuedSave } from './save-queue';

// Autosave for the test page. Every change goes into a queue kept in localStorage (so a reload, a crash of the tab
// or a dead battery loses nothing the member did) and is sent within a second, in order. An entry leaves the queue
// only when the server has acknowledged it, and the server acknowledges only after its commit. When the network is
// down the queue waits and is sent when it returns; the page says so.
//
// Time: edits are stamped with the server's clock as this page estimates it (the server's time at page load plus the
// time since, corrected by every response), so saves from two tabs or two devices compare on one clock.

export type SaveStatus = 'saved' | 'saving' | 'offline' | 'signed_out' | 'closed' | 'error';

export type ClosedReason = 'deadline' | 'submitted' | 'not_found';

type Options = {
	attemptId: number;
	serverNow: number;
	/** Called when the server refuses because the attempt is over. */
	onClosed: (reason: ClosedReason) => void;
	/** Called when the server kept a newer answer from elsewhere (another tab or device). */
	onStale: () => void;
};

const sendDelayMs = 300;
const maxRetryDelayMs = 10_000;

export function createAutosave(options: Options) {
	// One stored queue per tab (two tabs writing one key would overwrite each other's unsent saves). A tab that
	// starts adopts every queue left for this attempt, its own from before a reload and any from closed tabs;
	// sending a save twice is harmless, since the server keeps an answer only for a newer or equal edit time.
	const prefix = `kaoping.queue.${options.attemptId}.`;
	const storageKey = prefix + tabId();
	let offset = options.serverNow - Date.now();
	let queue: QueuedSave[] = adoptQueues(prefix);
	const inFlight = new Set<number>();
	let timer: ReturnType<typeof setTimeout> | undefined;
	let retryDelay = 1000;
	let stopped = false;
	const waiters: (() => void)[] = [];

	const state = $state({ status: 'saved' as SaveStatus, pending: queue.length, lastSavedAt: 0 });

	let bestRoundTrip = Infinity;
	/**
	 * A server time seen between two local times: the server's clock is estimated at the midpoint. The estimate from
	 * the page load is rough (it includes rendering and download), so the one with the shortest round trip wins.
	 */
	function observe(serverNow: number, sentAt: number, receivedAt: number) {
		const roundTrip = receivedAt - sentAt;
		if (roundTrip > bestRoundTrip * 2 && roundTrip > 50) return;
		bestRoundTrip = Math.min(bestRoundTrip, roundTrip);
		offset = serverNow - (sentAt + receivedAt) / 2;
	}

	function persist() {
		writeStorage(storageKey, queue);
		state.pending = queue.length;
		if (queue.length === 0 && (state.status === 'saving' || state.status === 'offline')) state.status = 'saved';
		if (queue.length === 0) while (waiters.length) waiters.shift()?.();
	}

	function schedule(delay = sendDelayMs) {
		if (stopped) return;
		clearTimeout(timer);
		timer = setTimeout(() => void send(), delay);
	}

	async function send(): Promise<void> {
		if (stopped || inFlight.size > 0) return;
		const batch = nextBatch(queue, inFlight);
		if (batch.length === 0) return;
		for (const s of batch) inFlight.add(s.seq);
		if (state.status !== 'offline') state.status = 'saving';
		const sentAt = Date.now();
		try {
			const response = await fetch(`/api/attempts/${options.attemptId}/answers`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ saves: batch.map(({ position, editedAt, answer, flagged }) => ({ position, editedAt, answer, flagged })) })
			});
			const body = (await response.json().catch(() => ({}))) as { results?: string[]; serverNow?: number; problem?: string };
			if (typeof body.serverNow === 'number') observe(body.serverNow, sentAt, Date.now());
			inFlight.clear();
			if (response.ok) {
				queue = acknowledge(queue, new Set(batch.map((s) => s.seq)));
				retryDelay = 1000;
				state.lastSavedAt = Date.now();
				state.status = 'saving';
				persist();
				if (body.results?.includes('stale')) options.onStale();
				if (queue.length > 0) schedule(0);
				return;
			}
			if (response.status === 401) {
				// Signed out (session ended): keep the queue; it is sent after signing in again.
				state.status = 'signed_out';
				return;
			}
			if (response.status === 409 || response.status === 404) {
				stop('closed');
				options.onClosed((body.problem as ClosedReason) ?? 'not_found');
				return;
			}
			if (response.status === 400) {
				// The server cannot accept these (a bug, or a tampered queue): drop them rather than block every later save.
				queue = acknowledge(queue, new Set(batch.map((s) => s.seq)));
				persist();
				state.status = 'error';
				if (queue.length > 0) schedule(0);
				return;
			}
			throw new Error(`status ${response.status}`);
		} catch {
			// Network down or server restarting: keep everything and try again, sooner when the browser says it is back.
			inFlight.clear();
			state.status = 'offline';
			schedule(retryDelay);
			retryDelay = Math.min(retryDelay * 2, maxRetryDelayMs);
		}
	}

	function stop(status: SaveStatus) {
		stopped = true;
		clearTimeout(timer);
		state.status = status;
	}

	const online = () => {
		retryDelay = 1000;
		schedule(0);
	};
	if (typeof window !== 'undefined') window.addEventListener('online', online);
	if (queue.length > 0) {
		writeStorage(storageKey, queue);
		schedule(0);
	}

	return {
		state,
		observe,
		/** The server's clock as this page estimates it. */
		now: () => Date.now() + offset,
		/** The queued answers not yet acknowledged (to show over the server's after a reload). */
		get queue(): readonly QueuedSave[] {
			return queue;
		},
		save(change: { position: number; answer?: unknown; flagged?: boolean }) {
			if (stopped) return;
			queue = enqueue(queue, { ...change, editedAt: Math.round(Date.now() + offset) }, inFlight);
			if (state.status === 'saved' || state.status === 'error') state.status = 'saving';
			persist();
			schedule();
		},
		/** Resolves when everything queued has been acknowledged, or false after `timeoutMs`. */
		flush(timeoutMs = 8000): Promise<boolean> {
			if (queue.length === 0) return Promise.resolve(true);
			schedule(0);
			return new Promise((resolve) => {
				const timeout = setTimeout(() => resolve(false), timeoutMs);
				waiters.push(() => {
					clearTimeout(timeout);
					resolve(true);
				});
			});
		},
		/** The server has the answers now (submitted, or time is up): forget the queue. */
		clear() {
			queue = [];
			persist();
		},
		stop,
		destroy() {
			stop(state.status);
			if (typeof window !== 'undefined') window.removeEventListener('online', online);
		}
	};
}

export type Autosave = ReturnType<typeof createAutosave>;

function tabId(): string {
	try {
		let id = sessionStorage.getItem('kaoping.tab');
		if (!id) {
			id = crypto.randomUUID();
			sessionStorage.setItem('kaoping.tab', id);
		}
		return id;
	} catch {
		return 'tab';
	}
}

function adoptQueues(prefix: string): QueuedSave[] {
	try {
		const entries: Omit<QueuedSave, 'seq'>[] = [];
		for (const key of Object.keys(localStorage)) {
			if (!key.startsWith(prefix)) continue;
			entries.push(...parseQueue(localStorage.getItem(key)));
			localStorage.removeItem(key);
		}
		// In edit order, numbered afresh for this tab.
		return entries.sort((a, b) => a.editedAt - b.editedAt).map((e, i) => ({ ...e, seq: i + 1 }));
	} catch {
		return [];
	}
}

function writeStorage(key: string, queue: QueuedSave[]) {
	try {
		if (queue.length === 0) localStorage.removeItem(key);
		else localStorage.setItem(key, JSON.stringify(queue));
	} catch {
		// Private mode or a full storage: saves still go to the server; only the offline safety net is missing.
	}
}
