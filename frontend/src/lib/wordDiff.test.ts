import { describe, expect, it } from 'vitest';
import { diffStats, MAX_DIFF_CHARS, sameWords, wordDiff } from './wordDiff';

describe('wordDiff', () => {
  it('marks whole words added and removed and rebuilds both texts', () => {
    const before = 'I just think we should move the sync.';
    const after = 'I think we should move the Thursday sync.';
    const parts = wordDiff(before, after)!;
    const rebuilt = (keep: 'added' | 'removed') => parts.filter((p) => p.kind !== keep).map((p) => p.text).join('');
    expect(rebuilt('added')).toBe(before);
    expect(rebuilt('removed')).toBe(after);
    expect(parts.filter((p) => p.kind === 'removed').map((p) => p.text.trim())).toEqual(['just']);
    expect(parts.filter((p) => p.kind === 'added').map((p) => p.text.trim())).toEqual(['Thursday']);
    expect(diffStats(parts)).toEqual({ added: 1, removed: 1 });
  });

  it('tells texts with the same words apart from changed ones, spacing aside', () => {
    expect(sameWords('We shipped on time.', ' We  shipped\non time. ')).toBe(true);
    expect(sameWords('We shipped on time.', 'We shipped on time')).toBe(false);
    expect(sameWords('We shipped.', 'we shipped.')).toBe(false);
  });

  it('gives up on texts too long to compare in a moment', () => {
    expect(wordDiff('a '.repeat(MAX_DIFF_CHARS / 2), 'b')).toBeNull();
  });
});
