import { useEffect, useId, useRef, useState } from 'react';
import { errorMessage, type Review, type ReviewSummary } from '../api';
import { useApi } from '../api/ApiContext';
import { Meter } from '../components/ScoreCards';
import { Spinner } from '../components/Spinner';
import { formatFull, formatWhen, parseTime, plural, scoreBand } from '../lib/format';

export interface HistoryScreenProps {
  onOpen: (review: Review) => void;
  onStartReview: () => void;
  announce: (message: string) => void;
}

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; items: ReviewSummary[] };

function newestFirst(items: ReviewSummary[]): ReviewSummary[] {
  const time = (s: ReviewSummary) => parseTime(s.createdAt)?.getTime() ?? 0;
  return [...items].sort((a, b) => time(b) - time(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

export function HistoryScreen({ onOpen, onStartReview, announce }: HistoryScreenProps) {
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

  const open = async (item: ReviewSummary) => {
    if (busyId) return;
    setBusyId(item.id);
    setRowError(null);
    try {
      onOpen(await api.history.get(item.id));
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

  const remove = async (item: ReviewSummary, index: number) => {
    setBusyId(item.id);
    setRowError(null);
    try {
      await api.history.delete(item.id);
      setLoad((cur) => (cur.state === 'ready' ? { ...cur, items: cur.items.filter((i) => i.id !== item.id) } : cur));
      setConfirming(null);
      announce(`Deleted “${item.title || 'Untitled review'}”.`);
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
          Your reviews
        </h1>
        <p className="lede">
          {load.state === 'ready' && load.items.length > 0
            ? `${plural(load.items.length, 'review')}, newest first. Saved on this computer only.`
            : 'Every review you run is saved here, on this computer only.'}
        </p>
      </header>

      {load.state === 'loading' && (
        <p className="muted loading" role="status">
          <Spinner /> Loading your reviews…
        </p>
      )}

      {load.state === 'error' && (
        <p className="error" role="alert" data-testid="history-error">
          {load.message}
        </p>
      )}

      {load.state === 'ready' && load.items.length === 0 && (
        <div className="empty" data-testid="history-empty">
          <p className="empty-title">No reviews yet</p>
          <p className="muted">Paste a message or open a file on the Review screen — the report is kept here.</p>
          <button type="button" className="button button-primary" onClick={onStartReview}>
            Review a message
          </button>
        </div>
      )}

      {load.state === 'ready' && load.items.length > 0 && (
        <ul className="history-list" ref={listRef} aria-label="Saved reviews">
          {load.items.map((item, index) => {
            const title = item.title || 'Untitled review';
            const band = scoreBand(item.scores.overall);
            const isConfirming = confirming === item.id;
            const isBusy = busyId === item.id;
            return (
              <li key={item.id} className="history-item" data-testid="history-item" data-confirming={isConfirming || undefined}>
                <button
                  type="button"
                  className="history-open"
                  onClick={() => void open(item)}
                  aria-busy={isBusy}
                  aria-describedby={`${ids}-meta-${item.id}`}
                >
                  <span className="history-score" data-band={band.band}>
                    <span className="sr-only">Overall score </span>
                    {item.scores.overall}
                  </span>
                  <span className="history-main">
                    <span className="history-title">{title}</span>
                    <span className="history-meta" id={`${ids}-meta-${item.id}`}>
                      <time dateTime={item.createdAt} title={formatFull(item.createdAt)}>
                        {formatWhen(item.createdAt)}
                      </time>
                      {' · '}
                      {plural(item.words, 'word')}
                      {' · '}
                      {plural(item.flags, 'flag')}
                      {' · '}
                      {band.label}
                    </span>
                  </span>
                  <span className="history-meter" aria-hidden="true">
                    <Meter value={item.scores.overall} label="Overall" />
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
