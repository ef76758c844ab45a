import { autoUpdate, flip, offset, shift, useFloating } from '@floating-ui/react-dom';
import { memo, useCallback, useEffect, useId, useMemo, useState, type FocusEvent, type MouseEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import type { Flag, Span } from '../api';
import { kindInfo } from '../lib/flagKinds';
import { highlight, type HighlightNode } from '../lib/highlight';

/** A flag, or a long sentence drawn as a quiet underline (not a flag of its own). */
interface Item {
  kind: string;
  start16: number;
  end16: number;
  message: string;
  suggestion: string;
  isFlag: boolean;
}

interface Active {
  /** The hovered or focused item, then the items around it, as indexes. */
  chain: number[];
  element: HTMLElement;
}

const ITEM = '[data-item]';
const MARK = 'mark[data-item]';

function chainOf(el: HTMLElement): number[] {
  const chain: number[] = [];
  for (let m: HTMLElement | null = el; m; m = m.parentElement?.closest<HTMLElement>(ITEM) ?? null) {
    chain.push(Number(m.dataset.item));
  }
  return chain;
}

/** The marks and text, rendered once per text + flags (hover state lives outside). */
const Nodes = memo(function Nodes({ nodes }: { nodes: HighlightNode<Item>[] }) {
  const render = (list: HighlightNode<Item>[]): ReactNode[] =>
    list.map((n) => {
      if (n.type === 'text') return n.text;
      if (!n.flag.isFlag) {
        return (
          <span key={n.index} className="long-sentence" data-item={n.index} data-testid="long-sentence">
            {render(n.children)}
          </span>
        );
      }
      return (
        <mark key={n.index} className="flag" data-testid="flag" data-kind={n.flag.kind} data-item={n.index} tabIndex={0}>
          {render(n.children)}
        </mark>
      );
    });
  return <>{render(nodes)}</>;
});

export interface HighlightedTextProps {
  text: string;
  flags: readonly Flag[];
  /** Sentences over 30 words (SentenceProfile.long), underlined. */
  longSentences?: readonly Span[];
}

/**
 * The reviewed text with each flag drawn inline as one <mark> (nested where
 * flags nest) and long sentences underlined. A mark's explanation — message
 * and suggestion — shows on hover and on keyboard focus.
 */
export function HighlightedText({ text, flags, longSentences = [] }: HighlightedTextProps) {
  const tipId = useId();
  const items = useMemo<Item[]>(
    () => [
      ...flags.map((f) => ({
        kind: f.kind,
        start16: f.start16,
        end16: f.end16,
        message: f.message,
        suggestion: f.suggestion,
        isFlag: true,
      })),
      ...longSentences.map((s) => ({
        kind: 'long_sentence',
        start16: s.start16,
        end16: s.end16,
        message: 'This sentence runs over 30 words: readers lose the thread.',
        suggestion: 'Split it into two or three shorter sentences.',
        isFlag: false,
      })),
    ],
    [flags, longSentences],
  );
  const nodes = useMemo(() => highlight(text, items), [text, items]);
  const [active, setActive] = useState<Active | null>(null);

  const { refs, floatingStyles } = useFloating({
    placement: 'top',
    strategy: 'fixed',
    middleware: [offset(8), flip({ padding: 8 }), shift({ padding: 8 })],
    whileElementsMounted: autoUpdate,
    elements: { reference: active?.element ?? null },
  });

  // A new text or filter replaces the marks.
  useEffect(() => setActive(null), [nodes]);

  // Only the active mark points at the tooltip.
  useEffect(() => {
    const el = active?.element;
    if (!el) return;
    el.setAttribute('aria-describedby', tipId);
    el.dataset.active = 'true';
    return () => {
      el.removeAttribute('aria-describedby');
      delete el.dataset.active;
    };
  }, [active, tipId]);

  const activate = useCallback((target: EventTarget | null) => {
    if (!(target instanceof Element)) return;
    const el = target.closest<HTMLElement>(ITEM);
    if (!el) return;
    setActive((cur) => (cur?.element === el ? cur : { chain: chainOf(el), element: el }));
  }, []);

  const onMouseOver = (e: MouseEvent) => activate(e.target);
  // Leaving an item hides its tip, unless a mark has keyboard focus.
  const onMouseOut = (e: MouseEvent) => {
    const to = e.relatedTarget instanceof Element ? e.relatedTarget : null;
    if (to?.closest(ITEM) && e.currentTarget.contains(to)) return; // onMouseOver of the next item takes over
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (focused?.matches(MARK) && e.currentTarget.contains(focused)) activate(focused);
    else setActive(null);
  };
  const onFocus = (e: FocusEvent) => activate(e.target);
  const onBlur = (e: FocusEvent) => {
    const next = e.relatedTarget instanceof Element ? e.relatedTarget : null;
    if (!next?.closest(MARK)) setActive(null);
  };

  return (
    <div
      className="flagged-text"
      data-testid="flagged-text"
      onMouseOver={onMouseOver}
      onMouseOut={onMouseOut}
      onFocus={onFocus}
      onBlur={onBlur}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && active) {
          e.stopPropagation();
          setActive(null);
        }
      }}
    >
      {/* aria-describedby is set on the active mark only (see the effect above). */}
      <Nodes nodes={nodes} />
      {active &&
        createPortal(
          <div
            ref={refs.setFloating}
            id={tipId}
            role="tooltip"
            className="flag-tip"
            data-testid="flag-tip"
            style={floatingStyles}
          >
            {active.chain.map((index, n) => {
              const item = items[index];
              if (!item) return null;
              return (
                <div key={index} className={n === 0 ? 'flag-tip-main' : 'flag-tip-also'}>
                  <p className="flag-tip-kind">
                    <span className="kind-swatch" data-kind={item.kind} aria-hidden="true" />
                    {n > 0 && 'Also: '}
                    {item.isFlag ? kindInfo(item.kind).label : 'Long sentence'}
                  </p>
                  <p className="flag-tip-message">{item.message}</p>
                  {item.suggestion && (
                    <p className="flag-tip-suggestion">
                      <span className="flag-tip-try">Fix: </span>
                      {item.suggestion}
                    </p>
                  )}
                </div>
              );
            })}
          </div>,
          document.body,
        )}
    </div>
  );
}
