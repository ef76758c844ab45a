import { useId } from 'react';
import { FEEDBACK_DIMENSIONS, type BetterVersion, type Chat, type FeedbackDimension } from '../api';
import { scoreBand } from '../lib/format';
import { sameWords } from '../lib/wordDiff';
import { AIState } from './AIState';
import { DiffView } from './DiffView';
import { ReadabilityTable } from './ReadabilityTable';
import { Meter, ScoreCards } from './ScoreCards';
import { TopChanges } from './TopChanges';

const DIMENSION_LABELS: Record<FeedbackDimension, string> = {
  clarity: 'Clarity',
  pace: 'Pace',
  confidence: 'Confidence',
  tone: 'Tone',
  relevance: 'Relevance',
  structure: 'Structure',
};

/**
 * The weakest answer and Gemini's better version of it, with the changes
 * word by word; or, when the better version is the same words, the answer
 * and plainly that it needs no change.
 *
 * Test ids: feedback-better, feedback-better-original, feedback-better-improved,
 * feedback-better-same, feedback-diff.
 */
function BetterVersionPanel({ better }: { better: BetterVersion }) {
  const ids = useId();
  const same = better.original !== '' && sameWords(better.original, better.improved);
  return (
    <section className="panel report-section" aria-labelledby={`${ids}-better`} data-testid="feedback-better" data-same={same || undefined}>
      <h3 id={`${ids}-better`}>{same ? 'Your weakest answer' : 'A better version of your weakest answer'}</h3>
      {same ? (
        <>
          <blockquote className="better-text" data-testid="feedback-better-original">
            {better.original}
          </blockquote>
          <p className="better-same" data-testid="feedback-better-same">
            Cara would say it the same way: no change to suggest here.
          </p>
        </>
      ) : (
        <>
          <div className="better-pair">
            <div>
              <p className="score-label">You said</p>
              <blockquote className="better-text" data-testid="feedback-better-original">
                {better.original}
              </blockquote>
            </div>
            <div>
              <p className="score-label">Try</p>
              <blockquote className="better-text better-improved" data-testid="feedback-better-improved">
                {better.improved}
              </blockquote>
            </div>
          </div>
          {better.original && (
            <DiffView
              before={better.original}
              after={better.improved}
              beforeLabel="What you said"
              afterLabel="The better version"
              testId="feedback-diff"
            />
          )}
        </>
      )}
      {better.why && <p className="better-why">{better.why}</p>}
    </section>
  );
}

export interface FeedbackViewProps {
  chat: Chat;
  /** Asks for the feedback again (Practice.End on the ended chat). */
  onRetryFeedback: () => void;
  busy: boolean;
  onOpenSettings?: (() => void) | undefined;
}

/**
 * An ended chat's feedback: Gemini's part (overall score, six dimensions
 * with evidence, highlights quoting the user, three action items, the
 * weakest turn rewritten) or its pending/failed state, and beside it the
 * offline coach's measures of the user's turns.
 *
 * Test ids: feedback, feedback-overall (data-value), feedback-dim-<name>
 * (data-value), feedback-highlights, feedback-actions, feedback-better,
 * feedback-offline; AIState's ids for the pending/failed states.
 */
export function FeedbackView({ chat, onRetryFeedback, busy, onOpenSettings }: FeedbackViewProps) {
  const ids = useId();
  const fb = chat.aiStatus === 'ready' ? chat.feedback : undefined;
  const overall = fb ? Math.round(fb.overall) : 0;

  return (
    <div className="feedback" data-testid="feedback">
      <div className="feedback-grid">
        <section className="feedback-ai" aria-labelledby={`${ids}-ai`}>
          <h2 id={`${ids}-ai`}>Cara’s feedback</h2>
          <AIState
            status={busy ? 'running' : fb ? 'ready' : chat.aiStatus === 'ready' ? 'failed' : chat.aiStatus || 'pending'}
            error={chat.aiError}
            errorCode={chat.aiErrorCode}
            retryAt={chat.aiRetryAt}
            onRetry={onRetryFeedback}
            retryLabel="Retry feedback"
            busy={busy}
            onOpenSettings={onOpenSettings}
          />
          {fb && (
            <>
              <div className="feedback-overall" data-testid="feedback-overall" data-value={overall} data-band={scoreBand(overall).band}>
                <p className="score-label">Overall</p>
                <p className="score-value">
                  <span className="score-number">{overall}</span>
                  <span className="score-max">/100</span>
                </p>
                <Meter value={overall} label="Overall score" />
                <p className="score-band">
                  <span className="band-dot" aria-hidden="true" />
                  {scoreBand(overall).label}
                </p>
              </div>

              <ul className="dimension-cards" aria-label="Scores by dimension">
                {FEEDBACK_DIMENSIONS.map((d) => {
                  const dim = fb[d];
                  const value = Math.round(dim.score);
                  const band = scoreBand(value);
                  return (
                    <li key={d} className="score-card" data-testid={`feedback-dim-${d}`} data-value={value} data-band={band.band}>
                      <p className="score-label">{DIMENSION_LABELS[d]}</p>
                      <p className="score-value">
                        <span className="score-number">{value}</span>
                        <span className="score-max">/100</span>
                      </p>
                      <Meter value={value} label={`${DIMENSION_LABELS[d]} score`} />
                      <p className="score-band">
                        <span className="band-dot" aria-hidden="true" />
                        {band.label}
                      </p>
                      {dim.evidence && <p className="score-about">{dim.evidence}</p>}
                    </li>
                  );
                })}
              </ul>

              {fb.highlights.length > 0 && (
                <section className="panel report-section" aria-labelledby={`${ids}-hl`} data-testid="feedback-highlights">
                  <h3 id={`${ids}-hl`}>In your own words</h3>
                  <ul className="highlights">
                    {fb.highlights.map((h, i) => (
                      <li key={i} className="highlight">
                        <blockquote className="highlight-quote">“{h.quote}”</blockquote>
                        {h.comment && <p className="highlight-comment">{h.comment}</p>}
                      </li>
                    ))}
                  </ul>
                </section>
              )}

              {fb.actionItems.length > 0 && (
                <section className="panel report-section" aria-labelledby={`${ids}-act`}>
                  <h3 id={`${ids}-act`}>Three things to do next time</h3>
                  <ol className="top-changes" data-testid="feedback-actions">
                    {fb.actionItems.slice(0, 3).map((a, i) => (
                      <li key={i} className="top-change">
                        <span className="top-change-number" aria-hidden="true">
                          {i + 1}
                        </span>
                        <p className="top-change-title">{a}</p>
                      </li>
                    ))}
                  </ol>
                </section>
              )}

              {fb.betterVersion.improved && <BetterVersionPanel better={fb.betterVersion} />}
            </>
          )}
        </section>

        <section className="feedback-offline panel" aria-labelledby={`${ids}-off`} data-testid="feedback-offline">
          <h2 id={`${ids}-off`}>Your turns, measured offline</h2>
          {chat.offline ? (
            <>
              <p className="panel-sub">The offline coach’s scores for everything you wrote in this conversation.</p>
              <div className="score-cards-compact">
                <ScoreCards scores={chat.offline.scores} />
              </div>
              <h3>Top changes</h3>
              <TopChanges
                changes={chat.offline.topChanges}
                none="Nothing stands out — your turns read clearly. Keep it up next time."
              />
              <h3>Readability</h3>
              <ReadabilityTable readability={chat.offline.readability} compact />
            </>
          ) : (
            <p className="muted">You didn’t write anything the offline coach could measure.</p>
          )}
        </section>
      </div>
    </div>
  );
}
