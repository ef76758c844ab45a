import type { Change } from '../api';
import { kindInfo } from '../lib/flagKinds';

export function TopChanges({ changes }: { changes: readonly Change[] }) {
  const top = changes.slice(0, 3);
  if (top.length === 0) {
    return (
      <p className="muted" data-testid="top-changes">
        Nothing stands out — this reads well. Send it.
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
