// Whether Cara's Go side is still there. In a browser on `wails dev` the
// page outlives the app: when the app process ends, calls and events just
// stop, and a reply in progress would show Stop forever. The Wails
// runtime gives the page no word of it (its websocket is private to its
// dev script, which only retries), so Go sends "app:alive" every few
// seconds (app.EventAppAlive) and this watch says "closed" when it has
// been silent for a few of those intervals, and "back" when it speaks again.

/** open: Go answers; closed: it has gone silent; back: it speaks again after being closed (reload to go on). */
export type ConnectionState = 'open' | 'closed' | 'back';

/** How many intervals of silence mean the app has gone. */
const MISSED_BEATS = 3;
const MIN_INTERVAL_MS = 100;

export interface Clock {
  now(): number;
  every(ms: number, run: () => void): () => void;
}

const realClock: Clock = {
  now: () => Date.now(),
  every: (ms, run) => {
    const t = window.setInterval(run, ms);
    return () => window.clearInterval(t);
  },
};

function intervalOf(payload: unknown): number | null {
  const ms = typeof payload === 'object' && payload !== null ? (payload as { intervalMs?: unknown }).intervalMs : undefined;
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? Math.max(ms, MIN_INTERVAL_MS) : null;
}

/**
 * watchConnection follows Go's heartbeat (subscribe: the "app:alive"
 * events) once someone listens, and tells each listener every change of
 * state. Before the first heartbeat nothing is said: a Go side that sends
 * none (an older build, Cara failing to start) is never taken for closed.
 * A check that comes far too late (the computer slept, timers froze) waits
 * another while instead of calling the app gone.
 */
export function watchConnection(subscribe: (cb: (payload: unknown) => void) => () => void, clock: Clock = realClock) {
  const listeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'open';
  let interval = 0;
  let lastBeat = 0;
  let lastCheck = 0;
  let stopChecks: (() => void) | null = null;
  let unsubscribe: (() => void) | null = null;

  const set = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    listeners.forEach((cb) => cb(state));
  };

  const check = () => {
    const now = clock.now();
    if (now - lastCheck > 2 * interval) lastBeat = now; // timers froze: give it another while
    lastCheck = now;
    if (state === 'open' && now - lastBeat > MISSED_BEATS * interval) set('closed');
  };

  const beat = (payload: unknown) => {
    const ms = intervalOf(payload);
    if (ms === null) return;
    lastBeat = lastCheck = clock.now();
    if (ms !== interval) {
      interval = ms;
      stopChecks?.();
      stopChecks = clock.every(interval, check);
    }
    if (state === 'closed') set('back');
  };

  return {
    /** Calls back with each new state; returns the unsubscribe. */
    listen(callback: (state: ConnectionState) => void): () => void {
      listeners.add(callback);
      if (!unsubscribe) {
        try {
          unsubscribe = subscribe(beat);
        } catch (reason) {
          // No Wails runtime: nothing to watch.
          console.error('cara: cannot listen for app:alive', reason);
        }
      }
      if (state !== 'open') callback(state);
      return () => {
        listeners.delete(callback);
        if (listeners.size > 0) return;
        stopChecks?.();
        stopChecks = null;
        interval = 0;
        unsubscribe?.();
        unsubscribe = null;
      };
    },
  };
}
