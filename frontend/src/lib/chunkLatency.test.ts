import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHUNK_LATENCY_CAPACITY, chunkLatencySamples, measureAfterPaint, recordChunkLatency } from './chunkLatency';

afterEach(() => {
  vi.useRealTimers();
  window.__caraChunkLatencies = [];
});

describe('chunk latency ring', () => {
  it('keeps the last 2,000 samples, overwriting the oldest', () => {
    window.__caraChunkLatencies = [];
    for (let i = 0; i < CHUNK_LATENCY_CAPACITY + 3; i++) recordChunkLatency(i);
    const ring = chunkLatencySamples();
    expect(ring).toHaveLength(CHUNK_LATENCY_CAPACITY);
    // 0, 1, 2 were the oldest and are gone; the newest three took their places.
    expect(ring.slice(0, 3)).toEqual([CHUNK_LATENCY_CAPACITY, CHUNK_LATENCY_CAPACITY + 1, CHUNK_LATENCY_CAPACITY + 2]);
    expect(ring[3]).toBe(3);
    expect(Math.min(...ring)).toBe(3);
  });

  it('starts afresh when a reader replaces the array, and ignores non-numbers', () => {
    recordChunkLatency(5);
    window.__caraChunkLatencies = [];
    recordChunkLatency(7);
    recordChunkLatency(Number.NaN);
    expect(window.__caraChunkLatencies).toEqual([7]);
  });

  it('measures after the next frame and a macrotask, one sample per stamped chunk', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'requestAnimationFrame', 'performance', 'Date'] });
    window.__caraChunkLatencies = [];
    const at = performance.timeOrigin + performance.now();
    measureAfterPaint([at, at, 0]);
    expect(window.__caraChunkLatencies).toEqual([]);
    vi.advanceTimersByTime(20);
    expect(window.__caraChunkLatencies).toHaveLength(2);
    for (const ms of window.__caraChunkLatencies!) expect(ms).toBeGreaterThanOrEqual(0);
  });
});
