import { useEffect, useRef } from 'react';
import type { CaraApi } from '../api';

/**
 * While `enabled`, calls `refresh` whenever the offline queue moves on
 * ("ai:queue": an item done, a run started or finished), so a practice
 * waiting for AI feedback shows it as soon as the queue has fetched it.
 */
export function useQueueRefresh(api: CaraApi, enabled: boolean, refresh: () => void): void {
  const latest = useRef(refresh);
  latest.current = refresh;
  useEffect(() => {
    if (!enabled) return;
    let last = '';
    return api.onQueue((q) => {
      const key = `${q.running}:${q.done}:${q.pending}`;
      if (key === last) return;
      last = key;
      latest.current();
    });
  }, [api, enabled]);
}
