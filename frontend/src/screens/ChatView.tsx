import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { errorMessage, type Chat, type Turn } from '../api';
import { useApi } from '../api/ApiContext';
import { PendingUserTurn, StreamingBubble, TurnList } from '../components/ChatTranscript';
import { BudgetNotice } from '../components/BudgetNotice';
import { FeedbackView } from '../components/FeedbackView';
import { Spinner } from '../components/Spinner';
import { useChatDraft } from '../lib/draft';
import { formatCount, formatWhen } from '../lib/format';
import { checkLimit } from '../lib/limit';
import { ReplyStream } from '../lib/replyStream';
import { useQueueRefresh } from '../lib/useQueueRefresh';
import { findPersona, findScenario, type CatalogLoad } from '../lib/useCatalog';

export interface ChatViewProps {
  chat: Chat;
  catalog: CatalogLoad;
  /** Every new state of the chat Go returns. */
  onChange: (chat: Chat) => void;
  announce: (message: string) => void;
  onOpenSettings?: (() => void) | undefined;
  /** The toolbar's way out, e.g. "New conversation" or "All sessions". */
  back?: { label: string; onClick: () => void } | undefined;
}

type Phase = 'idle' | 'sending' | 'retrying' | 'ending';

/** The last persona turn when it is partial or failed: Retry streams a new reply in its place (as Go's Chats.Retry does). */
function retryable(turns: readonly Turn[]): Turn | null {
  const last = turns[turns.length - 1];
  return last && last.role === 'persona' && (last.status === 'partial' || last.status === 'failed') ? last : null;
}

/**
 * One conversation: the goal, the turns, a composer while it runs, and the
 * feedback once ended. Replies stream in from "chat:chunk" events into a
 * ReplyStream (only the streaming bubble re-renders); the Chat that Send,
 * Retry or End resolves with is the truth afterwards.
 *
 * Test ids: chat (data-phase: idle, sending, retrying, ending, or following
 * a reply that was streaming when the chat was read), chat-goal, chat-log, chat-composer, chat-count
 * (near the limit), chat-too-long, chat-send, chat-stop, chat-end, chat-error,
 * chat-back; BudgetNotice's, ChatTranscript's and FeedbackView's ids.
 */
