import { memo, useEffect, useLayoutEffect, useRef, useSyncExternalStore, type RefObject } from 'react';
import { settingsFixes, type Turn } from '../api';
import { measureAfterPaint } from '../lib/chunkLatency';
import type { ReplyStream } from '../lib/replyStream';
import { RetryButton } from './RetryButton';

// Test ids: chat-turn (data-role, data-status, data-turn-id), chat-turn-error,
// chat-retry, chat-turn-settings, chat-streaming (the reply arriving now, data-turn-id),
// chat-typing (before its first piece).

export interface TurnListProps {
  turns: readonly Turn[];
  personaName: string;
  /** A turn not to show (a reply being streamed again by Retry). */
  hiddenId?: string | null;
  /** The turn that offers Retry, if any. */
  retryId?: string | null;
  onRetry?: () => void;
  /** Opens Settings: offered beside a reply that failed for want of a key or budget. */
  onOpenSettings?: (() => void) | undefined;
}


function turnProblem(turn: Turn): string {
  if (turn.status === 'failed') return turn.error || 'No reply arrived.';
  if (turn.status === 'partial' || turn.status === 'streaming') return turn.error || 'The reply stopped here.';
  return '';
}

const TurnBubble = memo(function TurnBubble({
  turn,
  personaName,
  onRetry,
  onOpenSettings,
}: {
  turn: Turn;
  personaName: string;
  onRetry?: (() => void) | undefined;
  onOpenSettings?: (() => void) | undefined;
}) {
  const problem = turnProblem(turn);
  return (
    <li
      className="turn"
      data-role={turn.role}
      data-status={turn.status}
      data-turn-id={turn.id}
      data-testid="chat-turn"
    >
      <p className="turn-speaker">{turn.role === 'user' ? 'You' : personaName}</p>
      {turn.text && <p className="turn-text">{turn.text}</p>}
      {problem && turn.role === 'persona' && (
        <p className="turn-error" data-testid="chat-turn-error">
          <span aria-hidden="true">⚠ </span>
          {problem}
        </p>
      )}
      {onRetry && <RetryButton label="Retry reply" onClick={onRetry} retryAt={turn.retryAt} testId="chat-retry" />}
      {onRetry && onOpenSettings && settingsFixes(turn.errorCode) && (
        <button type="button" className="button-link" data-testid="chat-turn-settings" onClick={onOpenSettings}>
          Open Settings
        </button>
      )}
    </li>
  );
});

/**
 * The conversation so far. Memoised: while a reply streams, the turns don't
 * change, so chunks never re-render this list (only StreamingBubble).
 */
export const TurnList = memo(function TurnList({ turns, personaName, hiddenId, retryId, onRetry, onOpenSettings }: TurnListProps) {
  return (
    <>
      {turns.map((t) =>
        t.id === hiddenId ? null : (
          <TurnBubble
            key={t.id}
            turn={t}
            personaName={personaName}
            onRetry={t.id === retryId ? onRetry : undefined}
            onOpenSettings={onOpenSettings}
          />
        ),
      )}
    </>
  );
});

/** The user's message between Send and Go's answer. */
export function PendingUserTurn({ text }: { text: string }) {
  return (
    <li className="turn" data-role="user" data-status="sending" data-testid="chat-turn">
      <p className="turn-speaker">You</p>
      <p className="turn-text">{text}</p>
    </li>
  );
}

export interface StreamingBubbleProps {
  stream: ReplyStream;
  personaName: string;
  /** Scrolled to the end as text arrives, while the reader is already there. */
  scroller?: RefObject<HTMLElement | null>;
}

/**
 * The reply arriving now: the only component a chunk re-renders. After each
 * commit it hands the chunks' Go timestamps to the latency probe.
 */
export function StreamingBubble({ stream, personaName, scroller }: StreamingBubbleProps) {
  const snap = useSyncExternalStore(stream.subscribe, stream.getSnapshot);
  const stick = useRef(true);

  // A layout effect: it runs before the browser paints the new text, so the
  // scroll lands in the same frame and the probe waits for that frame.
  useLayoutEffect(() => {
    measureAfterPaint(stream.takeUnpainted());
    const el = scroller?.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [snap, stream, scroller]);

  useEffect(() => {
    const el = scroller?.current;
    if (!el) return;
    const onScroll = () => {
      stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, [scroller]);

  const text = snap?.text ?? '';
  return (
    <li
      className="turn turn-streaming"
      data-role="persona"
      data-status="streaming"
      data-testid="chat-streaming"
      data-turn-id={snap?.turnId ?? ''}
      aria-busy="true"
    >
      <p className="turn-speaker">{personaName}</p>
      {text ? (
        <p className="turn-text">{text}</p>
      ) : (
        <p className="turn-typing" data-testid="chat-typing">
          <span className="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          <span className="sr-only">{personaName} is replying…</span>
        </p>
      )}
    </li>
  );
}
