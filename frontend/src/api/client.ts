// The typed facade over the Go services. Views call this, never the
// generated bindings: the transport is injected so tests can replace Wails.

import { bytesToBase64 } from '../lib/base64';
import { CaraError, GENERIC_MESSAGE, SESSION_EXPIRED_MESSAGE, toCaraError } from './errors';
import type {
  Account,
  AppInfo,
  AuthState,
  Bucket,
  Change,
  Counts,
  Flag,
  GeminiModel,
  GeminiStatus,
  ImportedText,
  PasswordRule,
  Readability,
  RegisterInput,
  Report,
  Review,
  ReviewInput,
  ReviewSummary,
  Scores,
  SentenceProfile,
  SessionInfo,
  Span,
} from './types';

/** The raw bound methods, as the generated wailsjs functions expose them. */
export interface Transport {
  review(input: ReviewInput): Promise<unknown>;
  importFile(name: string, contentBase64: string): Promise<unknown>;
  listHistory(): Promise<unknown>;
  getHistory(id: string): Promise<unknown>;
  deleteHistory(id: string): Promise<unknown>;
  info(): Promise<unknown>;
  /** app.System.Quit: closes Cara. */
  quit(): Promise<unknown>;
  // app.Auth
  authState(): Promise<unknown>;
  register(input: RegisterInput): Promise<unknown>;
  login(email: string, password: string): Promise<unknown>;
  logout(): Promise<unknown>;
  passwordChecklist(password: string, email: string): Promise<unknown>;
  roleSuggestions(): Promise<unknown>;
  changePassword(current: string, next: string): Promise<unknown>;
  sessions(): Promise<unknown>;
  revokeSession(id: string): Promise<unknown>;
  // app.Settings
  geminiStatus(): Promise<unknown>;
  setGeminiKey(key: string): Promise<unknown>;
  setGeminiModel(model: string): Promise<unknown>;
  geminiModels(): Promise<unknown>;
  removeGeminiKey(): Promise<unknown>;
  /**
   * Listens for Go's "auth:expired" event (a background refresh failed);
   * the callback gets the event's first argument. Returns the unsubscribe.
   */
  onSessionExpired(callback: (payload: unknown) => void): () => void;
}

export interface CaraApi {
  /** Analyse a text with the offline coach and save it to History. */
  review(input: ReviewInput): Promise<Review>;
  /** Extract the text of an opened or dropped file (.txt, .md, .eml). */
  importFile(name: string, content: ArrayBuffer | Uint8Array): Promise<ImportedText>;
  history: {
    list(): Promise<ReviewSummary[]>;
    get(id: string): Promise<Review>;
    delete(id: string): Promise<void>;
  };
  system: {
    /** Version, data folder, and why Cara could not start, if it could not. */
    info(): Promise<AppInfo>;
    /** Closes Cara. Bound even when Go could not start. */
    quit(): Promise<void>;
  };
  auth: {
    /** Who is signed in. At start-up it waits for Go's silent sign-in from the keychain. */
    state(): Promise<AuthState>;
    register(input: RegisterInput): Promise<AuthState>;
    login(email: string, password: string): Promise<AuthState>;
    /** Ends this device's session. */
    logout(): Promise<void>;
    /** Every password rule, met or not, for the live checklist. */
    passwordChecklist(password: string, email: string): Promise<PasswordRule[]>;
    roleSuggestions(): Promise<string[]>;
    /** Needs the current password; Go then signs out every other session. */
    changePassword(current: string, next: string): Promise<void>;
    sessions(): Promise<SessionInfo[]>;
    /** Revoking the current session signs this device out (signedIn false). */
    revokeSession(id: string): Promise<AuthState>;
  };
  settings: {
    /** Whether a Gemini key is saved (its hint only) and the chosen model; no call to Gemini. */
    geminiStatus(): Promise<GeminiStatus>;
    /** Go checks the key with Gemini and keeps it in the system keychain only if it is valid. */
    setGeminiKey(key: string): Promise<GeminiStatus>;
    /** Chooses one of the saved key's models. */
    setGeminiModel(model: string): Promise<GeminiStatus>;
    /** Refreshes the saved key's models from Gemini. */
    geminiModels(): Promise<GeminiStatus>;
    removeGeminiKey(): Promise<GeminiStatus>;
  };
  /**
   * Calls back with a message when Go reports that the session has ended in
   * the background (a failed refresh). Returns the unsubscribe.
   */
  onSessionExpired(callback: (message: string) => void): () => void;
}

/** Files larger than this are refused before they cross to Go (document.MaxFileBytes). */
export const MAX_FILE_BYTES = 4 << 20;
/** Emails may be larger: Go skips their attachments (document.MaxEmailBytes). */
export const MAX_EMAIL_BYTES = 32 << 20;
/** The longest text Cara reviews, in characters (Unicode code points). */
export const MAX_CHARS = 200_000;
export const TOO_LONG_MESSAGE = 'Text is too long (max 200,000 characters)';

