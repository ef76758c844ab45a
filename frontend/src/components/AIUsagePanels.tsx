import { useEffect, useId, useState, type FormEvent } from 'react';
import { errorMessage, type QueueStatus } from '../api';
import { useApi } from '../api/ApiContext';
import { formatClock, formatCount, formatPercent, plural } from '../lib/format';
import { useFinishedAt } from '../lib/useFinishedAt';
import { usagePercent, useUsage } from '../lib/useUsage';
import { ErrorMessage } from './ErrorMessage';
import { Spinner } from './Spinner';

/**
 * Today's Gemini tokens against the daily budget, live from "ai:usage"; warn
 * styling from 80 %, a stop message at 100 %; the budget can be changed.
 *
 * Test ids: usage (data-level ok|warn|stop), usage-text, usage-bar,
 * usage-warn, usage-stop, budget-input, budget-save, budget-error,
 * usage-error.
 */
export function UsagePanel({ announce }: { announce: (message: string) => void }) {
  const api = useApi();
  const ids = useId();
  const [budget, setBudget] = useState('');
  const { usage, setUsage, loadError } = useUsage((u) => setBudget(String(u.budget)));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState('');
  const [errorKey, setErrorKey] = useState(0);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (saving) return;
    const trimmed = budget.trim();
    // Go validates the number; only something that is not a whole number is refused here.
    const tokens = /^\d+$/.test(trimmed.replace(/[,_\s]/g, '')) ? Number(trimmed.replace(/[,_\s]/g, '')) : NaN;
    setError('');
    if (!Number.isSafeInteger(tokens)) {
      setError('Enter the budget as a whole number of tokens, e.g. 50000.');
      setErrorKey((k) => k + 1);
      return;
    }
    setSaving(true);
    try {
      const u = await api.settings.setDailyBudget(tokens);
      setUsage(u);
      setBudget(String(u.budget));
      announce(`Daily budget set to ${formatCount(u.budget)} tokens.`);
    } catch (err) {
      setError(errorMessage(err));
      setErrorKey((k) => k + 1);
    } finally {
      setSaving(false);
    }
  };

  const pct = usage ? usagePercent(usage) : 0;
  const level = usage?.stop ? 'stop' : usage?.warn ? 'warn' : 'ok';

  return (
    <section className="panel settings-section" aria-labelledby={`${ids}-title`} id="settings-usage">
      <div className="panel-head">
        <h2 id={`${ids}-title`}>AI usage today</h2>
        <p className="panel-sub">
          Tokens Gemini counted for your calls today. Cara warns at 80 % of the daily budget and stops AI calls at
          100 % until tomorrow or until you raise it. The offline coach is never limited.
        </p>
      </div>

      {loadError && (
        <p className="error" role="alert" data-testid="usage-error">
          {loadError}
        </p>
      )}
      {!usage && !loadError && (
        <p className="muted" role="status">
          <Spinner /> Loading…
        </p>
      )}
      {usage && (
        <div className="usage" data-testid="usage" data-level={level}>
          <p className="usage-text" data-testid="usage-text">
            <strong>{formatCount(usage.used)}</strong> of {formatCount(usage.budget)} tokens ({formatPercent(pct)})
          </p>
          <div
            className="usage-bar"
            data-testid="usage-bar"
            role="meter"
            aria-label="Today's AI usage"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.min(100, pct)}
            aria-valuetext={`${formatPercent(pct)} of the daily budget`}
            data-level={level}
          >
            <span className="usage-fill" style={{ width: `${Math.min(100, pct)}%` }} />
          </div>
          {usage.stop ? (
            <p className="usage-message usage-message-stop" role="alert" data-testid="usage-stop">
              <span aria-hidden="true">■ </span>
              Today’s budget is used up: AI coaching is paused until tomorrow. Raise the budget below to go on now.
            </p>
          ) : usage.warn ? (
            <p className="usage-message usage-message-warn" role="status" data-testid="usage-warn">
              <span aria-hidden="true">▲ </span>
              You have used {formatPercent(pct)} of today’s budget.
            </p>
          ) : null}
        </div>
      )}

      <form className="budget-form" onSubmit={(e) => void save(e)} noValidate>
        <div className="field">
          <label htmlFor={`${ids}-budget`}>Daily budget (tokens)</label>
          <div className="budget-row">
            <input
              id={`${ids}-budget`}
              className="input budget-input"
              data-testid="budget-input"
              inputMode="numeric"
              autoComplete="off"
              value={budget}
              aria-invalid={error !== '' || undefined}
              onChange={(e) => setBudget(e.target.value)}
            />
            <button
              type="submit"
              className="button button-secondary"
              data-testid="budget-save"
              disabled={saving || budget.trim() === ''}
              aria-busy={saving}
            >
              {saving ? (
                <>
                  <Spinner /> Saving…
                </>
              ) : (
                'Save'
              )}
            </button>
          </div>
        </div>
        {error && <ErrorMessage key={errorKey} message={error} testId="budget-error" />}
      </form>
    </section>
  );
}

