import { useId, useMemo } from 'react';
import { diffStats, sameWords, wordDiff } from '../lib/wordDiff';
import { plural } from '../lib/format';

/** A label as it reads mid-sentence: "Your text" → "your text"; a name ("Cara's rewrite") keeps its capital. */
function midSentence(label: string): string {
  return /^Cara\b/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}

export interface DiffViewProps {
  before: string;
  after: string;
  /** What the two sides are, e.g. "Your text" and "Cara's rewrite". */
  beforeLabel: string;
  afterLabel: string;
  /** data-testid of the diff's root; "diff" unless given. */
  testId?: string;
}

/**
 * Word-level changes from `before` to `after`, inline: deletions are <del>
 * (struck through), insertions <ins> (underlined), so the meaning never rests
 * on colour; a legend says so, and screen readers hear "deleted"/"inserted"
 * (CSS ::before on del/ins). Texts too long or too different to compare are
 * shown one after the other.
 *
 * When nothing changed it says so instead of showing a diff of nothing.
 *
 * Test ids: `${testId}` (root, data-added / data-removed word counts),
 * `${testId}-legend`, `${testId}-none` (nothing changed).
 */
export function DiffView({ before, after, beforeLabel, afterLabel, testId = 'diff' }: DiffViewProps) {
  const ids = useId();
  const parts = useMemo(() => wordDiff(before, after), [before, after]);
  const stats = useMemo(() => (parts ? diffStats(parts) : null), [parts]);

  if (sameWords(before, after)) {
    return (
      <div className="diff" data-testid={testId} data-added={0} data-removed={0}>
        <p className="diff-none" data-testid={`${testId}-none`}>
          No changes: {midSentence(afterLabel)} is the same as {midSentence(beforeLabel)}, word for word.
        </p>
      </div>
    );
  }

  if (!parts || !stats) {
    return (
      <div className="diff diff-split" data-testid={testId}>
        <p className="muted">These texts are too long or too different to compare word by word.</p>
        <h3 className="diff-side-title">{beforeLabel}</h3>
        <p className="diff-text">{before}</p>
        <h3 className="diff-side-title">{afterLabel}</h3>
        <p className="diff-text">{after}</p>
      </div>
    );
  }

  return (
    <div className="diff" data-testid={testId} data-added={stats.added} data-removed={stats.removed}>
      <p className="diff-legend" id={`${ids}-legend`} data-testid={`${testId}-legend`}>
        <span>
          From {midSentence(beforeLabel)} to {midSentence(afterLabel)}:
        </span>
        <span className="diff-key">
          <del>struck through</del> = removed ({plural(stats.removed, 'word')})
        </span>
        <span className="diff-key">
          <ins>underlined</ins> = added ({plural(stats.added, 'word')})
        </span>
      </p>
      <p className="diff-text" aria-describedby={`${ids}-legend`}>
        {parts.map((p, i) =>
          p.kind === 'added' ? (
            <ins key={i}>{p.text}</ins>
          ) : p.kind === 'removed' ? (
            <del key={i}>{p.text}</del>
          ) : (
            <span key={i}>{p.text}</span>
          ),
        )}
      </p>
    </div>
  );
}
