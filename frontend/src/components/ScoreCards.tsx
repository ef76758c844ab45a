import type { Scores } from '../api';
import { scoreBand } from '../lib/format';

const DIMENSIONS: Array<{ key: keyof Scores; label: string; about: string }> = [
  { key: 'overall', label: 'Overall', about: 'All four dimensions together.' },
  { key: 'clarity', label: 'Clarity', about: 'Plain words, short sentences, active voice.' },
  { key: 'concision', label: 'Concision', about: 'No fillers, jargon or repeats.' },
  { key: 'confidence', label: 'Confidence', about: 'Few hedges, weasel words or apologies.' },
  { key: 'warmth', label: 'Warmth', about: 'Friendly, inclusive, never shouting.' },
];

export function Meter({ value, label }: { value: number; label: string }) {
  const v = Math.min(100, Math.max(0, Math.round(value)));
  const { band, label: bandLabel } = scoreBand(v);
  return (
    <div
      className="meter"
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={v}
      aria-valuetext={`${v} out of 100, ${bandLabel}`}
      data-band={band}
    >
      <span className="meter-fill" style={{ width: `${v}%` }} />
    </div>
  );
}

export function ScoreCards({ scores }: { scores: Scores }) {
  return (
    <ul className="score-cards" aria-label="Scores">
      {DIMENSIONS.map(({ key, label, about }) => {
        const value = Math.round(scores[key]);
        const { band, label: bandLabel } = scoreBand(value);
        return (
          <li
            key={key}
            className={`score-card${key === 'overall' ? ' score-card-overall' : ''}`}
            data-testid={`score-${key}`}
            data-value={value}
            data-band={band}
          >
            <p className="score-label">{label}</p>
            <p className="score-value">
              <span className="score-number">{value}</span>
              <span className="score-max">/100</span>
            </p>
            <Meter value={value} label={`${label} score`} />
            <p className="score-band">
              <span className="band-dot" aria-hidden="true" />
              {bandLabel}
            </p>
            <p className="score-about">{about}</p>
          </li>
        );
      })}
    </ul>
  );
}
