// Facts about the Wails IPC bridge that wails.ts needs, kept free of the
// generated bindings so they can be tested on their own.
//
// In `wails dev` opened in an ordinary browser, calls travel over a
// websocket. Wails 2.9.2 reads only the first frame of a message, and
// Chromium splits a message larger than about 128 KiB into several frames,
// so a large call never arrives and its promise never settles. The desktop
// window posts messages through the webview (WebKitGTK and WKWebView:
// window.webkit.messageHandlers.external; WebView2: window.chrome.webview),
// which has no such limit. So, in a browser only, a call whose arguments are
// too large is refused up front with a message that says what to do.

import { CaraError } from './errors';

/** The largest arguments, as UTF-8 JSON, sent in a browser: below 128 KiB, leaving room for the call's envelope. */
export const BROWSER_MAX_MESSAGE_BYTES = 120_000;

export const BROWSER_TOO_LARGE_MESSAGE =
  'In a browser, Cara can send at most about 120 KB at a time (its desktop window has no such limit). ' +
  'Shorten the text or use the Cara window.';

/** The parts of `window` the desktop webviews add; anything may be missing. */
export interface BridgeWindow {
  webkit?: { messageHandlers?: { external?: unknown } };
  /** Chrome itself has window.chrome too, without webview. */
  chrome?: { webview?: unknown; [other: string]: unknown };
}

/**
 * True when the page is not inside Cara's own window, i.e. `wails dev` is
 * open in a browser and calls go over the websocket.
 */
export function isBrowserMode(win: BridgeWindow | undefined = globalThis.window as BridgeWindow | undefined): boolean {
  if (!win) return true;
  const desktop = win.webkit?.messageHandlers?.external != null || win.chrome?.webview != null;
  return !desktop;
}

/**
 * The size in bytes of the arguments as UTF-8 JSON, which is how Wails puts
 * them in the message. Arguments that JSON cannot encode count as 0: Wails
 * fails on them anyway, with its own error.
 */
export function messageBytes(args: readonly unknown[]): number {
  let json: string | undefined;
  try {
    json = JSON.stringify(args);
  } catch {
    return 0;
  }
  return json === undefined ? 0 : new TextEncoder().encode(json).byteLength;
}

/** The CaraError to reject a call with, or null when it may be sent. */
export function refuseCall(args: readonly unknown[], browser: boolean): CaraError | null {
  if (!browser || messageBytes(args) <= BROWSER_MAX_MESSAGE_BYTES) return null;
  return new CaraError('too_large', BROWSER_TOO_LARGE_MESSAGE);
}

/**
 * guardCall wraps a bound method so that, in a browser, a call too large for
 * the websocket rejects with a CaraError instead of hanging. `browser` is
 * asked on every call.
 */
export function guardCall<A extends unknown[], R>(
  run: (...args: A) => Promise<R>,
  browser: () => boolean = () => isBrowserMode(),
): (...args: A) => Promise<R> {
  return (...args: A) => {
    const refusal = refuseCall(args, browser());
    return refusal ? Promise.reject(refusal) : run(...args);
  };
}

