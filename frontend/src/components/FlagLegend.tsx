import type { Flag, FlagKind } from '../api';
import { FLAG_KINDS } from '../api';
import { kindInfo } from '../lib/flagKinds';

export function countByKind(flags: readonly Flag[]): Map<FlagKind, number> {
  const counts = new Map<FlagKind, number>();
  for (const f of flags) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  return counts;
}

/** Orders kinds as FLAG_KINDS does; unknown kinds from a newer Go side go last. */
function orderedKinds(counts: ReadonlyMap<FlagKind, number>): FlagKind[] {
  const known = FLAG_KINDS.filter((k) => counts.has(k));
  const unknown = [...counts.keys()].filter((k) => !FLAG_KINDS.includes(k)).sort();
  return [...known, ...unknown];
}

export interface FlagLegendProps {
  /** How many of each kind the text has. */
  counts: ReadonlyMap<FlagKind, number>;
  hidden: ReadonlySet<FlagKind>;
  onToggle: (kind: FlagKind) => void;
  onShowAll: () => void;
}

/** The flag kinds in this text with counts; each one toggles its highlights. */
export function FlagLegend({ counts, hidden, onToggle, onShowAll }: FlagLegendProps) {
  const kinds = orderedKinds(counts);
  if (kinds.length === 0) return null;
  return (
    <div className="legend" role="group" aria-label="Show or hide flags by kind">
      <ul className="legend-list">
        {kinds.map((kind) => {
          const info = kindInfo(kind);
          const shown = !hidden.has(kind);
          return (
            <li key={kind}>
              <button
                type="button"
                className="legend-chip"
                data-kind={kind}
                data-testid="legend-chip"
                aria-pressed={shown}
                title={info.about}
                onClick={() => onToggle(kind)}
              >
                <span className="kind-swatch" data-kind={kind} aria-hidden="true" />
                <span className="legend-label">{info.label}</span>
                <span className="legend-count">{counts.get(kind)}</span>
              </button>
            </li>
          );
        })}
      </ul>
      {hidden.size > 0 && (
        <button type="button" className="button-link legend-reset" onClick={onShowAll}>
          Show all
        </button>
      )}
    </div>
  );
}
