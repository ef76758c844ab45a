// Chunk-to-paint latency for the bench (issue 4, "chunk-to-paint").
//
// For every "chat:chunk" event, Go stamps `at` (ms since the epoch) when the
// piece reached it. Once React has committed the text, the next animation
// frame and a macrotask after it mean the frame holding the text has been
// painted; the time then, minus `at`, is one sample. Samples go into a ring
// of the last CHUNK_LATENCY_CAPACITY values exposed as
// `window.__caraChunkLatencies` (a plain number[] in milliseconds, in no
// particular order once full), which bench/ reads from the page to report
// the median and p95. A reader may replace it with [] to start afresh.

export const CHUNK_LATENCY_CAPACITY = 2000;

declare global {
  interface Window {
    /** Chunk-to-paint samples in ms, read by bench/ (see lib/chunkLatency.ts). */
    __caraChunkLatencies?: number[];
  }
}

let cursor = 0;

/** Makes `window.__caraChunkLatencies` exist (empty) from start-up, so a reader never finds it missing. */
export function chunkLatencySamples(): number[] {
  return samples();
}

function samples(): number[] {
  let ring = window.__caraChunkLatencies;
  if (!Array.isArray(ring)) {
    ring = [];
    window.__caraChunkLatencies = ring;
  }
  return ring;
}

/** Adds one sample, overwriting the oldest once the ring is full. */
export function recordChunkLatency(ms: number): void {
  if (!Number.isFinite(ms)) return;
  const ring = samples();
  if (ring.length < CHUNK_LATENCY_CAPACITY) {
    ring.push(ms);
    // While filling, index 0 holds the oldest sample: overwrite from there.
    cursor = 0;
    return;
  }
  ring[cursor] = ms;
  cursor = (cursor + 1) % CHUNK_LATENCY_CAPACITY;
}

/** Wall-clock now in ms since the epoch, on the same clock as Go's `at`. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

const nextFrame: (cb: () => void) => void =
  typeof requestAnimationFrame === 'function' ? (cb) => requestAnimationFrame(() => cb()) : (cb) => setTimeout(cb, 16);

/**
 * Call after React committed the chunks stamped `ats`: records one sample
 * each once the frame showing them has been painted. One frame callback per
 * commit, however many chunks it carried.
 */
export function measureAfterPaint(ats: readonly number[]): void {
  if (ats.length === 0) return;
  nextFrame(() => {
    setTimeout(() => {
      const now = epochNow();
      for (const at of ats) if (at > 0) recordChunkLatency(now - at);
    }, 0);
  });
}
