import { settingsFixes, type AIStatus } from '../api';
import { formatClock } from '../lib/format';
import { useFinishedAt } from '../lib/useFinishedAt';
import { RetryButton } from './RetryButton';
import { Spinner } from './Spinner';

/** The pending state's title; Go's reason (no network, no key, no budget …) follows it. */
export const PENDING_MESSAGE = 'AI feedback pending';
const DEFAULT_PENDING_REASON = 'Cara will add it when Gemini is reachable again.';

export interface AIStateProps {
  status: AIStatus;
  /** Go's reason for pending or failed. */
  error: string;
  /** Its code: Settings is offered only when it is the fix. */
  errorCode: string;
  /** When Gemini said to try again (a quota error): Retry waits until then. */
  retryAt?: string | undefined;
  /** Asks again (Practice.End again, or Ask Cara again). */
  onRetry: () => void;
  retryLabel: string;
  busy: boolean;
  /** Opens Settings, where a key or a larger budget fixes most pending states. */
  onOpenSettings?: (() => void) | undefined;
}

/**
 * What to show while AI feedback is not there: running, pending (with the
 * reason, "Try now" and a way to Settings) or failed (the reason and Retry).
 * After a try that did not bring it, it says when it last tried, so a try
 * that fails the same way again still shows it happened. Renders nothing
 * for "ready" and "".
 *
 * Test ids: ai-running, ai-pending, ai-failed, ai-retry, ai-open-settings,
 * ai-tried.
 */
export function AIState({ status, error, errorCode, retryAt, onRetry, retryLabel, busy, onOpenSettings }: AIStateProps) {
  const triedAt = useFinishedAt(busy);
  const tried = triedAt && (
    <p className="ai-state-tried" data-testid="ai-tried">
      Last tried at {formatClock(triedAt)}.
    </p>
  );
  const settings = onOpenSettings && settingsFixes(errorCode) && (
    <button type="button" className="button-link" data-testid="ai-open-settings" onClick={onOpenSettings}>
      Open Settings
    </button>
  );
  if (status === 'running' || (busy && status !== 'ready')) {
    return (
      <p className="ai-state ai-state-running" role="status" data-testid="ai-running">
        <Spinner /> Cara is asking Gemini…
      </p>
    );
  }
  if (status === 'pending') {
    return (
      <div className="ai-state ai-state-pending" role="status" data-testid="ai-pending">
        <p className="ai-state-title">{PENDING_MESSAGE}</p>
        <p className="ai-state-reason">{error || DEFAULT_PENDING_REASON}</p>
        {tried}
        <div className="ai-state-actions">
          <RetryButton label="Try now" onClick={onRetry} retryAt={retryAt} testId="ai-retry" />
          {settings}
        </div>
      </div>
    );
  }
  if (status === 'failed') {
    return (
      <div className="ai-state ai-state-failed" role="alert" data-testid="ai-failed">
        <p className="ai-state-title">{error || 'Cara could not get AI feedback.'}</p>
        {tried}
        <div className="ai-state-actions">
          <RetryButton label={retryLabel} onClick={onRetry} retryAt={retryAt} testId="ai-retry" />
          {settings}
        </div>
      </div>
    );
  }
  return null;
}

/** A label for an AI status in lists: "AI ready", "AI feedback pending" … or "" for none. */
export function aiStatusLabel(status: AIStatus): string {
  switch (status) {
    case 'ready':
      return 'AI ready';
    case 'pending':
      return 'AI feedback pending';
    case 'running':
      return 'AI working';
    case 'failed':
      return 'AI failed';
    default:
      return '';
  }
}
