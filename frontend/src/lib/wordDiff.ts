// Word-level differences between an original and a rewrite, with jsdiff.

import { diffWordsWithSpace } from 'diff';

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** Texts longer than this are not compared word by word: shown side by side instead. */
export const MAX_DIFF_CHARS = 60_000;

/**
 * The parts from `before` to `after`, or null when the texts are too long
 * or too different to compare within a moment (jsdiff's timeout).
 */
export function wordDiff(before: string, after: string, timeoutMs = 500): DiffPart[] | null {
  if (before.length + after.length > MAX_DIFF_CHARS) return null;
  const changes = diffWordsWithSpace(before, after, { timeout: timeoutMs });
  if (!changes) return null;
  return changes
    .filter((c) => c.value !== '')
    .map((c) => ({ kind: c.added ? 'added' : c.removed ? 'removed' : 'same', text: c.value }));
}

/** True when the two texts have the same words in the same order (spacing aside): there is nothing to show as changed. */
export function sameWords(a: string, b: string): boolean {
  const words = (s: string) => s.trim().split(/\s+/).join(' ');
  return words(a) === words(b);
}

/** How many words were inserted and deleted. */
export function diffStats(parts: readonly DiffPart[]): { added: number; removed: number } {
  const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
  let added = 0;
  let removed = 0;
  for (const p of parts) {
    if (p.kind === 'added') added += words(p.text);
    else if (p.kind === 'removed') removed += words(p.text);
  }
  return { added, removed };
}
