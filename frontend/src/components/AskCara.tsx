import { useId, useState } from 'react';
import { toCaraError, type Review, type RewriteMode } from '../api';
import { useApi } from '../api/ApiContext';
import { AIState } from './AIState';
import { CallError } from './CallError';
import { DiffView } from './DiffView';
import { BudgetNotice } from './BudgetNotice';
import { Spinner } from './Spinner';
import { useQueueRefresh } from '../lib/useQueueRefresh';

const MODES: Array<{ id: RewriteMode; label: string; about: string }> = [
  { id: 'strict', label: 'Strict', about: 'Keep the facts and the shape; fix clarity, grammar and tone.' },
  { id: 'creative', label: 'Creative', about: 'Restructure freely, keep the truth.' },
];

export interface AskCaraProps {
  review: Review;
  /** Ask Cara answers with the review updated; the caller keeps it. */
  onReviewChange: (review: Review) => void;
  onOpenSettings?: (() => void) | undefined;
}

/** Copies text: the Clipboard API where allowed, else a selected textarea. */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Fall through to the older way.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand?.('copy') ?? false;
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

/**
 * Ask Cara on a report: choose strict or creative, get Gemini's summary,
 * points and a rewrite, shown as a word-level diff against the original,
 * with Copy rewrite. Pending and failed states say why and offer a retry.
 *
 * Test ids: ask-cara (panel), ask-cara-mode-strict / ask-cara-mode-creative
 * (radios), ask-cara-submit, ask-cara-error (+ -settings), ask-cara-result,
 * ask-cara-summary, ask-cara-points, ask-cara-view-diff / ask-cara-view-rewrite,
 * ask-cara-diff (DiffView), ask-cara-rewrite, ask-cara-copy,
 * ask-cara-copied; AIState's and BudgetNotice's ids.
 */
export function AskCara({ review, onReviewChange, onOpenSettings }: AskCaraProps) {
  const api = useApi();
  const ids = useId();
  const [mode, setMode] = useState<RewriteMode>(review.aiMode || review.ai?.mode || 'strict');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [view, setView] = useState<'diff' | 'rewrite'>('diff');
  const [copied, setCopied] = useState('');

  // A rewrite waiting in the offline queue appears when the queue gets it.
  const waiting = !busy && (review.aiStatus === 'pending' || review.aiStatus === 'running');
  useQueueRefresh(api, waiting, () => {
    api.history.get(review.id).then(
      (fresh) => {
        if (fresh.aiStatus !== review.aiStatus) onReviewChange(fresh);
      },
      () => {
        // Shown as it was; the next queue event asks again.
      },
    );
  });

  const ask = async (chosen: RewriteMode = mode) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setCopied('');
    try {
      onReviewChange(await api.askCara(review.id, chosen));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!review.ai) return;
    setCopied((await copyText(review.ai.rewrite)) ? 'Rewrite copied.' : 'Cara couldn’t copy — select the text instead.');
  };

  const ai = review.ai;
  // The pending box or the error already says the budget is spent: no second message.
  const budgetSaid =
    (!busy && review.aiStatus === 'pending' && review.aiErrorCode === 'budget') ||
    (error !== null && toCaraError(error).code === 'budget');
  return (
    <section className="report-section panel ask-cara" aria-labelledby={`${ids}-title`} data-testid="ask-cara" aria-busy={busy}>
      <div className="panel-head">
        <h2 id={`${ids}-title`}>Ask Cara</h2>
        <p className="panel-sub">
          Gemini reads your text and suggests a rewrite. Your text goes to Google only when you press Ask Cara.
        </p>
      </div>

      <form
        className="ask-cara-form"
        onSubmit={(e) => {
          e.preventDefault();
          void ask();
        }}
      >
        <fieldset className="choice-group">
          <legend className="sr-only">Rewrite mode</legend>
          <div className="choice-cards choice-cards-small">
            {MODES.map((m) => (
              <label key={m.id} className="choice-card" data-checked={mode === m.id || undefined}>
                <input
                  type="radio"
                  name={`${ids}-mode`}
                  value={m.id}
                  checked={mode === m.id}
                  data-testid={`ask-cara-mode-${m.id}`}
                  aria-describedby={`${ids}-m-${m.id}`}
                  onChange={() => setMode(m.id)}
                />
                <span className="choice-title">{m.label}</span>
                <span className="choice-about" id={`${ids}-m-${m.id}`}>
                  {m.about}
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button button-primary" data-testid="ask-cara-submit" disabled={busy} aria-busy={busy}>
            {busy ? (
              <>
                <Spinner /> Asking Cara…
              </>
            ) : ai ? (
              'Ask Cara again'
            ) : (
              'Ask Cara'
            )}
          </button>
        </div>
      </form>
      {!budgetSaid && <BudgetNotice paused="Ask Cara is paused" onOpenSettings={onOpenSettings} />}

      {error !== null && <CallError error={error} testId="ask-cara-error" onOpenSettings={onOpenSettings} />}

      <AIState
        status={busy ? 'running' : review.aiStatus}
        error={review.aiError}
        errorCode={review.aiErrorCode}
        retryAt={review.aiRetryAt}
        onRetry={() => void ask(review.aiMode || mode)}
        retryLabel="Retry Ask Cara"
        busy={busy}
        onOpenSettings={onOpenSettings}
      />

      {ai && (
        <div className="ask-cara-result" data-testid="ask-cara-result">
          <p className="report-meta">
            {ai.mode === 'creative' ? 'Creative' : 'Strict'} rewrite{ai.model ? ` · ${ai.model}` : ''}
          </p>
          {ai.summary && (
            <p className="ask-cara-summary" data-testid="ask-cara-summary">
              {ai.summary}
            </p>
          )}
          {ai.points.length > 0 && (
            <ol className="ask-cara-points" data-testid="ask-cara-points">
              {ai.points.map((p, i) => (
                <li key={i}>{p}</li>
              ))}
            </ol>
          )}

          <div className="ask-cara-rewrite-head">
            <h3>The rewrite</h3>
            <div className="segmented" role="group" aria-label="Show">
              <button
                type="button"
                aria-pressed={view === 'diff'}
                data-testid="ask-cara-view-diff"
                onClick={() => setView('diff')}
              >
                Changes
              </button>
              <button
                type="button"
                aria-pressed={view === 'rewrite'}
                data-testid="ask-cara-view-rewrite"
                onClick={() => setView('rewrite')}
              >
                Rewrite only
              </button>
            </div>
            <button type="button" className="button button-secondary button-small" data-testid="ask-cara-copy" onClick={() => void copy()}>
              Copy rewrite
            </button>
          </div>
          {view === 'diff' ? (
            <DiffView before={review.text} after={ai.rewrite} beforeLabel="Your text" afterLabel="Cara’s rewrite" testId="ask-cara-diff" />
          ) : (
            <p className="diff-text" data-testid="ask-cara-rewrite">
              {ai.rewrite}
            </p>
          )}
          <p className="hint" role="status" data-testid="ask-cara-copied">
            {copied}
          </p>
        </div>
      )}
    </section>
  );
}