/** "Processing 2 of 5: <title>" while running; how many wait otherwise. */
export function queueText(q: QueueStatus): string {
  if (q.running && q.total > 0) {
    const n = Math.min(q.done + 1, q.total);
    return `Processing ${n} of ${q.total}${q.current ? `: ${q.current}` : ''}`;
  }
  if (q.pending === 0) return 'No practices waiting for AI feedback.';
  return `${plural(q.pending, 'practice')} waiting for AI feedback`;
}

/**
 * The offline queue: practices saved while Gemini was unreachable wait here
 * and are processed when it is back; live from "ai:queue", with Process now.
 *
 * Test ids: queue-status (data-running), queue-progress, queue-process,
 * queue-error.
 */
export function QueuePanel({ announce }: { announce: (message: string) => void }) {
  const api = useApi();
  const ids = useId();
  const [queue, setQueue] = useState<QueueStatus | null>(null);
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    let live = true;
    const off = api.onQueue((q) => live && setQueue(q));
    api.settings.queue().then(
      (q) => live && setQueue(q),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
      off();
    };
  }, [api]);

  const processNow = async () => {
    if (asking) return;
    setAsking(true);
    setError('');
    try {
      const q = await api.settings.processQueue();
      setQueue(q);
      announce(q.running ? 'Processing the practices waiting for AI feedback.' : queueText(q));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setAsking(false);
    }
  };

  const running = queue?.running === true;
  // When the last run (ours or the background one) ended: a run that stops
  // for the same reason again still shows that it happened.
  const ranAt = useFinishedAt(asking || running);
  return (
    <section className="panel settings-section" aria-labelledby={`${ids}-title`} id="settings-queue">
      <div className="panel-head">
        <h2 id={`${ids}-title`}>Waiting for AI feedback</h2>
        <p className="panel-sub">
          Practices finished without a key or a connection keep their offline report; Cara adds Gemini’s feedback
          when it can reach Gemini again, without you redoing them.
        </p>
      </div>
      {queue && (
        <>
          <p className="queue-status" data-testid="queue-status" data-running={running || undefined} role="status">
            {queueText(queue)}
          </p>
          {running && queue.total > 0 && (
            <progress
              className="queue-progress"
              data-testid="queue-progress"
              max={queue.total}
              value={queue.done}
              aria-label="AI feedback progress"
            />
          )}
          {queue.error && !running && (
            <p className="usage-message usage-message-warn" data-testid="queue-error">
              Last run stopped{ranAt ? ` at ${formatClock(ranAt)}` : ''}: {queue.error}
            </p>
          )}
        </>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="button button-secondary"
          data-testid="queue-process"
          disabled={asking || running || !queue || queue.pending === 0}
          aria-busy={asking}
          onClick={() => void processNow()}
        >
          {asking || running ? (
            <>
              <Spinner /> Processing…
            </>
          ) : (
            'Process now'
          )}
        </button>
      </div>
    </section>
  );
}
