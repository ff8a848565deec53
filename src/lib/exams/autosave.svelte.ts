import { acknowledge, enqueue, nextBatch, parseQueue, type QueuedSave } from './save-queue';

// Autosave for the test page. Every change goes into a queue kept in localStorage (so a reload, a crash of the tab
// or a dead battery loses nothing the member did) and is sent within a second, in order. An entry leaves the queue
// only when the server has acknowledged it, and the server acknowledges only after its commit. When the network is
// down (or a request hangs) the queue waits and is sent when it returns; the page says so, telling the member's
// own network being off (`offline`: the browser says so) from the server not answering while the network is on
// (`unreachable`: a failed request, a timeout or a 5xx), since only the first is theirs to fix.
//
// Time: edits are stamped with the server's clock as this page estimates it. The estimate is kept against
// `performance.now()`, a monotonic clock, so the device's wall clock jumping (a time sync after waking, a manual
// change) does not move it; every response with the server's time refines it.

export type SaveStatus = 'saved' | 'saving' | 'offline' | 'unreachable' | 'signed_out' | 'closed' | 'error';

export type ClosedReason = 'deadline' | 'submitted';

type Options = {
	attemptId: number;
	serverNow: number;
	/** Called when the server refuses because the attempt is over. */
	onClosed: (reason: ClosedReason) => void;
	/** Called when the server kept a newer answer from elsewhere (another tab or device). */
	onStale: () => void;
	/** Called when the server refused a question's answer as invalid; the page reloads it from the server. */
	onRejected: (position: number) => void;
};

const sendDelayMs = 300;
const maxRetryDelayMs = 10_000;
/** A request still unanswered after this long is treated as lost: the saves stay queued and are sent again. */
const requestTimeoutMs = 10_000;
/** While signed out, how often to try again (the member may have signed in in another tab). */
const signedOutRetryMs = 15_000;