export function ChatView({ chat, catalog, onChange, announce, onOpenSettings, back }: ChatViewProps) {
  const api = useApi();
  const ids = useId();
  const [phase, setPhase] = useState<Phase>('idle');
  const [pendingText, setPendingText] = useState<string | null>(null);
  const [hiddenId, setHiddenId] = useState<string | null>(null);
  const [draft, setDraft] = useChatDraft(chat.id);
  const [error, setError] = useState('');
  const stream = useMemo(() => new ReplyStream(), []);
  const logRef = useRef<HTMLOListElement>(null);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  // Which chat accepts chunks right now: only one with a Send or Retry in flight.
  const streamingFor = useRef<string | null>(null);

  // Go's limit on one message, checked as the user types.
  const turnLimit = catalog.state === 'ready' ? catalog.catalog.limits.turn : undefined;
  const length = checkLimit(draft, turnLimit);

  const scenario = findScenario(catalog, chat.scenarioId);
  const persona = findPersona(catalog, chat.personaId);
  const personaName = persona?.name ?? 'Your partner';

  // Opening a chat puts the cursor where the user will type. Only on mount:
  // the chat object changes with every reply.
  const endedAtOpen = useRef(chat.ended);
  useEffect(() => {
    if (!endedAtOpen.current) composerRef.current?.focus();
  }, []);

  useEffect(
    () =>
      api.onChatChunk((chunk) => {
        if (chunk.chatId === streamingFor.current) stream.append(chunk);
      }),
    [api, stream],
  );

  // Feedback waiting in the offline queue appears when the queue gets it.
  const waiting = chat.ended && (chat.aiStatus === 'pending' || chat.aiStatus === 'running') && phase === 'idle';
  useQueueRefresh(api, waiting, () => {
    api.practice.get(chat.id).then(
      (fresh) => {
        if (fresh.aiStatus !== chat.aiStatus) onChange(fresh);
      },
      () => {
        // The chat is still shown as it was; the next queue event asks again.
      },
    );
  });

  // A new chat (or the same one ended) lands at the end of the log.
  useEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [chat.turns.length, pendingText]);

  const finishReply = useCallback(
    (next: Chat) => {
      onChange(next);
      const last = next.turns[next.turns.length - 1];
      if (last?.role === 'persona') {
        announce(last.status === 'complete' ? `${personaName}: ${last.text}` : `The reply stopped. ${last.error}`);
      }
    },
    [announce, onChange, personaName],
  );

  // A reply already streaming when the chat was read (the page was reloaded,
  // or the chat opened from History mid-reply): Go holds it as "streaming"
  // only while it really streams. The view follows it to its end, with Stop.
  const lastTurn = chat.turns[chat.turns.length - 1];
  const followed = phase === 'idle' && lastTurn?.role === 'persona' && lastTurn.status === 'streaming' ? lastTurn : null;
  const followedId = followed?.id ?? null;
  const followedRef = useRef(followed);
  followedRef.current = followed;
  useEffect(() => {
    const start = followedRef.current;
    if (!followedId || !start) return;
    let live = true;
    streamingFor.current = chat.id;
    stream.resume(start.id, start.text, start.chunks);
    const finish = (next: Chat) => {
      if (!live) return;
      live = false;
      off();
      streamingFor.current = null;
      finishReply(next);
    };
    const readBack = () =>
      api.practice.get(chat.id).then(
        (fresh) => {
          const t = fresh.turns[fresh.turns.length - 1];
          if (t?.id === followedId && t.status === 'streaming') stream.resume(t.id, t.text, t.chunks);
          else finish(fresh);
        },
        (e: unknown) => live && setError(errorMessage(e)),
      );
    const off = api.onChatReply((r) => {
      if (r.chatId !== chat.id) return;
      if (r.chat) finish(r.chat);
      else void readBack();
    });
    // Pieces (or the end) may have come between the read and listening.
    void readBack();
    return () => {
      live = false;
      off();
      streamingFor.current = null;
    };
  }, [api, chat.id, followedId, finishReply, stream]);

  const send = async () => {
    const text = draft;
    if (phase !== 'idle' || followed || chat.ended || text.trim() === '' || length.over) return;
    setPhase('sending');
    setError('');
    setPendingText(text);
    setDraft('');
    stream.reset();
    streamingFor.current = chat.id;
    try {
      finishReply(await api.practice.send(chat.id, text));
    } catch (e) {
      setError(errorMessage(e));
      // Nothing typed is lost: the message goes back in the composer.
      setDraft((cur) => (cur === '' ? text : cur));
    } finally {
      streamingFor.current = null;
      setPendingText(null);
      setPhase('idle');
      composerRef.current?.focus();
    }
  };

  const retryTurn = retryable(chat.turns);

  const retry = useCallback(async () => {
    const turn = retryable(chat.turns);
    if (phase !== 'idle' || !turn) return;
    setPhase('retrying');
    setError('');
    setHiddenId(turn.id);
    stream.reset();
    streamingFor.current = chat.id;
    try {
      finishReply(await api.practice.retry(chat.id));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      streamingFor.current = null;
      setHiddenId(null);
      setPhase('idle');
    }
  }, [api, chat.id, chat.turns, finishReply, phase, stream]);

  const stop = async () => {
    try {
      await api.practice.stop(chat.id);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const end = async () => {
    if (phase !== 'idle') return;
    setPhase('ending');
    setError('');
    try {
      const next = await api.practice.end(chat.id);
      onChange(next);
      announce(
        next.aiStatus === 'ready' && next.feedback
          ? `Session ended. Overall score ${next.feedback.overall} out of 100.`
          : 'Session ended. AI feedback is not there yet.',
      );
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPhase('idle');
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void send();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    } else if (e.key === 'Escape' && (phase === 'sending' || phase === 'retrying' || followed)) {
      e.preventDefault();
      void stop();
    }
  };

  const inFlight = phase === 'sending' || phase === 'retrying' || followed !== null;
  const onRetry = useCallback(() => void retry(), [retry]);

  return (
    <article
      className="screen chat-screen"
      data-testid="chat"
      data-phase={followed ? 'following' : phase}
      aria-labelledby={`${ids}-title`}
    >
      <div className="report-toolbar">
        {back ? (
          <button type="button" className="button-link back-link" data-testid="chat-back" onClick={back.onClick}>
            <span aria-hidden="true">←</span> {back.label}
          </button>
        ) : (
          <span />
        )}
        {!chat.ended && (
          <button
            type="button"
            className="button button-secondary"
            data-testid="chat-end"
            disabled={phase !== 'idle' || followed !== null}
            aria-busy={phase === 'ending'}
            onClick={() => void end()}
          >
            {phase === 'ending' ? (
              <>
                <Spinner /> Ending…
              </>
            ) : (
              'End session'
            )}
          </button>
        )}
      </div>

      <header className="screen-header">
        <p className="eyebrow">{chat.ended ? 'Conversation · ended' : 'Conversation'}</p>
        <h1 id={`${ids}-title`} tabIndex={-1}>
          {scenario?.title ?? chat.title ?? 'Conversation'}
        </h1>
        <p className="report-meta">
          With {personaName}
          {chat.context?.name ? ` · context: ${chat.context.name}` : ''} · {formatWhen(chat.createdAt)}
        </p>
        {scenario?.goal && (
          <p className="chat-goal" data-testid="chat-goal">
            <strong>Your goal:</strong> {scenario.goal}
          </p>
        )}
      </header>

      {chat.ended && (
        <FeedbackView chat={chat} busy={phase === 'ending'} onRetryFeedback={() => void end()} onOpenSettings={onOpenSettings} />
      )}

      <section className="panel chat-panel" aria-labelledby={`${ids}-log`}>
        <h2 id={`${ids}-log`} className={chat.ended ? undefined : 'sr-only'}>
          Transcript
        </h2>
        <ol className="chat-log" ref={logRef} data-testid="chat-log" aria-label="Conversation">
          <TurnList
            turns={chat.turns}
            personaName={personaName}
            hiddenId={hiddenId ?? followedId}
            retryId={!chat.ended && phase === 'idle' ? retryTurn?.id ?? null : null}
            onRetry={onRetry}
            onOpenSettings={onOpenSettings}
          />
          {pendingText !== null && <PendingUserTurn text={pendingText} />}
          {inFlight && <StreamingBubble stream={stream} personaName={personaName} scroller={logRef} />}
        </ol>

        {error && (
          <p className="error" role="alert" data-testid="chat-error">
            {error}
          </p>
        )}

        {/* A reply refused for the budget says so on its turn: no second message. */}
        {!chat.ended && retryTurn?.errorCode !== 'budget' && (
          <BudgetNotice paused="replies are paused" onOpenSettings={onOpenSettings} />
        )}

        {!chat.ended && (
          <form className="composer" onSubmit={onSubmit}>
            <label htmlFor={`${ids}-composer`} className="sr-only">
              Your reply
            </label>
            <textarea
              id={`${ids}-composer`}
              ref={composerRef}
              className="composer-input"
              data-testid="chat-composer"
              value={draft}
              rows={3}
              placeholder={`Reply to ${personaName}…`}
              aria-describedby={length.over ? `${ids}-limit ${ids}-hint` : `${ids}-hint`}
              aria-invalid={length.over || undefined}
              onChange={(e) => {
                setDraft(e.target.value);
                // Whatever the last Send was refused for, this is a new text.
                setError('');
              }}
              onKeyDown={onKeyDown}
            />
            {length.over && turnLimit && (
              <p className="hint composer-limit" id={`${ids}-limit`} data-over data-testid="chat-too-long">
                {turnLimit.tooLong}
              </p>
            )}
            <div className="composer-bar">
              <span id={`${ids}-hint`} className="hint">
                Enter sends · Shift+Enter for a new line
                {length.near && turnLimit && (
                  <span className="char-count" data-testid="chat-count" data-over={length.over || undefined}>
                    {' · '}
                    {formatCount(length.count)} / {formatCount(turnLimit.max)} characters
                  </span>
                )}
              </span>
              {inFlight ? (
                <button type="button" className="button button-danger" data-testid="chat-stop" onClick={() => void stop()}>
                  Stop
                </button>
              ) : (
                <button
                  type="submit"
                  className="button button-primary"
                  data-testid="chat-send"
                  disabled={phase !== 'idle' || draft.trim() === '' || length.over}
                  aria-describedby={length.over ? `${ids}-limit` : undefined}
                  aria-keyshortcuts="Enter"
                >
                  Send
                </button>
              )}
            </div>
          </form>
        )}
      </section>
    </article>
  );
}
