import { useEffect, useState } from 'react';
import { errorMessage, type UsageStatus } from '../api';
import { useApi } from '../api/ApiContext';

/**
 * useUsage is today's AI usage: read once, then kept live by Go's
 * "ai:usage" events. onFirst runs with the first reading (e.g. to fill a
 * form). loadError says why it could not be read.
 */
export function useUsage(onFirst?: (u: UsageStatus) => void): {
  usage: UsageStatus | null;
  setUsage: (u: UsageStatus) => void;
  loadError: string;
} {
  const api = useApi();
  const [usage, setUsage] = useState<UsageStatus | null>(null);
  const [loadError, setLoadError] = useState('');
  useEffect(() => {
    let live = true;
    const off = api.onUsage((u) => live && setUsage(u));
    api.settings.usage().then(
      (u) => {
        if (!live) return;
        setUsage(u);
        onFirst?.(u);
      },
      (e: unknown) => live && setLoadError(errorMessage(e)),
    );
    return () => {
      live = false;
      off();
    };
    // onFirst is for the first reading only: a new function later changes nothing.
  }, [api]);
  return { usage, setUsage, loadError };
}

/** How much of the budget is used, in whole percent. */
export function usagePercent(u: UsageStatus): number {
  return u.budget > 0 ? Math.round((u.used / u.budget) * 100) : 0;
}
