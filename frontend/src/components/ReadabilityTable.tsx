import type { Readability } from '../api';
import { round1 } from '../lib/format';

type Key = Exclude<keyof Readability, 'plainGrade'>;

interface Row {
  key: Key;
  name: string;
  explain: string;
  /** The target and whether a value meets it. */
  target: string;
  ok: (v: number) => boolean;
}

const GRADE_TARGET = 10;

const ROWS: Row[] = [
  {
    key: 'fleschReadingEase',
    name: 'Flesch reading ease',
    explain: '0–100 from sentence length and syllables per word; higher is easier, 60–70 is plain English.',
    target: '60 or more',
    ok: (v) => v >= 60,
  },
  {
    key: 'fleschKincaidGrade',
    name: 'Flesch–Kincaid grade',
    explain: 'The US school grade needed to follow it, from the same two measures.',
    target: `${GRADE_TARGET} or less`,
    ok: (v) => v <= GRADE_TARGET,
  },
  {
    key: 'gunningFog',
    name: 'Gunning fog',
    explain: 'Years of schooling to understand it on first reading; long words weigh heavily.',
    target: `${GRADE_TARGET} or less`,
    ok: (v) => v <= GRADE_TARGET,
  },
  {
    key: 'smogIndex',
    name: 'SMOG index',
    explain: 'Grade from the number of words of three or more syllables.',
    target: `${GRADE_TARGET} or less`,
    ok: (v) => v <= GRADE_TARGET,
  },
  {
    key: 'colemanLiauIndex',
    name: 'Coleman–Liau index',
    explain: 'Grade from letters per word and sentences per 100 words.',
    target: `${GRADE_TARGET} or less`,
    ok: (v) => v <= GRADE_TARGET,
  },
  {
    key: 'automatedReadabilityIndex',
    name: 'Automated readability index',
    explain: 'Grade from characters per word and words per sentence.',
    target: `${GRADE_TARGET} or less`,
    ok: (v) => v <= GRADE_TARGET,
  },
];

function capitalise(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

/** A score against its target: a tick or a warning mark, the target, and what that means for a screen reader. */
function Target({ row, value }: { row: Row; value: number }) {
  const ok = row.ok(value);
  return (
    <span className="target" data-ok={ok}>
      <span className="target-icon" aria-hidden="true">
        {ok ? '✓' : '!'}
      </span>
      {row.target}
      <span className="sr-only">{ok ? ' — on target' : ' — harder than ideal'}</span>
    </span>
  );
}

/** The formulas as a table: name, what it measures, score, target. */
function FormulaTable({ readability }: { readability: Readability }) {
  return (
    <table className="table" data-testid="readability-table">
      <caption className="sr-only">Readability formulas, their scores and targets</caption>
      <thead>
        <tr>
          <th scope="col">Formula</th>
          <th scope="col">What it measures</th>
          <th scope="col" className="num">
            Score
          </th>
          <th scope="col">Target</th>
        </tr>
      </thead>
      <tbody>
        {ROWS.map((row) => (
          <tr key={row.key}>
            <th scope="row" className="formula-name">
              {row.name}
            </th>
            <td className="formula-explain">{row.explain}</td>
            <td className="num formula-value">{round1(readability[row.key])}</td>
            <td>
              <Target row={row} value={readability[row.key]} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The formulas for a narrow column, one stacked entry each: the name with
 * its score beside it, then the target, then what it measures. Nothing is
 * wider than the column, so it never scrolls sideways.
 */
function FormulaList({ readability }: { readability: Readability }) {
  return (
    <dl className="formula-list" data-testid="readability-list" aria-label="Readability formulas, their scores and targets">
      {ROWS.map((row) => (
        <div key={row.key} className="formula-item" data-testid={`readability-${row.key}`}>
          <dt className="formula-name">{row.name}</dt>
          <dd className="formula-value">
            <span className="sr-only">Score </span>
            {round1(readability[row.key])}
          </dd>
          <dd className="formula-target">
            <span className="sr-only">Target: </span>
            <Target row={row} value={readability[row.key]} />
          </dd>
          <dd className="formula-explain">{row.explain}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The six formulas with scores and targets: a table, or with compact (for a
 * narrow column) a stacked list that fits any width.
 */
export function ReadabilityTable({ readability, compact = false }: { readability: Readability; compact?: boolean }) {
  return (
    <div className="readability" data-compact={compact || undefined}>
      {readability.plainGrade && (
        <p className="plain-grade" data-testid="plain-grade">
          <span className="plain-grade-label">In plain words</span>
          <span className="plain-grade-value">{capitalise(readability.plainGrade)}</span>
        </p>
      )}
      {compact ? <FormulaList readability={readability} /> : <FormulaTable readability={readability} />}
    </div>
  );
}
