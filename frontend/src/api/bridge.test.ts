import { describe, expect, it, vi } from 'vitest';
import {
  BROWSER_MAX_MESSAGE_BYTES,
  BROWSER_TOO_LARGE_MESSAGE,
  TRANSFER_PIECE_BYTES,
  guardCall,
  isBrowserMode,
  messageBytes,
  refuseCall,
  sendInPieces,
  type TransferBindings,
} from './bridge';
import { createApi } from './client';
import { CaraError } from './errors';
import { sampleReview } from '../test/fixtures';
import { fakeTransport } from '../test/fakeTransport';

const EXPECTED_MESSAGE =
  'In a browser, Cara can send at most about 60 KB at a time here (its desktop window has no such limit). Shorten the text or use the Cara window.';

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

  it('lets a browser call of up to 60,000 bytes through and refuses one byte more', () => {
    // Chromium sends a websocket message of more than 65,536 bytes in several frames.
    expect(BROWSER_MAX_MESSAGE_BYTES).toBe(60_000);
    expect(messageBytes(exactly(60_000))).toBe(60_000);
    expect(refuseCall(exactly(60_000), true)).toBeNull();
    const err = refuseCall(exactly(60_001), true);
    expect(err).toBeInstanceOf(CaraError);
    expect(err).toMatchObject({ code: 'too_large', message: EXPECTED_MESSAGE });
    expect(BROWSER_TOO_LARGE_MESSAGE).toBe(EXPECTED_MESSAGE);
  });

  it('counts bytes, not characters: 20,001 euro signs are too many', () => {
    const text = '€'.repeat(20_001);
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
    const call = guardCall(run, undefined, () => true);
    await expect(call('a'.repeat(130_000))).rejects.toMatchObject({ code: 'too_large', message: EXPECTED_MESSAGE });
    expect(run).not.toHaveBeenCalled();
    await expect(call('small')).resolves.toBe(5);
    expect(run).toHaveBeenCalledExactlyOnceWith('small');
  });

  it('sends a large call in the desktop window, asking where it runs on every call', async () => {
    let browser = false;
    const run = vi.fn((text: string) => Promise.resolve(text.length));
    const call = guardCall(run, undefined, () => browser);
    await expect(call('a'.repeat(130_000))).resolves.toBe(130_000);
    browser = true;
    await expect(call('a'.repeat(130_000))).rejects.toBeInstanceOf(CaraError);
    expect(run).toHaveBeenCalledOnce();
  });

  it('gives the facade a CaraError with the exact message for review and importFile', async () => {
    const review = vi.fn(() => Promise.resolve<unknown>(sampleReview));
    const importFile = vi.fn(() => Promise.resolve<unknown>({ title: '', text: '', repaired: false }));
    const transport = fakeTransport({
      review: guardCall(review, undefined, () => true),
      importFile: guardCall(importFile, undefined, () => true),
    });
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const api = createApi(transport);

    const long = 'word '.repeat(13_000);
    await expect(api.review({ title: '', text: long, source: 'paste' })).rejects.toMatchObject({
      code: 'too_large',
      message: EXPECTED_MESSAGE,
    });
    // 50,000 bytes are about 66,700 characters of base64.
    await expect(api.importFile('notes.txt', new Uint8Array(50_000).fill(65))).rejects.toMatchObject({
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

// fakeTransfer is Go's Transfer service in memory: it joins the pieces and
// runs `method` on the decoded arguments.
function fakeTransfer(method: (args: unknown[]) => unknown) {
  const open = new Map<string, { method: string; size: number; parts: string[] }>();
  const calls: string[] = [];
  const bindings: TransferBindings = {
    begin: vi.fn(async (name: string, size: number) => {
      calls.push(`begin ${name} ${size}`);
      const id = `t${open.size + 1}`;
      open.set(id, { method: name, size, parts: [] });
      return id;
    }),
    append: vi.fn(async (id: string, piece: string) => {
      calls.push(`append ${id} ${piece.length}`);
      open.get(id)!.parts.push(piece);
    }),
    finish: vi.fn(async (id: string) => {
      calls.push(`finish ${id}`);
      const u = open.get(id)!;
      const bytes = Uint8Array.from(u.parts.flatMap((p) => [...atob(p)].map((c) => c.charCodeAt(0))));
      expect(bytes.byteLength).toBe(u.size);
      return method(JSON.parse(new TextDecoder().decode(bytes)) as unknown[]);
    }),
  };
  return { bindings, calls };
}

describe('sendInPieces', () => {
  it('sends the arguments as base64 pieces that each fit one browser message, then runs the method', async () => {
    const text = 'Naïve "plans" — réunion 👋\n'.repeat(6_000);
    const { bindings, calls } = fakeTransfer((args) => (args[0] as { text: string }).text);
    const got = await sendInPieces(bindings, 'Coach.Review', [{ title: 'T', text }]);
    expect(got).toBe(text);
    const size = new TextEncoder().encode(JSON.stringify([{ title: 'T', text }])).byteLength;
    expect(calls[0]).toBe(`begin Coach.Review ${size}`);
    const appends = calls.filter((c) => c.startsWith('append'));
    expect(appends).toHaveLength(Math.ceil(size / TRANSFER_PIECE_BYTES));
    // Each piece, with its call's envelope, stays far below the 65,536 bytes of one frame.
    for (const a of appends) expect(Number(a.split(' ')[2])).toBeLessThanOrEqual(48_000);
    expect(calls.at(-1)).toBe('finish t1');
  });

  it('passes the method\'s refusal through', async () => {
    const bindings: TransferBindings = {
      begin: async () => 't1',
      append: async () => {},
      finish: async () => {
        throw new CaraError('too_large', 'Text is too long (max 200,000 characters)');
      },
    };
    await expect(sendInPieces(bindings, 'Coach.Review', ['x'.repeat(100_000)])).rejects.toMatchObject({
      code: 'too_large',
      message: 'Text is too long (max 200,000 characters)',
    });
  });
});

describe('guardCall with a way to send large calls', () => {
  it('sends a large browser call in pieces instead of refusing it, and small ones directly', async () => {
    const run = vi.fn((text: string) => Promise.resolve(`direct ${text.length}`));
    const large = vi.fn((args: readonly unknown[]) => Promise.resolve(`pieces ${(args[0] as string).length}`));
    const call = guardCall(run, large, () => true);
    await expect(call('a'.repeat(130_000))).resolves.toBe('pieces 130000');
    await expect(call('small')).resolves.toBe('direct 5');
    expect(run).toHaveBeenCalledExactlyOnceWith('small');
    expect(large).toHaveBeenCalledOnce();
  });

  it('never uses pieces in the desktop window', async () => {
    const run = vi.fn((text: string) => Promise.resolve(text.length));
    const large = vi.fn(() => Promise.resolve(0));
    await expect(guardCall(run, large, () => false)('a'.repeat(130_000))).resolves.toBe(130_000);
    expect(large).not.toHaveBeenCalled();
  });
});
