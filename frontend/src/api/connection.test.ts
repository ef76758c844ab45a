import { describe, expect, it } from 'vitest';
import { watchConnection, type Clock, type ConnectionState } from './connection';

/** A clock the test moves by hand, with the intervals it runs. */
function manualClock() {
  let now = 0;
  const timers = new Set<{ ms: number; next: number; run: () => void }>();
  const clock: Clock = {
    now: () => now,
    every: (ms, run) => {
      const t = { ms, next: now + ms, run };
      timers.add(t);
      return () => timers.delete(t);
    },
  };
  /** Moves time on by ms, running each interval that falls due (all of them, as if frozen, when jump). */
  const advance = (ms: number, jump = false) => {
    const end = now + ms;
    if (jump) {
      now = end;
      timers.forEach((t) => {
        t.next = end;
      });
    }
    for (;;) {
      const due = [...timers].filter((t) => t.next <= end).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      now = due.next;
      due.next += due.ms;
      due.run();
    }
    now = end;
  };
  return { clock, advance, timers };
}

function setup() {
  const { clock, advance, timers } = manualClock();
  let beat: ((payload: unknown) => void) | null = null;
  let subscriptions = 0;
  const watch = watchConnection((cb) => {
    beat = cb;
    subscriptions++;
    return () => {
      beat = null;
    };
  }, clock);
  const seen: ConnectionState[] = [];
  const off = watch.listen((s) => seen.push(s));
  return { watch, seen, off, advance, timers, beat: (ms = 100) => beat?.({ intervalMs: ms }), subscribed: () => beat !== null, subscriptions: () => subscriptions };
}

describe('watchConnection', () => {
  it('says nothing before the first heartbeat, however long', () => {
    const t = setup();
    t.advance(60_000);
    expect(t.seen).toEqual([]);
  });

  it('is closed after three silent intervals, and back when Go speaks again', () => {
    const t = setup();
    t.beat();
    for (let i = 0; i < 10; i++) {
      t.advance(100);
      t.beat();
    }
    expect(t.seen).toEqual([]);
    t.advance(250); // two and a half intervals: not yet
    expect(t.seen).toEqual([]);
    t.advance(200); // past three
    expect(t.seen).toEqual(['closed']);
    t.advance(1_000);
    expect(t.seen).toEqual(['closed']); // said once
    t.beat();
    expect(t.seen).toEqual(['closed', 'back']);
    t.advance(1_000); // back stays back: the page needs a reload
    expect(t.seen).toEqual(['closed', 'back']);
  });

  it('does not call the app gone when its own timers froze (the computer slept)', () => {
    const t = setup();
    t.beat();
    t.advance(5_000, true); // one late check after a long pause
    expect(t.seen).toEqual([]);
    t.beat();
    t.advance(100);
    expect(t.seen).toEqual([]);
  });

  it('ignores payloads that are not heartbeats, and stops watching when nobody listens', () => {
    const t = setup();
    t.beat(Number.NaN);
    t.advance(10_000);
    expect(t.seen).toEqual([]);
    t.beat();
    expect(t.timers.size).toBe(1);
    t.off();
    expect(t.subscribed()).toBe(false);
    expect(t.timers.size).toBe(0);
    const again: ConnectionState[] = [];
    t.watch.listen((s) => again.push(s));
    expect(t.subscriptions()).toBe(2);
  });
});
