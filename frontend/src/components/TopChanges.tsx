import type { Change } from '../api';
import { kindInfo } from '../lib/flagKinds';

/** What to say when nothing stands out, for a message about to be sent. */
export const NOTHING_TO_CHANGE = 'Nothing stands out — this reads well. Send it.';

/**
 * The three changes worth making first, or `none` when there are none
 * (a finished conversation says something other than "Send it").
 */
export function TopChanges({ changes, none = NOTHING_TO_CHANGE }: { changes: readonly Change[]; none?: string }) {
  const top = changes.slice(0, 3);
  if (top.length === 0) {
    return (
      <p className="muted" data-testid="top-changes">
        {none}
      </p>
    );
  }
  return (
    <ol className="top-changes" data-testid="top-changes">
      {top.map((c, i) => (
        <li key={i} className="top-change">
          <span className="top-change-number" aria-hidden="true">
            {i + 1}
          </span>
          <div>
            <p className="top-change-title">{c.title}</p>
            {c.detail && <p className="top-change-detail">{c.detail}</p>}
            {c.kind && (
              <p className="top-change-kind">
                <span className="kind-swatch" data-kind={c.kind} aria-hidden="true" />
                {kindInfo(c.kind).label}
              </p>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
