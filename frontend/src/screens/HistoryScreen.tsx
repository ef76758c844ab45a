import { useEffect, useId, useRef, useState } from 'react';
import { errorMessage, type Chat, type HistoryItem, type Review } from '../api';
import { useApi } from '../api/ApiContext';
import { aiStatusLabel } from '../components/AIState';
import { Meter } from '../components/ScoreCards';
import { Spinner } from '../components/Spinner';
import { formatFull, formatWhen, parseTime, plural, scoreBand } from '../lib/format';
import { useQueueRefresh } from '../lib/useQueueRefresh';

export interface HistoryScreenProps {
  onOpen: (review: Review) => void;
  onOpenChat: (chat: Chat) => void;
  onStartReview: () => void;
  announce: (message: string) => void;
  /** A practice was deleted: whatever shows it elsewhere must let it go. */
  onDeleted?: (id: string) => void;
}

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; items: HistoryItem[] };

function newestFirst(items: HistoryItem[]): HistoryItem[] {
  const time = (s: HistoryItem) => parseTime(s.createdAt)?.getTime() ?? 0;
  return [...items].sort((a, b) => time(b) - time(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

const KIND_LABEL = { review: 'Review', chat: 'Conversation' } as const;

function untitled(item: HistoryItem): string {
  return item.title || (item.kind === 'chat' ? 'Untitled conversation' : 'Untitled review');
}

/**
 * The overall score to show: a review's (the offline coach's), a chat's AI
 * feedback once ready, before that (pending, failed) the offline coach's
 * score of the user's turns as for reviews; null for a chat not ended.
 */
function overallOf(item: HistoryItem): number | null {
  if (item.kind === 'review') return item.review.scores.overall;
  const c = item.chat;
  if (c.aiStatus === 'ready' && c.overall > 0) return c.overall;
  return c.ended && c.offlineOverall > 0 ? c.offlineOverall : null;
}

function details(item: HistoryItem): string[] {
  if (item.kind === 'review') return [plural(item.review.words, 'word'), plural(item.review.flags, 'flag')];
  const c = item.chat;
  return [plural(c.turns, 'turn'), c.ended ? 'ended' : 'not ended'];
}

/**
 * Every review and conversation, newest first, each with its kind and AI
 * status; open or delete either kind.
 *
 * Test ids: history-item (data-kind, data-ai-status), history-kind,
 * history-ai-status, history-delete, history-confirm-delete, history-empty,
 * history-error.
 */
export function HistoryScreen({ onOpen, onOpenChat, onStartReview, announce, onDeleted }: HistoryScreenProps) {
  const api = useApi();
  const ids = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ id: string; message: string } | null>(null);

  useEffect(() => {
    let live = true;
    api.history
      .list()
      .then((items) => live && setLoad({ state: 'ready', items: newestFirst(items) }))
      .catch((e: unknown) => live && setLoad({ state: 'error', message: errorMessage(e) }));
    headingRef.current?.focus();
    return () => {
      live = false;
    };
  }, [api]);

  // AI badges follow the offline queue: pending items turn ready as it works.
  const hasWaiting = load.state === 'ready' && load.items.some((i) => i.aiStatus === 'pending' || i.aiStatus === 'running');
  useQueueRefresh(api, hasWaiting, () => {
    api.history.list().then(
      (items) => setLoad((cur) => (cur.state === 'ready' ? { state: 'ready', items: newestFirst(items) } : cur)),
      () => {
        // Keep the list as it is; the next queue event asks again.
      },
    );
  });

  const open = async (item: HistoryItem) => {
    if (busyId) return;
    setBusyId(item.id);
    setRowError(null);
    try {
      if (item.kind === 'chat') onOpenChat(await api.practice.get(item.id));
      else onOpen(await api.history.get(item.id));
    } catch (e) {
      setRowError({ id: item.id, message: errorMessage(e) });
      setBusyId(null);
    }
  };

  const focusRow = (index: number) => {
    window.setTimeout(() => {
      const rows = listRef.current?.querySelectorAll<HTMLButtonElement>('.history-open');
      const target = rows && rows.length > 0 ? rows[Math.min(index, rows.length - 1)] : null;
      (target ?? headingRef.current)?.focus();
    }, 0);
  };

  const remove = async (item: HistoryItem, index: number) => {
    setBusyId(item.id);
    setRowError(null);
    try {
      await api.history.delete(item.id);
      setLoad((cur) => (cur.state === 'ready' ? { ...cur, items: cur.items.filter((i) => i.id !== item.id) } : cur));
      setConfirming(null);
      announce(`Deleted “${untitled(item)}”.`);
      onDeleted?.(item.id);
      focusRow(index);
    } catch (e) {
      setRowError({ id: item.id, message: errorMessage(e) });
    } finally {
      setBusyId(null);
    }
  };

  const cancel = (id: string) => {
    setConfirming(null);
    window.setTimeout(() => document.getElementById(`${ids}-del-${id}`)?.focus(), 0);
  };

  return (
    <section className="screen history-screen" aria-labelledby={`${ids}-heading`}>
      <header className="screen-header">
        <p className="eyebrow">History</p>
        <h1 id={`${ids}-heading`} ref={headingRef} tabIndex={-1}>
          Your practice
        </h1>
        <p className="lede">
          {load.state === 'ready' && load.items.length > 0
            ? `${plural(load.items.length, 'session')}, newest first. Saved on this computer only.`
            : 'Every review and conversation is saved here, on this computer only.'}
        </p>
      </header>

      {load.state === 'loading' && (
        <p className="muted loading" role="status">
          <Spinner /> Loading your history…
        </p>
      )}

      {load.state === 'error' && (
        <p className="error" role="alert" data-testid="history-error">
          {load.message}
        </p>
      )}

      {load.state === 'ready' && load.items.length === 0 && (
        <div className="empty" data-testid="history-empty">
          <p className="empty-title">Nothing here yet</p>
          <p className="muted">
            Paste a message or open a file on the Review screen, or practise a conversation — each one is kept here.
          </p>
          <button type="button" className="button button-primary" onClick={onStartReview}>
            Review a message
          </button>
        </div>
      )}

      {load.state === 'ready' && load.items.length > 0 && (
        <ul className="history-list" ref={listRef} aria-label="Saved reviews and conversations">
          {load.items.map((item, index) => {
            const title = untitled(item);
            const overall = overallOf(item);
            const band = overall === null ? null : scoreBand(overall);
            const aiLabel = aiStatusLabel(item.aiStatus);
            const isConfirming = confirming === item.id;
            const isBusy = busyId === item.id;
            return (
              <li
                key={item.id}
                className="history-item"
                data-testid="history-item"
                data-kind={item.kind}
                data-ai-status={item.aiStatus}
                data-confirming={isConfirming || undefined}
              >
                <button
                  type="button"
                  className="history-open"
                  onClick={() => void open(item)}
                  aria-busy={isBusy}
                  aria-describedby={`${ids}-meta-${item.id}`}
                >
                  <span className="history-score" data-band={band?.band ?? 'none'}>
                    {overall === null ? (
                      <>
                        <span aria-hidden="true">–</span>
                        <span className="sr-only">No score yet</span>
                      </>
                    ) : (
                      <>
                        <span className="sr-only">Overall score </span>
                        {overall}
                      </>
                    )}
                  </span>
                  <span className="history-main">
                    <span className="history-badges">
                      <span className="badge badge-kind" data-kind={item.kind} data-testid="history-kind">
                        {KIND_LABEL[item.kind]}
                      </span>
                      {aiLabel && (
                        <span className="badge badge-ai" data-ai-status={item.aiStatus} data-testid="history-ai-status">
                          {aiLabel}
                        </span>
                      )}
                    </span>
                    <span className="history-title">{title}</span>
                    <span className="history-meta" id={`${ids}-meta-${item.id}`}>
                      <time dateTime={item.createdAt} title={formatFull(item.createdAt)}>
                        {formatWhen(item.createdAt)}
                      </time>
                      {details(item).map((d) => ` · ${d}`)}
                      {band && ` · ${band.label}`}
                    </span>
                  </span>
                  <span className="history-meter" aria-hidden="true">
                    {overall !== null && <Meter value={overall} label="Overall" />}
                  </span>
                  {isBusy && !isConfirming && <Spinner />}
                </button>

                {isConfirming ? (
                  <div
                    className="confirm"
                    role="group"
                    aria-label={`Delete “${title}”?`}
                    onKeyDown={(e) => {
                      if (e.key === 'Escape') {
                        e.stopPropagation();
                        cancel(item.id);
                      }
                    }}
                  >
                    <span className="confirm-text">Delete for good?</span>
                    <button
                      type="button"
                      className="button button-danger button-small"
                      data-testid="history-confirm-delete"
                      disabled={isBusy}
                      onClick={() => void remove(item, index)}
                    >
                      {isBusy ? 'Deleting…' : 'Delete'}
                    </button>
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      autoFocus
                      onClick={() => cancel(item.id)}
                    >
                      Cancel
                    </button>
                  </div>
                ) : (
                  <button
                    type="button"
                    id={`${ids}-del-${item.id}`}
                    className="button button-quiet button-small history-delete"
                    data-testid="history-delete"
                    aria-label={`Delete “${title}”`}
                    onClick={() => {
                      setRowError(null);
                      setConfirming(item.id);
                    }}
                  >
                    Delete
                  </button>
                )}
                {rowError?.id === item.id && (
                  <p className="error history-row-error" role="alert">
                    {rowError.message}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
