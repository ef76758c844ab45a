// The text being written survives switching screens and reloading the window.
import { useEffect, useState } from 'react';

export interface Draft {
  title: string;
  text: string;
  /** "paste" (or empty) or the name of the file the text came from. */
  source: string;
  /** The file the text came from had invalid UTF-8, replaced on import. */
  repaired?: boolean;
}

const KEY = 'cara.draft.v1';
const EMPTY: Draft = { title: '', text: '', source: '', repaired: false };

export function loadDraft(storage: Storage | undefined = safeStorage()): Draft {
  try {
    const raw = storage?.getItem(KEY);
    if (!raw) return EMPTY;
    const v = JSON.parse(raw) as Partial<Draft>;
    return {
      title: typeof v.title === 'string' ? v.title : '',
      text: typeof v.text === 'string' ? v.text : '',
      source: typeof v.source === 'string' ? v.source : '',
      repaired: v.repaired === true,
    };
  } catch {
    return EMPTY;
  }
}

export function saveDraft(draft: Draft, storage: Storage | undefined = safeStorage()): void {
  try {
    if (!draft.text && !draft.title) storage?.removeItem(KEY);
    else storage?.setItem(KEY, JSON.stringify(draft));
  } catch {
    // Storage full or unavailable: the draft still lives in memory.
  }
}

function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** useDraft keeps the draft in state and saves it shortly after each change. */
export function useDraft(): [Draft, (d: Draft) => void] {
  const [draft, setDraft] = useState<Draft>(() => loadDraft());
  useEffect(() => {
    const t = window.setTimeout(() => saveDraft(draft), 300);
    return () => window.clearTimeout(t);
  }, [draft]);
  return [draft, setDraft];
}
