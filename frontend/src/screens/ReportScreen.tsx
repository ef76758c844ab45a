import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { FlagKind, Review, Span } from '../api';
import { AskCara } from '../components/AskCara';
import { countByKind, FlagLegend } from '../components/FlagLegend';
import { HighlightedText } from '../components/HighlightedText';
import { ReadabilityTable } from '../components/ReadabilityTable';
import { ScoreCards } from '../components/ScoreCards';
import { SentenceChart } from '../components/SentenceChart';
import { TopChanges } from '../components/TopChanges';
import { formatCount, formatFull, formatWhen, plural, readingMinutes } from '../lib/format';

const NO_SPANS: Span[] = [];

export interface ReportScreenProps {
  review: Review;
  backLabel: string;
  onBack: () => void;
  onNewReview?: (() => void) | undefined;
  /** Ask Cara updated the review (its AI part); omit to hide Ask Cara. */
  onReviewChange?: ((review: Review) => void) | undefined;
  onOpenSettings?: (() => void) | undefined;
}

function sourceLabel(source: string): string {
  if (!source || source === 'paste') return 'Pasted text';
  return `From ${source}`;
}

export function ReportScreen({ review, backLabel, onBack, onNewReview, onReviewChange, onOpenSettings }: ReportScreenProps) {
  const ids = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const { report } = review;
  const [hidden, setHidden] = useState<ReadonlySet<FlagKind>>(new Set());

  useEffect(() => {
    headingRef.current?.focus();
    setHidden(new Set());
  }, [review.id]);

  const visibleFlags = useMemo(
    () => (hidden.size === 0 ? report.flags : report.flags.filter((f) => !hidden.has(f.kind))),
    [report.flags, hidden],
  );

  const counts = useMemo(() => {
    const c = countByKind(report.flags);
    if (report.sentences.long.length > 0) c.set('long_sentence', report.sentences.long.length);
    return c;
  }, [report]);
  const longSentences = hidden.has('long_sentence') ? NO_SPANS : report.sentences.long;
  const toFix = report.flags.length + report.sentences.long.length;

  const toggle = (kind: FlagKind) =>
    setHidden((cur) => {
      const next = new Set(cur);
      if (next.has(kind)) next.delete(kind);
      else next.add(kind);
      return next;
    });

  const notes = report.notes;

  return (
    <article className="screen report" data-testid="report" aria-labelledby={`${ids}-title`}>
      <div className="report-toolbar">
        <button type="button" className="button-link back-link" onClick={onBack}>
          <span aria-hidden="true">←</span> {backLabel}
        </button>
        {onNewReview && (
          <button type="button" className="button button-secondary" onClick={onNewReview}>
            New review
          </button>
        )}
      </div>

      <header className="screen-header report-header">
        <p className="eyebrow">Report</p>
        <h1 id={`${ids}-title`} ref={headingRef} tabIndex={-1} className="report-title">
          {review.title || 'Untitled review'}
        </h1>
        <p className="report-meta">
          <time dateTime={review.createdAt} title={formatFull(review.createdAt)}>
            {formatWhen(review.createdAt)}
          </time>
          <span aria-hidden="true"> · </span>
          {sourceLabel(review.source)}
          <span aria-hidden="true"> · </span>
          {plural(report.counts.words, 'word')}
          <span aria-hidden="true"> · </span>
          {readingMinutes(report.counts.words)} min read
        </p>
      </header>

      {notes.length > 0 && (
        <div className="notice notice-warning" role="note" data-testid="report-notes">
          {notes.map((n, i) => (
            <p key={i}>{n}</p>
          ))}
        </div>
      )}

      <section aria-labelledby={`${ids}-scores`} className="report-section">
        <h2 id={`${ids}-scores`} className="sr-only">
          Scores
        </h2>
        <ScoreCards scores={report.scores} />
      </section>

      <div className="report-grid">
        <section aria-labelledby={`${ids}-text`} className="report-section panel text-panel">
          <div className="panel-head">
            <h2 id={`${ids}-text`}>Your text</h2>
            <p className="panel-sub">
              {toFix === 0
                ? 'Nothing flagged.'
                : `${plural(toFix, 'thing')} to look at. Hover over a highlight, or tab to it, for the fix.`}
            </p>
          </div>
          <FlagLegend counts={counts} hidden={hidden} onToggle={toggle} onShowAll={() => setHidden(new Set())} />
          <HighlightedText text={review.text} flags={visibleFlags} longSentences={longSentences} />
        </section>

        <div className="report-side">
          <section aria-labelledby={`${ids}-changes`} className="report-section panel">
            <h2 id={`${ids}-changes`}>Top 3 changes</h2>
            <TopChanges changes={report.topChanges} />
          </section>

          <section aria-labelledby={`${ids}-counts`} className="report-section panel">
            <h2 id={`${ids}-counts`}>Counts</h2>
            <dl className="counts" data-testid="counts">
              <div>
                <dt>Words</dt>
                <dd>{formatCount(report.counts.words)}</dd>
              </div>
              <div>
                {/* Every sentence, as in the chart; the readability formulas use
                    textstat's count, which skips sentences of two words or fewer. */}
                <dt>Sentences</dt>
                <dd>{formatCount(report.sentences.count)}</dd>
              </div>
              <div>
                <dt>Paragraphs</dt>
                <dd>{formatCount(report.counts.paragraphs)}</dd>
              </div>
              <div>
                <dt>Syllables</dt>
                <dd>{formatCount(report.counts.syllables)}</dd>
              </div>
              <div>
                <dt>Characters (no spaces)</dt>
                <dd>{formatCount(report.counts.characters)}</dd>
              </div>
              <div>
                <dt>Hard words</dt>
                <dd>{formatCount(report.counts.difficultWords)}</dd>
              </div>
              {report.wpm !== undefined && (
                <div>
                  <dt>Words a minute</dt>
                  <dd>
                    {Math.round(report.wpm)} <span className="muted">(aim 130–160)</span>
                  </dd>
                </div>
              )}
            </dl>
          </section>
        </div>
      </div>

      {onReviewChange && <AskCara review={review} onReviewChange={onReviewChange} onOpenSettings={onOpenSettings} />}

      <section aria-labelledby={`${ids}-read`} className="report-section panel">
        <h2 id={`${ids}-read`}>Readability</h2>
        <ReadabilityTable readability={report.readability} />
      </section>
      <section aria-labelledby={`${ids}-len`} className="report-section panel">
        <h2 id={`${ids}-len`}>Sentence length</h2>
        <SentenceChart sentences={report.sentences} />
      </section>
    </article>
  );
}
