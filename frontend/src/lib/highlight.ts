// Turns a text and its flags into a tree for inline highlighting: plain text
// runs and one mark per flag, nested where flags nest. Offsets are each
// flag's UTF-16 offsets (start16/end16), which are JavaScript string indexes.
//
// Rules (deterministic, never throws):
// - Offsets are truncated to integers and clamped to [0, text.length]; a flag
//   whose offsets are not numbers, or that is empty after clamping, is skipped.
// - A boundary that falls inside a surrogate pair (between the two halves of
//   an emoji, say) is widened to the whole pair: a start moves back, an end
//   moves forward. A highlight never splits a character.
// - Flags are placed in order of start; at the same start the longer one
//   first; at the same range, in input order.
// - A flag inside another (a filler word inside a long sentence) nests in it.
// - Overlaps that cross: the earlier start wins. The later flag keeps its
//   start and is clipped to end where the earlier one ends, so it nests.
// - So every valid flag is exactly one mark, and the text of all the nodes,
//   in order, is the input text.

export interface HighlightFlag {
  start16: number;
  end16: number;
}

export interface TextNode {
  type: 'text';
  start: number;
  end: number;
  text: string;
}

export interface MarkNode<F extends HighlightFlag = HighlightFlag> {
  type: 'mark';
  /** Where the mark starts and ends (UTF-16, end exclusive), after clipping. */
  start: number;
  end: number;
  flag: F;
  /** The flag's index in the input array. */
  index: number;
  /** True when a crossing overlap cut this mark short of the flag's end. */
  clipped: boolean;
  children: Array<TextNode | MarkNode<F>>;
}

export type HighlightNode<F extends HighlightFlag = HighlightFlag> = TextNode | MarkNode<F>;

function isHigh(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Moves an offset that sits between a high and a low surrogate by one: back (start) or forward (end). */
function snap(text: string, offset: number, direction: -1 | 1): number {
  if (offset <= 0 || offset >= text.length) return offset;
  if (isHigh(text.charCodeAt(offset - 1)) && isLow(text.charCodeAt(offset))) return offset + direction;
  return offset;
}

function clamp(value: number, max: number): number {
  return Math.min(Math.max(Math.trunc(value), 0), max);
}

/** normalizeRange returns the in-text range a flag covers, or null when it covers nothing. */
export function normalizeRange(text: string, flag: HighlightFlag): { start: number; end: number } | null {
  const { start16, end16 } = flag;
  if (typeof start16 !== 'number' || typeof end16 !== 'number') return null;
  if (Number.isNaN(start16) || Number.isNaN(end16)) return null;
  const start = snap(text, clamp(start16, text.length), -1);
  const end = snap(text, clamp(end16, text.length), 1);
  if (end <= start) return null;
  return { start, end };
}

interface Placed {
  index: number;
  start: number;
  end: number;
  clipped: boolean;
}

export function highlight<F extends HighlightFlag>(text: string, flags: readonly F[]): HighlightNode<F>[] {
  const placed: Placed[] = [];
  flags.forEach((flag, index) => {
    const r = flag ? normalizeRange(text, flag) : null;
    if (r) placed.push({ index, ...r, clipped: false });
  });
  placed.sort((a, b) => a.start - b.start || b.end - a.end || a.index - b.index);

  const root: HighlightNode<F>[] = [];
  // The open marks, outermost first; each lies inside the one before it.
  const stack: MarkNode<F>[] = [];
  let pos = 0;

  const childrenOf = (): HighlightNode<F>[] => (stack.length ? stack[stack.length - 1]!.children : root);
  const emitText = (to: number) => {
    if (to > pos) {
      childrenOf().push({ type: 'text', start: pos, end: to, text: text.slice(pos, to) });
      pos = to;
    }
  };
  const close = () => {
    const top = stack[stack.length - 1]!;
    emitText(top.end);
    stack.pop();
  };

  for (const p of placed) {
    while (stack.length && stack[stack.length - 1]!.end <= p.start) close();
    const parent = stack[stack.length - 1];
    let { end, clipped } = p;
    if (parent && end > parent.end) {
      end = parent.end;
      clipped = true;
    }
    emitText(p.start);
    const node: MarkNode<F> = {
      type: 'mark',
      start: p.start,
      end,
      flag: flags[p.index]!,
      index: p.index,
      clipped,
      children: [],
    };
    childrenOf().push(node);
    stack.push(node);
  }
  while (stack.length) close();
  emitText(text.length);
  return root;
}

/** textOf returns the text a node covers. */
export function textOf(node: HighlightNode): string {
  return node.type === 'text' ? node.text : node.children.map(textOf).join('');
}

/** marks lists every mark node in document order (outer before inner). */
export function marks<F extends HighlightFlag>(nodes: readonly HighlightNode<F>[]): MarkNode<F>[] {
  const out: MarkNode<F>[] = [];
  const walk = (list: readonly HighlightNode<F>[]) => {
    for (const n of list) {
      if (n.type === 'mark') {
        out.push(n);
        walk(n.children);
      }
    }
  };
  walk(nodes);
  return out;
}
