import { useEffect, useState } from 'react';
import { parseTime } from './format';

/** The deadline in ms since the epoch: an RFC 3339 time from Go, or a number; null for none. */
export function deadlineOf(at: string | number | null | undefined): number | null {
  if (typeof at === 'number') return Number.isFinite(at) ? at : null;
  return parseTime(at ?? '')?.getTime() ?? null;
}

function left(deadline: number | null, now: number): number {
  return deadline === null ? 0 : Math.max(0, Math.ceil((deadline - now) / 1000));
}

/**
 * useSecondsLeft is the whole seconds until deadline (ms since the epoch),
 * 0 once it has passed or when there is none; it ticks once a second.
 */
export function useSecondsLeft(deadline: number | null): number {
  const [secs, setSecs] = useState(() => left(deadline, Date.now()));
  useEffect(() => {
    setSecs(left(deadline, Date.now()));
    if (deadline === null || deadline <= Date.now()) return;
    const t = window.setInterval(() => {
      const s = left(deadline, Date.now());
      setSecs(s);
      if (s === 0) window.clearInterval(t);
    }, 1000);
    return () => window.clearInterval(t);
  }, [deadline]);
  return secs;
}
