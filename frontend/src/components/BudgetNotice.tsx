import { formatCount, formatPercent } from '../lib/format';
import { usagePercent, useUsage } from '../lib/useUsage';

export interface BudgetNoticeProps {
  /** What stops at 100 %, in the screen's words, e.g. "replies are paused" or "Ask Cara is paused". */
  paused: string;
  onOpenSettings?: (() => void) | undefined;
}

/**
 * BudgetNotice tells a user who is practising with AI that today's token
 * budget is nearly (80 %) or wholly used, with the way to Settings to raise
 * it. Renders nothing below 80 %. A screen that already says the budget is
 * spent (a refused call, feedback pending for it) leaves it out: one message.
 *
 * Test ids: budget-notice (data-level "warn" | "stop"), budget-notice-settings.
 */
export function BudgetNotice({ paused, onOpenSettings }: BudgetNoticeProps) {
  const { usage } = useUsage();
  if (!usage || (!usage.warn && !usage.stop)) return null;
  const settings = onOpenSettings && (
    <button type="button" className="button-link" data-testid="budget-notice-settings" onClick={onOpenSettings}>
      Raise it in Settings
    </button>
  );
  if (usage.stop) {
    return (
      <p className="usage-message usage-message-stop" role="alert" data-testid="budget-notice" data-level="stop">
        <span aria-hidden="true">■ </span>
        Today’s AI budget is used up ({formatCount(usage.used)} of {formatCount(usage.budget)} tokens): {paused} until
        tomorrow. {settings}
      </p>
    );
  }
  return (
    <p className="usage-message usage-message-warn" role="status" data-testid="budget-notice" data-level="warn">
      <span aria-hidden="true">▲ </span>
      You have used {formatPercent(usagePercent(usage))} of today’s AI budget. {settings}
    </p>
  );
}
