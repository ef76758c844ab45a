import { needsSettings, toCaraError } from '../api';
import { RetryButton } from './RetryButton';

export interface CallErrorProps {
  error: unknown;
  testId: string;
  /** Shown as "Open Settings" when the fix is there (no key, budget spent). */
  onOpenSettings?: (() => void) | undefined;
  /** Makes the call again: offered as Retry. */
  onRetry?: (() => void) | undefined;
  /** When the call failed (ms): with Gemini's wait (retryAfter) Retry counts down from there. */
  failedAt?: number | undefined;
}

/**
 * A failed call's message as Go said it, with Retry when the caller can
 * make the call again. When the code is "no_key" or "budget" it offers the
 * way to Settings. Test ids: `${testId}`, `${testId}-retry` and
 * `${testId}-settings`.
 */
export function CallError({ error, testId, onOpenSettings, onRetry, failedAt }: CallErrorProps) {
  const err = toCaraError(error);
  const retryAt = err.retryAfter > 0 && failedAt !== undefined ? failedAt + err.retryAfter * 1000 : null;
  return (
    <div className="error call-error" role="alert" data-testid={testId} data-code={err.code}>
      <p>{err.message}</p>
      {onRetry && <RetryButton label="Retry" onClick={onRetry} retryAt={retryAt} testId={`${testId}-retry`} />}
      {onOpenSettings && needsSettings(err) && (
        <button type="button" className="button-link" data-testid={`${testId}-settings`} onClick={onOpenSettings}>
          {err.code === 'budget' ? 'Raise the daily budget in Settings' : 'Add a Gemini key in Settings'}
        </button>
      )}
    </div>
  );
}
