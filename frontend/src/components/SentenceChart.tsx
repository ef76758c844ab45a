import { useId, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SentenceProfile } from '../api';
import { formatCount, plural, round1 } from '../lib/format';

/** Sentences over this many words are flagged as long (analysis.SentenceProfile.Long). */
const LONG = 30;
/** Above this many sentences one bar each is unreadable: show the distribution. */
const MAX_BARS = 300;

const COLORS = {
  bar: '#0f766e',
  long: '#b45309',
  grid: '#e7e5e4',
  axis: '#57534e',
};

type Mode = 'each' | 'distribution';

interface Datum {
  name: string;
  short: string;
  words: number;
}

interface TipProps {
  active?: boolean;
  payload?: Array<{ payload: { name: string; words: number } }>;
  unit: string;
}

function ChartTip({ active, payload, unit }: TipProps) {
  const p = payload?.[0]?.payload;
  if (!active || !p) return null;
  return (
    <div className="chart-tip">
      <strong>{p.name}</strong>
      <span>{plural(p.words, unit)}</span>
    </div>
  );
}

export function SentenceChart({ sentences }: { sentences: SentenceProfile }) {
  const id = useId();
  const canShowEach = sentences.lengths.length > 0 && sentences.lengths.length <= MAX_BARS;
  const [mode, setMode] = useState<Mode>(canShowEach ? 'each' : 'distribution');
  const shown: Mode = canShowEach ? mode : 'distribution';
  const longCount = sentences.lengths.filter((n) => n > LONG).length;

  const each: Datum[] = sentences.lengths.map((words, i) => ({ name: `Sentence ${i + 1}`, short: String(i + 1), words }));
  const dist: Datum[] = sentences.histogram.map((b) => ({ name: `${b.label} words`, short: b.label, words: b.count }));

  const summary =
    sentences.count === 0
      ? 'No sentences found.'
      : `${plural(sentences.count, 'sentence')}: on average ${round1(sentences.meanWords)} words, ` +
        `median ${round1(sentences.medianWords)}, longest ${formatCount(sentences.longestWords)}` +
        (longCount > 0 ? `; ${formatCount(longCount)} over ${LONG} words.` : '.');

  return (
    <figure className="chart" aria-labelledby={`${id}-cap`}>
      <div className="chart-head">
        <figcaption id={`${id}-cap`} className="chart-caption">
          {summary}
        </figcaption>
        {canShowEach && (
          <div className="segmented" role="group" aria-label="Chart view">
            <button type="button" aria-pressed={shown === 'each'} onClick={() => setMode('each')}>
              Each sentence
            </button>
            <button type="button" aria-pressed={shown === 'distribution'} onClick={() => setMode('distribution')}>
              Distribution
            </button>
          </div>
        )}
      </div>
      <div className="chart-body" aria-hidden="true">
        <ResponsiveContainer width="100%" height={220} initialDimension={{ width: 480, height: 220 }}>
          <BarChart
            data={shown === 'each' ? each : dist}
            margin={{ top: 12, right: shown === 'each' ? 64 : 12, bottom: 4, left: -12 }}
            barCategoryGap={shown === 'each' && each.length > 60 ? 0 : '18%'}
          >
            <CartesianGrid vertical={false} stroke={COLORS.grid} />
            <XAxis
              dataKey="short"
              tick={{ fill: COLORS.axis, fontSize: 12 }}
              tickLine={false}
              axisLine={{ stroke: COLORS.grid }}
              interval="preserveStartEnd"
              minTickGap={16}
            />
            <YAxis
              allowDecimals={false}
              tick={{ fill: COLORS.axis, fontSize: 12 }}
              tickLine={false}
              axisLine={false}
              width={44}
            />
            <Tooltip
              cursor={{ fill: 'rgba(15, 118, 110, 0.08)' }}
              content={<ChartTip unit={shown === 'each' ? 'word' : 'sentence'} />}
              isAnimationActive={false}
            />
            {shown === 'each' && (
              <ReferenceLine
                y={LONG}
                stroke={COLORS.long}
                strokeDasharray="4 4"
                label={{ value: `long: ${LONG}+`, position: 'right', fill: COLORS.long, fontSize: 12 }}
              />
            )}
            <Bar dataKey="words" radius={[3, 3, 0, 0]} isAnimationActive={false} maxBarSize={36}>
              {(shown === 'each' ? each : dist).map((d, i) => (
                <Cell
                  key={i}
                  fill={
                    shown === 'each'
                      ? d.words > LONG
                        ? COLORS.long
                        : COLORS.bar
                      : i >= 3 && d.words > 0
                        ? COLORS.long
                        : COLORS.bar
                  }
                />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <p className="chart-axis-note" aria-hidden="true">
        {shown === 'each' ? 'Words in each sentence, in order' : 'Number of sentences by length in words'}
      </p>
    </figure>
  );
}