// --- normalisation: Go marshals nil slices as null and may omit fields; the
// UI gets complete objects with the documented types, or a CaraError.

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}
function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
function bool(v: unknown): boolean {
  return v === true;
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function toSpan(v: unknown): Span {
  const o = obj(v);
  return { start: num(o.start), end: num(o.end), start16: num(o.start16), end16: num(o.end16) };
}

function toFlag(v: unknown): Flag {
  const o = obj(v);
  return {
    ...toSpan(o),
    kind: str(o.kind) as Flag['kind'],
    text: str(o.text),
    message: str(o.message),
    suggestion: str(o.suggestion),
  };
}

function toScores(v: unknown): Scores {
  const o = obj(v);
  return {
    overall: num(o.overall),
    clarity: num(o.clarity),
    concision: num(o.concision),
    confidence: num(o.confidence),
    warmth: num(o.warmth),
  };
}

function toCounts(v: unknown): Counts {
  const o = obj(v);
  return {
    words: num(o.words),
    sentences: num(o.sentences),
    syllables: num(o.syllables),
    characters: num(o.characters),
    letters: num(o.letters),
    polysyllables: num(o.polysyllables),
    difficultWords: num(o.difficultWords),
    paragraphs: num(o.paragraphs),
  };
}

function toReadability(v: unknown): Readability {
  const o = obj(v);
  return {
    fleschReadingEase: num(o.fleschReadingEase),
    fleschKincaidGrade: num(o.fleschKincaidGrade),
    gunningFog: num(o.gunningFog),
    smogIndex: num(o.smogIndex),
    colemanLiauIndex: num(o.colemanLiauIndex),
    automatedReadabilityIndex: num(o.automatedReadabilityIndex),
    plainGrade: str(o.plainGrade),
  };
}

function toBucket(v: unknown): Bucket {
  const o = obj(v);
  return { label: str(o.label), count: num(o.count) };
}

function toSentences(v: unknown): SentenceProfile {
  const o = obj(v);
  return {
    count: num(o.count),
    meanWords: num(o.meanWords),
    medianWords: num(o.medianWords),
    longestWords: num(o.longestWords),
    lengths: arr(o.lengths).map(num),
    histogram: arr(o.histogram).map(toBucket),
    long: arr(o.long).map(toSpan),
  };
}

function toChange(v: unknown): Change {
  const o = obj(v);
  const change: Change = { title: str(o.title), detail: str(o.detail), count: num(o.count) };
  if (typeof o.kind === 'string' && o.kind !== '') change.kind = o.kind as Change['kind'];
  return change;
}

export function toReport(v: unknown): Report {
  const o = obj(v);
  const report: Report = {
    version: num(o.version),
    counts: toCounts(o.counts),
    readability: toReadability(o.readability),
    sentences: toSentences(o.sentences),
    flags: arr(o.flags).map(toFlag),
    scores: toScores(o.scores),
    topChanges: arr(o.topChanges).map(toChange),
    notes: arr(o.notes).filter((n): n is string => typeof n === 'string' && n !== ''),
    repairedUtf8: bool(o.repairedUtf8),
  };
  if (typeof o.wpm === 'number' && Number.isFinite(o.wpm)) report.wpm = o.wpm;
  return report;
}

function requireObject(v: unknown): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new CaraError('internal', GENERIC_MESSAGE);
  }
  return v as Obj;
}

export function toReview(v: unknown): Review {
  const o = requireObject(v);
  const hlc = obj(o.updated_hlc);
  return {
    id: str(o.id),
    title: str(o.title),
    text: str(o.text),
    source: str(o.source),
    createdAt: str(o.createdAt),
    report: toReport(o.report),
    updated_hlc: { wall_ms: num(hlc.wall_ms), counter: num(hlc.counter), node: str(hlc.node) },
    deleted: bool(o.deleted),
  };
}

export function toSummary(v: unknown): ReviewSummary {
  const o = obj(v);
  return {
    id: str(o.id),
    title: str(o.title),
    createdAt: str(o.createdAt),
    words: num(o.words),
    flags: num(o.flags),
    scores: toScores(o.scores),
  };
}

function toImported(v: unknown): ImportedText {
  const o = requireObject(v);
  return { title: str(o.title), text: str(o.text), repaired: bool(o.repaired) };
}

function toInfo(v: unknown): AppInfo {
  const o = requireObject(v);
  return { version: str(o.version), dataDir: str(o.dataDir), os: str(o.os), startupError: str(o.startupError).trim() };
}

function toAccount(v: unknown): Account {
  const o = obj(v);
  return { id: str(o.id), email: str(o.email), name: str(o.name), role: str(o.role), createdAt: str(o.createdAt) };
}

export function toAuthState(v: unknown): AuthState {
  const o = requireObject(v);
  const notice = str(o.notice);
  if (bool(o.signedIn)) return { signedIn: true, account: toAccount(o.account), notice };
  return { signedIn: false, account: null, notice };
}

