// Formatting for dates, numbers and scores.

const numberFormat = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** A whole percentage with the same thousands separator: "82 %", "1,900 %". */
export function formatPercent(n: number): string {
  return `${formatCount(n)} %`;
}

/** Parses an RFC 3339 timestamp from Go; nanoseconds are cut to milliseconds for every JS engine. */
export function parseTime(value: string): Date | null {
  if (!value) return null;
  const normalised = value.replace(/(\.\d{3})\d+/, '$1');
  const t = Date.parse(normalised);
  return Number.isNaN(t) ? null : new Date(t);
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** "Today, 14:05", "Yesterday, 09:12" or "12 Mar 2026, 16:40" in the user's locale. */
export function formatWhen(value: string, now: Date = new Date()): string {
  const d = parseTime(value);
  if (!d) return '';
  const time = timeFormat.format(d);
  if (sameDay(d, now)) return `Today, ${time}`;
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (sameDay(d, yesterday)) return `Yesterday, ${time}`;
  return `${dateFormat.format(d)}, ${time}`;
}

const clockFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** The time of day with seconds, e.g. "14:05:09", in the user's locale: for things that happen again and again. */
export function formatClock(d: Date): string {
  return clockFormat.format(d);
}

/** The full date and time for a title or datetime attribute. */
export function formatFull(value: string): string {
  const d = parseTime(value);
  return d ? d.toLocaleString() : '';
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

export type Band = 'strong' | 'good' | 'fair' | 'weak';

/** A score's band: what a 0–100 number means in words. */
export function scoreBand(score: number): { band: Band; label: string } {
  if (score >= 80) return { band: 'strong', label: 'Strong' };
  if (score >= 60) return { band: 'good', label: 'Good' };
  if (score >= 40) return { band: 'fair', label: 'Needs work' };
  return { band: 'weak', label: 'Weak' };
}

export function round1(n: number): string {
  return (Math.round(n * 10) / 10).toFixed(1);
}

/** Minutes to read at 230 words a minute, at least one. */
export function readingMinutes(words: number): number {
  return Math.max(1, Math.round(words / 230));
}
