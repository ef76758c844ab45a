// The text being written survives switching screens, reloading the window and
// a session that expires (signing back in finds it again). Each account has
// its own draft, so a person signing in on a shared computer never sees
// someone else's text.
import { useEffect, useRef, useState } from 'react';

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

/** The storage key of owner's draft; without an owner, the one draft Cara kept before accounts. */
function keyFor(owner: string): string {
  return owner ? `${KEY}:${owner}` : KEY;
}

/**
 * loadDraft reads owner's draft (an account id). An owner with none yet
 * takes over the draft written before accounts existed, if there is one.
 */
export function loadDraft(storage: Storage | undefined = safeStorage(), owner = ''): Draft {
  try {
    const raw = storage?.getItem(keyFor(owner)) ?? (owner ? storage?.getItem(KEY) : null);
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

export function saveDraft(draft: Draft, storage: Storage | undefined = safeStorage(), owner = ''): void {
  try {
    if (!draft.text && !draft.title) storage?.removeItem(keyFor(owner));
    else storage?.setItem(keyFor(owner), JSON.stringify(draft));
    // The pre-accounts draft now belongs to owner: no one else picks it up.
    if (owner) storage?.removeItem(KEY);
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

/**
 * useDraft keeps owner's draft in state and saves it shortly after each
 * change, and at once when the component goes away (signing out, a session
 * that expires), so the last keystrokes are kept too.
 */
export function useDraft(owner = ''): [Draft, (d: Draft) => void] {
  const [draft, setDraft] = useState<Draft>(() => loadDraft(safeStorage(), owner));
  const latest = useRef(draft);
  latest.current = draft;
  const pending = useRef(false);
  useEffect(() => {
    pending.current = true;
    const t = window.setTimeout(() => {
      pending.current = false;
      saveDraft(draft, safeStorage(), owner);
    }, 300);
    return () => window.clearTimeout(t);
  }, [draft, owner]);
  useEffect(
    () => () => {
      if (pending.current) saveDraft(latest.current, safeStorage(), owner);
      pending.current = false;
    },
    [owner],
  );
  return [draft, setDraft];
}