export function createAutosave(options: Options) {
	// One stored queue per page instance (two tabs writing one key would overwrite each other's unsent saves). A page
	// that starts adopts every queue left for this attempt, its own from before a reload and any from closed tabs;
	// sending a save twice is harmless, since the server keeps an answer only for a newer or equal edit time.
	const prefix = `kaoping.queue.${options.attemptId}.`;
	const storageKey = prefix + instanceId();
	let queue: QueuedSave[] = adoptQueues(prefix);
	const inFlight = new Set<number>();
	let timer: ReturnType<typeof setTimeout> | undefined;
	let retryDelay = 1000;
	let stopped = false;
	const waiters: (() => void)[] = [];

	const state = $state({ status: 'saved' as SaveStatus, pending: queue.length, lastSavedAt: 0 });

	// Server time = performance.now() + offset. The first estimate (from the rendered page) is rough: it includes
	// rendering and download. Later samples replace it when their round trip is shorter, or when they fall outside
	// the current estimate's error bound (the estimate was wrong, whatever the reason).
	const monotonic = () => performance.now();
	let offset = options.serverNow - monotonic();
	let error = Infinity;

	function observe(serverNow: number, sentAt: number, receivedAt: number) {
		const roundTrip = Math.max(0, receivedAt - sentAt);
		const sample = serverNow - (sentAt + receivedAt) / 2;
		const outside = Math.abs(sample - offset) > error + roundTrip / 2;
		if (roundTrip / 2 <= error || outside) {
			offset = sample;
			error = roundTrip / 2;
		}
	}

	/** Waiting for the network or the server: the queue is kept and sent again later. */
	const waiting = () => state.status === 'offline' || state.status === 'unreachable';
	const networkOff = () => typeof navigator !== 'undefined' && navigator.onLine === false;

	function persist() {
		writeStorage(storageKey, queue);
		state.pending = queue.length;
		if (queue.length === 0 && (state.status === 'saving' || waiting())) state.status = 'saved';
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
		if (!waiting() && state.status !== 'signed_out') state.status = 'saving';
		const sentAt = monotonic();
		const abort = new AbortController();
		const hung = setTimeout(() => abort.abort(), requestTimeoutMs);
		try {
			const response = await fetch(`/api/attempts/${options.attemptId}/answers`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ saves: batch.map(({ position, editedAt, answer, flagged }) => ({ position, editedAt, answer, flagged })) }),
				signal: abort.signal
			});
			const body = (await response.json().catch(() => ({}))) as { results?: string[]; serverNow?: number; problem?: string; position?: number };
			if (typeof body.serverNow === 'number') observe(body.serverNow, sentAt, monotonic());
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
			if (response.status === 401 || response.status === 403) {
				// Signed out (session ended, or a password change is due): keep the queue and keep trying; the member
				// may sign in again in another tab.
				state.status = 'signed_out';
				schedule(signedOutRetryMs);
				return;
			}
			if (response.status === 409 && (body.problem === 'deadline' || body.problem === 'submitted')) {
				stop('closed');
				options.onClosed(body.problem);
				return;
			}
			if (response.status === 400 && typeof body.position === 'number') {
				// The server cannot accept this question's answer (a tampered or outdated queue entry): drop that
				// question's entries only, reload it from the server, and send the rest.
				const bad = body.position;
				queue = queue.filter((q) => q.position !== bad);
				persist();
				state.status = 'error';
				options.onRejected(bad);
				if (queue.length > 0) schedule(0);
				return;
			}
			// 404 (the attempt is not this session's: someone else signed in on this device), another 4xx or a 5xx:
			// keep the queue, which belongs to whoever made it, and try again later.
			throw new Error(`status ${response.status}`);
		} catch {
			inFlight.clear();
			state.status = networkOff() ? 'offline' : 'unreachable';
			schedule(retryDelay);
			retryDelay = Math.min(retryDelay * 2, maxRetryDelayMs);
		} finally {
			clearTimeout(hung);
		}
	}

	function stop(status: SaveStatus) {
		stopped = true;
		clearTimeout(timer);
		state.status = status;
	}

	/** The network is back, or the tab is visible again: send now instead of waiting for the back-off. */
	const retryNow = () => {
		if (stopped) return;
		retryDelay = 1000;
		if (queue.length === 0 && waiting() && !networkOff()) state.status = 'saved';
		schedule(0);
	};
	/** The browser lost the network: say so at once, before a save has to fail to find out. */
	const onOffline = () => {
		if (!stopped && state.status !== 'signed_out') state.status = 'offline';
	};
	const onVisible = () => document.visibilityState === 'visible' && retryNow();
	if (typeof window !== 'undefined') {
		window.addEventListener('online', retryNow);
		window.addEventListener('offline', onOffline);
		document.addEventListener('visibilitychange', onVisible);
	}
	if (queue.length > 0) {
		writeStorage(storageKey, queue);
		schedule(0);
	}

	return {
		state,
		observe,
		/** The server's clock as this page estimates it. */
		now: () => monotonic() + offset,
		/** This page's monotonic clock, for measuring a round trip to pass to `observe`. */
		monotonic,
		/** The queued answers not yet acknowledged (to show over the server's after a reload). */
		get queue(): readonly QueuedSave[] {
			return queue;
		},
		/** Queues a change and returns its edit time on the server's clock. */
		save(change: { position: number; answer?: unknown; flagged?: boolean }): number {
			const editedAt = Math.round(monotonic() + offset);
			if (stopped) return editedAt;
			queue = enqueue(queue, { ...change, editedAt }, inFlight);
			if (state.status === 'saved' || state.status === 'error') state.status = 'saving';
			persist();
			schedule();
			return editedAt;
		},
		/** Resolves when everything queued has been acknowledged, or false after `timeoutMs`. */
		flush(timeoutMs = 8000): Promise<boolean> {
			if (queue.length === 0) return Promise.resolve(true);
			retryNow();
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
			if (typeof window !== 'undefined') {
				window.removeEventListener('online', retryNow);
				window.removeEventListener('offline', onOffline);
				document.removeEventListener('visibilitychange', onVisible);
			}
		}
	};
}

export type Autosave = ReturnType<typeof createAutosave>;

function instanceId(): string {
	try {
		return crypto.randomUUID();
	} catch {
		return String(Math.random()).slice(2);
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
		// In edit order, numbered afresh for this page.
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
