import { describe, expect, it } from 'vitest';
import { highlight, marks, normalizeRange, textOf, type HighlightNode } from './highlight';

interface F {
  start16: number;
  end16: number;
  kind: string;
  start?: number;
  end?: number;
}

/** [text, kind] of every mark, outer before inner. */
function marked(text: string, flags: F[]): Array<[string, string]> {
  return marks(highlight(text, flags)).map((m) => [textOf(m), m.flag.kind]);
}

function joined(text: string, flags: F[]): string {
  return highlight(text, flags).map(textOf).join('');
}

/** A compact picture of the tree: marks as [kind: ...], text as is. */
function shape(nodes: HighlightNode<F>[]): string {
  return nodes.map((n) => (n.type === 'text' ? n.text : `[${n.flag.kind}:${shape(n.children)}]`)).join('');
}

describe('highlight', () => {
  it('returns one text node without flags, nothing for empty text', () => {
    expect(highlight('hello', [])).toEqual([{ type: 'text', start: 0, end: 5, text: 'hello' }]);
    expect(highlight('', [])).toEqual([]);
    expect(highlight('', [{ start16: 0, end16: 3 }])).toEqual([]);
  });

  it('uses UTF-16 offsets after emoji with a skin-tone modifier', () => {
    const text = '👍🏽 just do it';
    // 👍 and 🏽 are two UTF-16 units each: "just" starts at 5 (rune offset 3).
    const flag = { kind: 'filler', start: 3, end: 7, start16: 5, end16: 9 };
    const nodes = highlight(text, [flag]);
    expect(shape(nodes)).toBe('👍🏽 [filler:just] do it');
    const [mark] = marks(nodes);
    expect(mark).toMatchObject({ start: 5, end: 9, index: 0, clipped: false });
    expect(mark!.flag).toBe(flag);
    expect(textOf(mark!)).toBe('just');
  });

  it('highlights CJK and mixed scripts by string index', () => {
    const text = '我们应该 just 开会。';
    const i = text.indexOf('just');
    expect(marked(text, [{ kind: 'filler', start16: i, end16: i + 4 }])).toEqual([['just', 'filler']]);
    expect(marked(text, [{ kind: 'jargon', start16: 0, end16: 4 }])).toEqual([['我们应该', 'jargon']]);
    // A CJK Extension B character is a surrogate pair.
    const rare = '𠀋 basically';
    expect(marked(rare, [{ kind: 'filler', start16: 3, end16: 12 }])).toEqual([['basically', 'filler']]);
    // Right-to-left text is indexed in logical order like any other.
    const rtl = 'שלום just';
    expect(marked(rtl, [{ kind: 'filler', start16: 5, end16: 9 }])).toEqual([['just', 'filler']]);
  });

  it('never splits a surrogate pair: boundaries widen to the whole character', () => {
    const text = 'a😀b';
    expect(marked(text, [{ kind: 'x', start16: 2, end16: 3 }])).toEqual([['😀', 'x']]);
    expect(marked(text, [{ kind: 'x', start16: 0, end16: 2 }])).toEqual([['a😀', 'x']]);
    expect(normalizeRange(text, { start16: 2, end16: 2 })).toEqual({ start: 1, end: 3 });
  });

  it('clamps out-of-range offsets and skips empty or invalid flags without throwing', () => {
    const text = 'short text';
    expect(marked(text, [{ kind: 'a', start16: -5, end16: 5 }])).toEqual([['short', 'a']]);
    expect(marked(text, [{ kind: 'b', start16: 6, end16: 999 }])).toEqual([['text', 'b']]);
    expect(marked(text, [{ kind: 'c', start16: 50, end16: 60 }])).toEqual([]);
    expect(marked(text, [{ kind: 'd', start16: 7, end16: 3 }])).toEqual([]);
    expect(marked(text, [{ kind: 'e', start16: Number.NaN, end16: 4 }])).toEqual([]);
    expect(marked(text, [{ kind: 'f', start16: 1.7, end16: 4.2 }])).toEqual([['hor', 'f']]);
    expect(() => highlight(text, [null as unknown as F])).not.toThrow();
    expect(joined(text, [{ kind: 'a', start16: -5, end16: 500 }])).toBe(text);
  });

  it('nests flags inside a long sentence: one mark per flag', () => {
    const text = 'I just think we should maybe go. Fine.';
    const long = { kind: 'long_sentence', start16: 0, end16: 32 };
    const just = { kind: 'filler', start16: 2, end16: 6 };
    const maybe = { kind: 'hedge', start16: 23, end16: 28 };
    const nodes = highlight(text, [just, maybe, long]);
    expect(shape(nodes)).toBe('[long_sentence:I [filler:just] think we should [hedge:maybe] go.] Fine.');
    expect(marks(nodes).map((m) => m.index)).toEqual([2, 0, 1]);
    expect(joined(text, [long, just, maybe])).toBe(text);
  });

  it('clips crossing overlaps: the earlier start wins, the later one ends with it', () => {
    const text = 'abcdefghij';
    const a = { kind: 'a', start16: 0, end16: 6 };
    const b = { kind: 'b', start16: 4, end16: 8 };
    const nodes = highlight(text, [b, a]);
    expect(shape(nodes)).toBe('[a:abcd[b:ef]]ghij');
    expect(marks(nodes)[1]).toMatchObject({ start: 4, end: 6, clipped: true });
    // Same start: the longer one is outside. Same range: input order.
    expect(shape(highlight(text, [{ kind: 's', start16: 2, end16: 4 }, { kind: 'l', start16: 2, end16: 7 }]))).toBe(
      'ab[l:[s:cd]efg]hij',
    );
    expect(shape(highlight(text, [{ kind: 'f', start16: 1, end16: 3 }, { kind: 'e', start16: 1, end16: 3 }]))).toBe(
      'a[f:[e:bc]]defghij',
    );
  });

  it('keeps adjacent flags apart and the text whole', () => {
    const text = 'the the end';
    const flags = [
      { kind: 'repeated', start16: 0, end16: 7 },
      { kind: 'filler', start16: 8, end16: 11 },
    ];
    expect(shape(highlight(text, flags))).toBe('[repeated:the the] [filler:end]');
    expect(joined(text, flags)).toBe(text);
  });

  it('is quick on 200,000 characters with 40,000 flags', () => {
    const text = 'just '.repeat(40_000);
    const flags: F[] = Array.from({ length: 40_000 }, (_, i) => ({ kind: 'filler', start16: i * 5, end16: i * 5 + 4 }));
    flags.push({ kind: 'long_sentence', start16: 0, end16: text.length });
    const t0 = performance.now();
    const nodes = highlight(text, flags);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(marks(nodes)).toHaveLength(40_001);
    expect(nodes.map(textOf).join('')).toBe(text);
  });
});
