import type { Limit } from '../api';
import { countChars } from './text';

/** Where a text stands against a limit (coach.Limit): its length, and whether it is near or over. */
export interface LimitCheck {
  /** Characters (code points) of the text as Go counts it: trimmed. */
  count: number;
  /** At 80 % of the limit or more: time to show a counter. */
  near: boolean;
  over: boolean;
}

/** checkLimit measures text against limit; with no limit known (max 0) it is never near or over. */
export function checkLimit(text: string, limit: Limit | undefined): LimitCheck {
  const count = countChars(text.trim());
  const max = limit?.max ?? 0;
  return { count, near: max > 0 && count >= 0.8 * max, over: max > 0 && count > max };
}
