// src/api is the UI's only door to the Go side.
import { createApi } from './client';
import { wailsTransport } from './wails';

export { createApi, MAX_CHARS, MAX_FILE_BYTES, TOO_LONG_MESSAGE } from './client';
export type { CaraApi, ChatReplyEnd, Transport } from './client';
export type { ConnectionState } from './connection';
export { CaraError, GENERIC_MESSAGE, SESSION_EXPIRED_MESSAGE, errorMessage, needsSettings, settingsFixes, toCaraError } from './errors';
export { isSessionExpiry, withSessionGuard } from './session';
export type * from './types';
export { FEEDBACK_DIMENSIONS, FLAG_KINDS } from './types';

/** The app's facade, over the Wails bindings. */
export const api = createApi(wailsTransport);
