import { useEffect, useRef, useState } from 'react';

/**
 * useFinishedAt is when `active` last went from true to false (a try, a
 * run), or null before that has happened: a way to show that something was
 * tried even when its outcome reads as before.
 */
export function useFinishedAt(active: boolean, now: () => Date = () => new Date()): Date | null {
  const [at, setAt] = useState<Date | null>(null);
  const was = useRef(active);
  useEffect(() => {
    if (was.current && !active) setAt(now());
    was.current = active;
    // now is read at the moment of the change only.
  }, [active]);
  return at;
}
