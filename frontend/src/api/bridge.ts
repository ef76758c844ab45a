// Facts about the Wails IPC bridge that wails.ts needs, kept free of the
// generated bindings so they can be tested on their own.
//
// In `wails dev` opened in an ordinary browser, calls travel over a
// websocket. Wails 2.9.2 reads only the first frame of a message, and
// Chromium sends a message of more than 64 KiB as several frames (measured:
// up to 65,536 bytes always whole, above that split at varying points), so
// such a call never settles and its tail reaches Wails as a message of its
// own, which Wails logs verbatim. The desktop window posts messages through
// the webview (WebKitGTK and WKWebView: window.webkit.messageHandlers.external;
// WebView2: window.chrome.webview), which has no such limit. So, in a browser
// only, a call whose arguments are too large goes through Go's Transfer
// service in pieces that each fit one frame (app/transfer.go) when the
// method allows it, and is refused up front, with a message that says what
// to do, when it does not.

import { CaraError } from './errors';
import { bytesToBase64 } from '../lib/base64';

/** The largest arguments, as UTF-8 JSON, sent in one browser message: below 64 KiB, leaving room for the call's envelope. */
export const BROWSER_MAX_MESSAGE_BYTES = 60_000;

/** Raw bytes per Transfer piece: base64 makes 48,000 characters, one message well below 64 KiB. */
export const TRANSFER_PIECE_BYTES = 36_000;

export const BROWSER_TOO_LARGE_MESSAGE =
  'In a browser, Cara can send at most about 60 KB at a time here (its desktop window has no such limit). ' +
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

/** The arguments as UTF-8 JSON, which is how Wails puts them in the message; null if JSON cannot encode them. */
function argumentBytes(args: readonly unknown[]): Uint8Array | null {
  let json: string | undefined;
  try {
    json = JSON.stringify(args);
  } catch {
    return null;
  }
  return json === undefined ? null : new TextEncoder().encode(json);
}

/**
 * The size in bytes of the arguments as UTF-8 JSON. Arguments that JSON
 * cannot encode count as 0: Wails fails on them anyway, with its own error.
 */
export function messageBytes(args: readonly unknown[]): number {
  return argumentBytes(args)?.byteLength ?? 0;
}

/** The CaraError to reject a call with, or null when it may be sent. */
export function refuseCall(args: readonly unknown[], browser: boolean): CaraError | null {
  if (!browser || messageBytes(args) <= BROWSER_MAX_MESSAGE_BYTES) return null;
  return new CaraError('too_large', BROWSER_TOO_LARGE_MESSAGE);
}

/** Go's Transfer service (app/transfer.go), as the generated bindings offer it. */
export interface TransferBindings {
  begin(method: string, size: number): Promise<string>;
  append(id: string, piece: string): Promise<void>;
  finish(id: string): Promise<unknown>;
}

/**
 * sendInPieces runs the bound method `method` ("Service.Method") with args
 * through the Transfer service: the arguments' JSON goes in base64 pieces of
 * TRANSFER_PIECE_BYTES, one call at a time, then Finish runs the method in
 * Go and answers what it answers.
 */
export async function sendInPieces(transfer: TransferBindings, method: string, args: readonly unknown[]): Promise<unknown> {
  const bytes = argumentBytes(args) ?? new Uint8Array();
  const id = await transfer.begin(method, bytes.byteLength);
  for (let at = 0; at < bytes.byteLength; at += TRANSFER_PIECE_BYTES) {
    await transfer.append(id, bytesToBase64(bytes.subarray(at, at + TRANSFER_PIECE_BYTES)));
  }
  return transfer.finish(id);
}

/** How a call too large for one browser message can still be sent, if it can. */
export type LargeCall = (args: readonly unknown[]) => Promise<unknown>;

/**
 * guardCall wraps a bound method for the browser bridge. In a browser, a
 * call too large for one message goes through `large` when the method has
 * one (its answer is the method's own), and otherwise rejects with a
 * CaraError instead of hanging. `browser` is asked on every call.
 */
export function guardCall<A extends unknown[], R>(
  run: (...args: A) => Promise<R>,
  large?: LargeCall,
  browser: () => boolean = () => isBrowserMode(),
): (...args: A) => Promise<R> {
  return (...args: A) => {
    const refusal = refuseCall(args, browser());
    if (!refusal) return run(...args);
    return large ? (large(args) as Promise<R>) : Promise.reject(refusal);
  };
}
