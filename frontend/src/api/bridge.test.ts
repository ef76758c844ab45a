import { describe, expect, it, vi } from 'vitest';
import {
  BROWSER_MAX_MESSAGE_BYTES,
  BROWSER_TOO_LARGE_MESSAGE,
  guardCall,
  isBrowserMode,
  messageBytes,
  refuseCall,
} from './bridge';
import { createApi } from './client';
import { CaraError } from './errors';
import { sampleReview } from '../test/fixtures';
import { fakeTransport } from '../test/fakeTransport';

const EXPECTED_MESSAGE =
  'In a browser, Cara can send at most about 120 KB at a time (its desktop window has no such limit). Shorten the text or use the Cara window.';

describe('isBrowserMode', () => {
  it('is false inside the desktop webviews', () => {
    expect(isBrowserMode({ webkit: { messageHandlers: { external: { postMessage() {} } } } })).toBe(false);
    expect(isBrowserMode({ chrome: { webview: { postMessage() {} } } })).toBe(false);
  });

  it('is true in an ordinary browser, including Chrome and Safari', () => {
    expect(isBrowserMode({})).toBe(true);
    const chromeTab = { chrome: { runtime: {} } };
    expect(isBrowserMode(chromeTab)).toBe(true);
    expect(isBrowserMode({ webkit: { messageHandlers: {} } })).toBe(true);
    expect(isBrowserMode({ webkit: {} })).toBe(true);
  });

  it('reads the real window by default (jsdom is a browser)', () => {
    expect(isBrowserMode()).toBe(true);
  });
});

describe('messageBytes', () => {
  it('counts the UTF-8 bytes of the arguments as JSON', () => {
    expect(messageBytes([])).toBe(2);
    expect(messageBytes(['abc'])).toBe(7); // ["abc"]
    expect(messageBytes(['é'])).toBe(6); // 2 bytes
    expect(messageBytes(['€'])).toBe(7); // 3 bytes
    expect(messageBytes(['👋'])).toBe(8); // 4 bytes, one surrogate pair
    expect(messageBytes(['a"b\n'])).toBe(10); // escapes: \" and \n
    expect(messageBytes([{ title: 'T', n: 1 }, 'x'])).toBe(JSON.stringify([{ title: 'T', n: 1 }, 'x']).length);
  });

  it('counts arguments JSON cannot encode as nothing', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(messageBytes([loop])).toBe(0);
  });
});

describe('refuseCall', () => {
  // ["…"] adds 4 bytes to the string.
  const exactly = (bytes: number) => ['a'.repeat(bytes - 4)];

  it('lets a browser call of up to 120,000 bytes through and refuses one byte more', () => {
    expect(BROWSER_MAX_MESSAGE_BYTES).toBe(120_000);
    expect(messageBytes(exactly(120_000))).toBe(120_000);
    expect(refuseCall(exactly(120_000), true)).toBeNull();
    const err = refuseCall(exactly(120_001), true);
    expect(err).toBeInstanceOf(CaraError);
    expect(err).toMatchObject({ code: 'too_large', message: EXPECTED_MESSAGE });
    expect(BROWSER_TOO_LARGE_MESSAGE).toBe(EXPECTED_MESSAGE);
  });

  it('counts bytes, not characters: 40,001 euro signs are too many', () => {
    const text = '€'.repeat(40_001);
    expect(text.length).toBeLessThan(BROWSER_MAX_MESSAGE_BYTES);
    expect(refuseCall([{ title: '', text, source: 'paste', repaired: false }], true)).toMatchObject({
      code: 'too_large',
    });
  });

  it('never refuses in the desktop window', () => {
    expect(refuseCall(['a'.repeat(1_000_000)], false)).toBeNull();
  });
});

describe('guardCall', () => {
  it('rejects a large call in a browser without running it', async () => {
    const run = vi.fn((text: string) => Promise.resolve(text.length));
    const call = guardCall(run, () => true);
    await expect(call('a'.repeat(130_000))).rejects.toMatchObject({ code: 'too_large', message: EXPECTED_MESSAGE });
    expect(run).not.toHaveBeenCalled();
    await expect(call('small')).resolves.toBe(5);
    expect(run).toHaveBeenCalledExactlyOnceWith('small');
  });

  it('sends a large call in the desktop window, asking where it runs on every call', async () => {
    let browser = false;
    const run = vi.fn((text: string) => Promise.resolve(text.length));
    const call = guardCall(run, () => browser);
    await expect(call('a'.repeat(130_000))).resolves.toBe(130_000);
    browser = true;
    await expect(call('a'.repeat(130_000))).rejects.toBeInstanceOf(CaraError);
    expect(run).toHaveBeenCalledOnce();
  });

  it('gives the facade a CaraError with the exact message for review and importFile', async () => {
    const review = vi.fn(() => Promise.resolve<unknown>(sampleReview));
    const importFile = vi.fn(() => Promise.resolve<unknown>({ title: '', text: '', repaired: false }));
    const transport = fakeTransport({
      review: guardCall(review, () => true),
      importFile: guardCall(importFile, () => true),
    });
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const api = createApi(transport);

    const long = 'word '.repeat(25_000);
    await expect(api.review({ title: '', text: long, source: 'paste' })).rejects.toMatchObject({
      code: 'too_large',
      message: EXPECTED_MESSAGE,
    });
    // 100,000 bytes are about 133,000 characters of base64.
    await expect(api.importFile('notes.txt', new Uint8Array(100_000).fill(65))).rejects.toMatchObject({
      code: 'too_large',
      message: EXPECTED_MESSAGE,
    });
    expect(review).not.toHaveBeenCalled();
    expect(importFile).not.toHaveBeenCalled();

    await expect(api.review({ title: '', text: 'Short.', source: 'paste' })).resolves.toEqual(sampleReview);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});
