// Errors from the Go side. A bound method's non-nil error rejects the JS
// promise with a string of JSON {"code","message"} (app/errors.go). Anything
// else — a missing runtime, a timeout, a stack trace — becomes the generic
// message, so raw internals never reach the screen.

/** Codes the Go side sends (internal/cara/error.go); others may appear later. */
export type CaraErrorCode =
  | 'conflict'
  | 'internal'
  | 'invalid'
  | 'not_found'
  | 'unavailable'
  | 'too_large'
  | 'empty'
  | 'not_text'
  | 'already_running'
  | 'unauthorized'
  | 'too_many_requests'
  /** Gemini can't be reached (no network, or it went silent). */
  | 'offline'
  /** No Gemini key saved: Settings → Gemini. */
  | 'no_key'
  /** Today's token budget is spent: Settings → AI usage. */
  | 'budget'
  /** Gemini refused the saved key or model: Settings → Gemini. */
  | 'gemini_key'
  | (string & {});

export const GENERIC_MESSAGE = 'Something went wrong';

/** What Go says when the sign-in can no longer be used (auth.ErrSessionExpired). */
export const SESSION_EXPIRED_MESSAGE = 'Session expired. Please log in again.';

/** An error meant for a person: message is shown as is. */
export class CaraError extends Error {
  readonly code: CaraErrorCode;
  /** Seconds Gemini asked to wait before trying again (a quota error), 0 when it didn't say. */
  readonly retryAfter: number;

  constructor(code: CaraErrorCode, message: string, retryAfter = 0) {
    super(message);
    this.name = 'CaraError';
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

const MAX_MESSAGE_LENGTH = 500;

function fromObject(value: unknown): CaraError | null {
  if (typeof value !== 'object' || value === null) return null;
  const { code, message, retryAfter } = value as { code?: unknown; message?: unknown; retryAfter?: unknown };
  if (typeof code !== 'string' || code === '') return null;
  if (typeof message !== 'string' || message.trim() === '') return null;
  if (message.length > MAX_MESSAGE_LENGTH) return null;
  const wait = typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 0;
  return new CaraError(code, message, wait);
}

function fromJSON(text: string): CaraError | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return null;
  try {
    return fromObject(JSON.parse(trimmed));
  } catch {
    return null;
  }
}

/**
 * toCaraError turns whatever a rejected call carried into a CaraError.
 * Accepted: a CaraError, a JSON string {"code","message"}, an Error whose
 * message is that JSON, or an object with string code and message. Anything
 * else is "Something went wrong" with code "internal".
 */
export function toCaraError(reason: unknown): CaraError {
  if (reason instanceof CaraError) return reason;
  let parsed: CaraError | null = null;
  if (typeof reason === 'string') {
    parsed = fromJSON(reason);
  } else if (reason instanceof Error) {
    parsed = fromJSON(reason.message);
  } else {
    parsed = fromObject(reason);
  }
  return parsed ?? new CaraError('internal', GENERIC_MESSAGE);
}

/** The message to show for any caught value. */
export function errorMessage(reason: unknown): string {
  return toCaraError(reason).message;
}

/** True when an error with this code is fixed in Settings: a missing or refused Gemini key, or a spent daily budget. */
export function settingsFixes(code: string): boolean {
  return code === 'no_key' || code === 'budget' || code === 'gemini_key';
}

/** True when the fix for a rejected call is in Settings (see settingsFixes). */
export function needsSettings(reason: unknown): boolean {
  return settingsFixes(toCaraError(reason).code);
}
