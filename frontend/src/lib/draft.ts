// The text being written survives switching screens, reloading the window and
// a session that expires (signing back in finds it again). Each account has
// its own draft, so a person signing in on a shared computer never sees
// someone else's text.
import { useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';

export interface Draft {
  title: string;
  text: string;
  /** "paste" (or empty) or the name of the file the text came from. */
  source: string;
  /** The file the text came from had invalid UTF-8, replaced on import. */
  repaired?: boolean;
  /**
   * The saved review made from this very title and text. Any edit clears it;
   * deleting that review in History drops the draft (its text is gone).
   */
  reviewId?: string;
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
      ...(typeof v.reviewId === 'string' && v.reviewId ? { reviewId: v.reviewId } : {}),
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
 * usePersisted keeps a value in state and saves it shortly after each change,
 * and at once when the component goes away (signing out, a session that
 * expires, a reload), so the last keystrokes are kept too.
 */
function usePersisted<T>(load: () => T, save: (value: T) => void): [T, Dispatch<SetStateAction<T>>] {
  const [value, setValue] = useState<T>(load);
  const latest = useRef(value);
  latest.current = value;
  const saveLatest = useRef(save);
  saveLatest.current = save;
  const pending = useRef(false);
  useEffect(() => {
    pending.current = true;
    const t = window.setTimeout(() => {
      pending.current = false;
      saveLatest.current(value);
    }, 300);
    return () => window.clearTimeout(t);
  }, [value]);
  useEffect(
    () => () => {
      if (pending.current) saveLatest.current(latest.current);
      pending.current = false;
    },
    [],
  );
  return [value, setValue];
}

/** next, the editor's change to cur: a new title or text is no longer the review cur was saved as. */
export function edited(cur: Draft, next: Draft): Draft {
  if (next.title === cur.title && next.text === cur.text) return next;
  const { reviewId: _saved, ...rest } = next;
  return rest;
}

/** The draft once review id is deleted: empty if it holds that review's text, else as it was. */
export function withoutReview(draft: Draft, id: string): Draft {
  return draft.reviewId === id ? EMPTY : draft;
}

/** useDraft is owner's Review draft, kept as usePersisted keeps values. */
export function useDraft(owner = ''): [Draft, Dispatch<SetStateAction<Draft>>] {
  return usePersisted(
    () => loadDraft(safeStorage(), owner),
    (d) => saveDraft(d, safeStorage(), owner),
  );
}

const CHAT_KEY = 'cara.chatDraft.v1';

/** Chats deleted in this window: a composer still mounted must not save their text again. */
const deletedChats = new Set<string>();

/** clearChatDraft forgets a chat's unsent text (the chat was deleted), for good. */
export function clearChatDraft(chatId: string): void {
  deletedChats.add(chatId);
  try {
    safeStorage()?.removeItem(`${CHAT_KEY}:${chatId}`);
  } catch {
    // Nothing stored, or no storage.
  }
}

/**
 * useChatDraft is what is typed but not yet sent in a chat's composer, kept
 * per chat (chat ids are unique to their account) so a reload or a switch of
 * screens loses none of it. Sent or cleared, it is removed.
 */
export function useChatDraft(chatId: string): [string, Dispatch<SetStateAction<string>>] {
  const key = `${CHAT_KEY}:${chatId}`;
  return usePersisted(
    () => {
      try {
        return safeStorage()?.getItem(key) ?? '';
      } catch {
        return '';
      }
    },
    (text) => {
      if (deletedChats.has(chatId)) return;
      try {
        if (text) safeStorage()?.setItem(key, text);
        else safeStorage()?.removeItem(key);
      } catch {
        // Storage full or unavailable: the text still lives in memory.
      }
    },
  );
}
