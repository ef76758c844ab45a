import { describe, expect, it, vi } from 'vitest';
import { createApi, MAX_FILE_BYTES, type Transport } from './client';
import { CaraError, toCaraError } from './errors';
import { sampleReview } from '../test/fixtures';

function fakeTransport(overrides: Partial<Transport> = {}): Transport {
  const fail = () => Promise.reject(new Error('not faked'));
  return {
    review: fail,
    importFile: fail,
    listHistory: fail,
    getHistory: fail,
    deleteHistory: fail,
    info: fail,
    ...overrides,
  };
}

/** What Wails rejects with: the Go error's text, which app/errors.go makes JSON. */
function goError(code: string, message: string): string {
  return JSON.stringify({ code, message });
}

describe('api.review', () => {
  it('sends the input and maps the Review DTO', async () => {
    const review = vi.fn().mockResolvedValue(sampleReview);
    const api = createApi(fakeTransport({ review }));
    const got = await api.review({ title: '', text: 'I just think so.', source: 'paste' });
    expect(review).toHaveBeenCalledWith({ title: '', text: 'I just think so.', source: 'paste', repaired: false });
    expect(got).toEqual(sampleReview);
    expect(got.report.flags[0]).toMatchObject({ kind: 'filler', start: 13, start16: 15, end16: 19, text: 'just' });
    expect(got.report.readability.plainGrade).toBe('easy for most adults');
  });

  it('fills nil slices and missing fields so views can rely on them', async () => {
    const raw = {
      ...sampleReview,
      report: { ...sampleReview.report, flags: null, topChanges: null, notes: null, sentences: { count: 1 } },
    };
    const api = createApi(fakeTransport({ review: () => Promise.resolve(raw) }));
    const got = await api.review({ title: '', text: 'x', source: '' });
    expect(got.report.flags).toEqual([]);
    expect(got.report.topChanges).toEqual([]);
    expect(got.report.notes).toEqual([]);
    expect(got.report.sentences).toEqual({
      count: 1,
      meanWords: 0,
      medianWords: 0,
      longestWords: 0,
      lengths: [],
      histogram: [],
      long: [],
    });
    expect(got.report.wpm).toBeUndefined();
  });

  it.each([
    ['empty', 'Nothing to review yet — paste or open some text'],
    ['too_large', 'Text is too long (max 200,000 characters)'],
  ])('turns a %s error into a CaraError with the exact message', async (code, message) => {
    const api = createApi(fakeTransport({ review: () => Promise.reject(goError(code, message)) }));
    const err = await api.review({ title: '', text: '', source: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaraError);
    expect(err).toMatchObject({ code, message });
  });

  it('shows "Something went wrong" for garbage, never the raw text', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const garbage: unknown[] = [
      'panic: runtime error: index out of range\n\tgoroutine 1 [running]',
      new Error('Call to method app.Coach.Review timed out. Request ID: 42'),
      '{"code":"internal"}',
      '{not json',
      { foo: 'bar' },
      null,
      undefined,
      42,
    ];
    for (const reason of garbage) {
      const api = createApi(fakeTransport({ review: () => Promise.reject(reason) }));
      const err = await api.review({ title: '', text: 'x', source: '' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CaraError);
      expect(err).toMatchObject({ code: 'internal', message: 'Something went wrong' });
    }
    spy.mockRestore();
  });

  it('treats a missing Wails runtime (synchronous throw) as a CaraError', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const api = createApi(
      fakeTransport({
        review: () => {
          throw new TypeError("Cannot read properties of undefined (reading 'app')");
        },
      }),
    );
    await expect(api.review({ title: '', text: 'x', source: '' })).rejects.toMatchObject({
      message: 'Something went wrong',
    });
    spy.mockRestore();
  });

  it('rejects a non-object result', async () => {
    const api = createApi(fakeTransport({ review: () => Promise.resolve('oops') }));
    await expect(api.review({ title: '', text: 'x', source: '' })).rejects.toMatchObject({
      message: 'Something went wrong',
    });
  });
});

