import { deadlineOf, useSecondsLeft } from '../lib/useSecondsLeft';

export interface RetryButtonProps {
  label: string;
  onClick: () => void;
  /**
   * When Gemini said to try again (after "quota reached — try again in
   * N s"): until then the button counts down and waits, since an earlier
   * try could only be refused the same way. RFC 3339 from Go, or ms.
   */
  retryAt?: string | number | null | undefined;
  testId?: string | undefined;
  className?: string | undefined;
  disabled?: boolean | undefined;
}

/**
 * A Retry button that respects Gemini's wait: "Retry in 12 s", disabled,
 * until the wait is over, then its label. Test id: testId (data-wait, the
 * seconds left, while waiting).
 */
export function RetryButton({
  label,
  onClick,
  retryAt,
  testId,
  className = 'button button-secondary button-small',
  disabled = false,
}: RetryButtonProps) {
  const wait = useSecondsLeft(deadlineOf(retryAt));
  return (
    <button
      type="button"
      className={className}
      data-testid={testId}
      data-wait={wait > 0 ? wait : undefined}
      disabled={disabled || wait > 0}
      onClick={onClick}
    >
      {wait > 0 ? `${label} in ${wait} s` : label}
    </button>
  );
}