function toRule(v: unknown): PasswordRule {
  const o = obj(v);
  return { id: str(o.id), message: str(o.message), ok: bool(o.ok) };
}

function toSession(v: unknown): SessionInfo {
  const o = obj(v);
  return {
    id: str(o.id),
    device: str(o.device),
    createdAt: str(o.createdAt),
    lastUsedAt: str(o.lastUsedAt),
    current: bool(o.current),
  };
}

function toGeminiModel(v: unknown): GeminiModel {
  const o = obj(v);
  const id = str(o.id);
  return { id, displayName: str(o.displayName) || id };
}

export function toGeminiStatus(v: unknown): GeminiStatus {
  const o = requireObject(v);
  const hasKey = bool(o.hasKey);
  return {
    hasKey,
    keyHint: hasKey ? str(o.keyHint) : '',
    model: hasKey ? str(o.model) : '',
    models: hasKey ? arr(o.models).map(toGeminiModel).filter((m) => m.id !== '') : [],
  };
}

/** The event's payload as a message: a string, or an object with a message; otherwise Go's usual words. */
function expiryMessage(payload: unknown): string {
  const text = typeof payload === 'string' ? payload : str(obj(payload).message);
  return text.trim() !== '' && text.length <= 500 ? text : SESSION_EXPIRED_MESSAGE;
}

/** call runs one bound method: a synchronous throw (no Wails runtime) or a rejection becomes a CaraError. */
async function call<T>(run: () => Promise<unknown>, map: (v: unknown) => T): Promise<T> {
  let raw: unknown;
  try {
    raw = await run();
  } catch (reason) {
    const err = toCaraError(reason);
    if (err.message === GENERIC_MESSAGE) console.error('cara: call failed', reason);
    throw err;
  }
  return map(raw);
}

/** createApi builds the facade over a transport (the Wails bindings in the app, a fake in tests). */
export function createApi(transport: Transport): CaraApi {
  return {
    review: (input) =>
      call(
        () => transport.review({
            title: input.title,
            text: input.text,
            source: input.source,
            repaired: input.repaired === true,
          }),
        toReview,
      ),
    importFile: async (name, content) => {
      const bytes = content instanceof Uint8Array ? content : new Uint8Array(content);
      const limit = /\.eml$/i.test(name) ? MAX_EMAIL_BYTES : MAX_FILE_BYTES;
      if (bytes.byteLength > limit) throw new CaraError('too_large', TOO_LONG_MESSAGE);
      return call(() => transport.importFile(name, bytesToBase64(bytes)), toImported);
    },
    history: {
      list: () =>
        call(
          () => transport.listHistory(),
          (v) => arr(v).map(toSummary),
        ),
      get: (id) => call(() => transport.getHistory(id), toReview),
      delete: (id) =>
        call(
          () => transport.deleteHistory(id),
          () => undefined,
        ),
    },
    system: {
      info: () => call(() => transport.info(), toInfo),
      quit: () =>
        call(
          () => transport.quit(),
          () => undefined,
        ),
    },
    auth: {
      state: () => call(() => transport.authState(), toAuthState),
      register: (input) =>
        call(
          () =>
            transport.register({ email: input.email, name: input.name, role: input.role, password: input.password }),
          toAuthState,
        ),
      login: (email, password) => call(() => transport.login(email, password), toAuthState),
      logout: () =>
        call(
          () => transport.logout(),
          () => undefined,
        ),
      passwordChecklist: (password, email) =>
        call(
          () => transport.passwordChecklist(password, email),
          (v) => arr(v).map(toRule),
        ),
      roleSuggestions: () =>
        call(
          () => transport.roleSuggestions(),
          (v) => arr(v).filter((r): r is string => typeof r === 'string' && r !== ''),
        ),
      changePassword: (current, next) =>
        call(
          () => transport.changePassword(current, next),
          () => undefined,
        ),
      sessions: () =>
        call(
          () => transport.sessions(),
          (v) => arr(v).map(toSession),
        ),
      revokeSession: (id) => call(() => transport.revokeSession(id), toAuthState),
    },
    settings: {
      geminiStatus: () => call(() => transport.geminiStatus(), toGeminiStatus),
      setGeminiKey: (key) => call(() => transport.setGeminiKey(key), toGeminiStatus),
      setGeminiModel: (model) => call(() => transport.setGeminiModel(model), toGeminiStatus),
      geminiModels: () => call(() => transport.geminiModels(), toGeminiStatus),
      removeGeminiKey: () => call(() => transport.removeGeminiKey(), toGeminiStatus),
    },
    onSessionExpired: (callback) => {
      try {
        const off = transport.onSessionExpired((payload) => callback(expiryMessage(payload)));
        return typeof off === 'function' ? off : () => {};
      } catch (reason) {
        // No Wails runtime (a plain browser): there is nothing to listen to.
        console.error('cara: cannot listen for session expiry', reason);
        return () => {};
      }
    },
  };
}