describe('api.importFile', () => {
  it('sends base64 of the bytes and maps the result', async () => {
    const importFile = vi.fn().mockResolvedValue({ title: 'Notes', text: 'Hello 👋', repaired: true });
    const api = createApi(fakeTransport({ importFile }));
    const bytes = new TextEncoder().encode('Hello 👋');
    const got = await api.importFile('notes.txt', bytes);
    expect(importFile).toHaveBeenCalledWith('notes.txt', Buffer.from(bytes).toString('base64'));
    expect(got).toEqual({ title: 'Notes', text: 'Hello 👋', repaired: true });
  });

  it('passes the not-text message through', async () => {
    const message = "This file doesn't look like text";
    const api = createApi(fakeTransport({ importFile: () => Promise.reject(goError('not_text', message)) }));
    await expect(api.importFile('a.png', new Uint8Array([0, 1, 2]))).rejects.toMatchObject({
      code: 'not_text',
      message,
    });
  });

  it('refuses an oversized file before it crosses to Go', async () => {
    const importFile = vi.fn();
    const api = createApi(fakeTransport({ importFile }));
    await expect(api.importFile('big.txt', new ArrayBuffer(MAX_FILE_BYTES + 1))).rejects.toMatchObject({
      code: 'too_large',
      message: 'Text is too long (max 200,000 characters)',
    });
    expect(importFile).not.toHaveBeenCalled();
  });
});

describe('api.history and api.system', () => {
  it('lists summaries, treating null as empty', async () => {
    const summary = {
      id: '01J',
      title: 'Hi',
      createdAt: '2026-03-12T16:40:05Z',
      words: 3,
      flags: 1,
      scores: { overall: 70, clarity: 60, concision: 80, confidence: 50, warmth: 90 },
    };
    expect(await createApi(fakeTransport({ listHistory: () => Promise.resolve([summary]) })).history.list()).toEqual([
      summary,
    ]);
    expect(await createApi(fakeTransport({ listHistory: () => Promise.resolve(null) })).history.list()).toEqual([]);
  });

  it('gets and deletes by id; not found keeps its message', async () => {
    const getHistory = vi.fn().mockResolvedValue(sampleReview);
    const deleteHistory = vi.fn().mockResolvedValue(undefined);
    const api = createApi(fakeTransport({ getHistory, deleteHistory }));
    expect(await api.history.get('01J')).toEqual(sampleReview);
    expect(getHistory).toHaveBeenCalledWith('01J');
    await expect(api.history.delete('01J')).resolves.toBeUndefined();
    expect(deleteHistory).toHaveBeenCalledWith('01J');

    const missing = createApi(
      fakeTransport({ getHistory: () => Promise.reject(goError('not_found', 'That review no longer exists')) }),
    );
    await expect(missing.history.get('x')).rejects.toMatchObject({
      code: 'not_found',
      message: 'That review no longer exists',
    });
  });

  it('reads app info', async () => {
    const info = { version: '0.1.0', dataDir: '/home/a/.config/Cara', os: 'linux/amd64' };
    expect(await createApi(fakeTransport({ info: () => Promise.resolve(info) })).system.info()).toEqual(info);
  });
});

describe('toCaraError', () => {
  it('accepts an Error carrying the JSON and a plain object', () => {
    expect(toCaraError(new Error(goError('empty', 'Nothing')))).toMatchObject({ code: 'empty', message: 'Nothing' });
    expect(toCaraError({ code: 'invalid', message: 'Bad' })).toMatchObject({ code: 'invalid', message: 'Bad' });
    const e = new CaraError('x', 'y');
    expect(toCaraError(e)).toBe(e);
  });

  it('decodes Go-escaped characters', () => {
    // encoding/json escapes <, > and & as \u003c, \u003e, \u0026.
    expect(toCaraError('{"code":"invalid","message":"Use \\u003c and \\u0026"}').message).toBe('Use < and &');
  });
});
