import { describe, expect, it } from 'vitest';
import { bytesToBase64 } from './base64';
import { countChars } from './text';
import { formatWhen, parseTime, scoreBand } from './format';

describe('countChars', () => {
  it('counts code points like Go runes', () => {
    expect(countChars('')).toBe(0);
    expect(countChars('abc')).toBe(3);
    expect(countChars('👍🏽 ok')).toBe(5);
    expect(countChars('日本語')).toBe(3);
    expect(countChars('\ud800x')).toBe(2); // a lone surrogate is one character
  });
});

describe('bytesToBase64', () => {
  it('matches Node for small and large inputs', () => {
    const small = new TextEncoder().encode('Hi 👋 — ünïcödé');
    expect(bytesToBase64(small)).toBe(Buffer.from(small).toString('base64'));
    const big = new Uint8Array(300_001).map((_, i) => (i * 31) & 0xff);
    expect(bytesToBase64(big)).toBe(Buffer.from(big).toString('base64'));
    expect(bytesToBase64(new Uint8Array())).toBe('');
  });
});

describe('format', () => {
  it('parses Go timestamps with nanoseconds', () => {
    expect(parseTime('2026-03-12T16:40:05.123456789Z')?.toISOString()).toBe('2026-03-12T16:40:05.123Z');
    expect(parseTime('nope')).toBeNull();
    expect(parseTime('')).toBeNull();
  });

  it('says Today and Yesterday', () => {
    const now = new Date(2026, 2, 12, 18, 0);
    expect(formatWhen(new Date(2026, 2, 12, 9, 5).toISOString(), now)).toMatch(/^Today, /);
    expect(formatWhen(new Date(2026, 2, 11, 9, 5).toISOString(), now)).toMatch(/^Yesterday, /);
    expect(formatWhen(new Date(2025, 0, 2, 9, 5).toISOString(), now)).toMatch(/2025/);
    expect(formatWhen('garbage', now)).toBe('');
  });

  it('bands scores', () => {
    expect(scoreBand(100).band).toBe('strong');
    expect(scoreBand(80).band).toBe('strong');
    expect(scoreBand(79).band).toBe('good');
    expect(scoreBand(40).band).toBe('fair');
    expect(scoreBand(0).band).toBe('weak');
  });
});
