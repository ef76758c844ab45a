// The typed facade over the Go services. Views call this, never the
// generated bindings: the transport is injected so tests can replace Wails.

import { bytesToBase64 } from '../lib/base64';
import { watchConnection, type Clock, type ConnectionState } from './connection';
import { CaraError, GENERIC_MESSAGE, SESSION_EXPIRED_MESSAGE, toCaraError } from './errors';
import {
  FEEDBACK_DIMENSIONS,
  type Account,
  type AIStatus,
  type Alternative,
  type AppInfo,
  type AuthState,
  type Bucket,
  type Catalog,
  type Change,
  type Chat,
  type ChatChunk,
  type ChatSummary,
  type ContextDoc,
  type Counts,
  type Dimension,
  type Feedback,
  type Flag,
  type GeminiModel,
  type GeminiStatus,
  type HistoryItem,
  type ImportedText,
  type Limit,
  type PasswordRule,
  type QueueStatus,
  type Readability,
  type RegisterInput,
  type Report,
  type Review,
  type ReviewAI,
  type ReviewInput,
  type ReviewSummary,
  type RewriteMode,
  type Scores,
  type SentenceProfile,
  type SessionInfo,
  type Span,
  type StartChatInput,
  type Translation,
  type Turn,
  type TurnStatus,
  type Usage,
  type UsageStatus,
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
  /** app.Settings.Usage */
  usage(): Promise<unknown>;
  /** app.Settings.SetDailyBudget */
  setDailyBudget(tokens: number): Promise<unknown>;
  /** app.Settings.Queue */
  queue(): Promise<unknown>;
  /** app.Settings.ProcessQueue */
  processQueue(): Promise<unknown>;
  // app.Coach (AI)
  askCara(reviewId: string, mode: RewriteMode): Promise<unknown>;
  translate(phrase: string): Promise<unknown>;
  // app.Practice
  catalog(): Promise<unknown>;
  importContext(name: string, contentBase64: string): Promise<unknown>;
  startChat(input: StartChatInput): Promise<unknown>;
  sendChat(chatId: string, text: string): Promise<unknown>;
  stopChat(chatId: string): Promise<unknown>;
  retryChat(chatId: string): Promise<unknown>;
  endChat(chatId: string): Promise<unknown>;
  getChat(chatId: string): Promise<unknown>;
  /**
   * Listens for Go's "auth:expired" event (a background refresh failed);
   * the callback gets the event's first argument. Returns the unsubscribe.
   */
  onSessionExpired(callback: (payload: unknown) => void): () => void;
  /** Go's "chat:chunk" events: a piece of a streamed reply. Returns the unsubscribe. */
  onChatChunk(callback: (payload: unknown) => void): () => void;
  /** Go's "chat:reply" events: a reply that sendChat or retryChat started is over. Returns the unsubscribe. */
  onChatReply(callback: (payload: unknown) => void): () => void;
  /** Go's "ai:usage" events: today's usage after a call. Returns the unsubscribe. */
  onUsage(callback: (payload: unknown) => void): () => void;
  /** Go's "ai:queue" events: the offline queue's progress. Returns the unsubscribe. */
  onQueue(callback: (payload: unknown) => void): () => void;
  /** Go's "app:alive" heartbeat (app.AliveEvent). Returns the unsubscribe. */
  onAppAlive(callback: (payload: unknown) => void): () => void;
}

export interface CaraApi {
  /** Analyse a text with the offline coach and save it to History. */
  review(input: ReviewInput): Promise<Review>;
  /** Extract the text of an opened or dropped file (.txt, .md, .eml). */
  importFile(name: string, content: ArrayBuffer | Uint8Array): Promise<ImportedText>;
  /**
   * Ask Cara: Gemini's feedback and a rewrite of a saved review. Resolves with
   * the review: ai set when aiStatus is "ready"; "pending" or "failed" with
   * aiError otherwise.
   */
  askCara(reviewId: string, mode: RewriteMode): Promise<Review>;
  /** How a phrase lands in a US workplace. Rejects with the reason (no_key, offline, budget …). */
  translate(phrase: string): Promise<Translation>;
  practice: {
    catalog(): Promise<Catalog>;
    /**
     * The text of a .txt or .md file to use as background. limit is the
     * catalog's context limit: a file too large to hold that few
     * characters is refused with its message without crossing to Go, and
     * Go refuses one of too many characters with the same message.
     */
    importContext(name: string, content: ArrayBuffer | Uint8Array, limit: Limit): Promise<ContextDoc>;
    /** Opens a chat; its first turn is the persona's opening. */
    start(input: StartChatInput): Promise<Chat>;
    /**
     * Saves the user's turn and resolves when the persona's reply is over
     * (pieces arrive meanwhile through onChatChunk). A cut-off or failed reply
     * still resolves, with the turn partial or failed and its error. (Go
     * answers the call once the turn is saved and sends the finished chat as
     * "chat:reply", so that Stop gets through meanwhile; this waits for both.)
     */
    send(chatId: string, text: string): Promise<Chat>;
    /** Stops the streaming reply; send then resolves with the turn partial. */
    stop(chatId: string): Promise<void>;
    /** Streams the last partial or failed reply again. */
    retry(chatId: string): Promise<Chat>;
    /** Ends the chat: offline report at once, AI feedback when Gemini can be had. Again on an ended chat retries the feedback. */
    end(chatId: string): Promise<Chat>;
    get(chatId: string): Promise<Chat>;
  };
  history: {
    /** Reviews and chats, as Go lists them. */
    list(): Promise<HistoryItem[]>;
    /** A review (chats open with practice.get). */
    get(id: string): Promise<Review>;
    /** Deletes a review or a chat. */
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
    /** Today's token use against the daily budget. */
    usage(): Promise<UsageStatus>;
    /** Sets the daily budget in tokens; Go says why a value is refused. */
    setDailyBudget(tokens: number): Promise<UsageStatus>;
    /** The offline queue of practices waiting for AI feedback. */
    queue(): Promise<QueueStatus>;
    /** Starts processing the queue now. */
    processQueue(): Promise<QueueStatus>;
  };
  /**
   * Calls back with a message when Go reports that the session has ended in
   * the background (a failed refresh). Returns the unsubscribe.
   */
  onSessionExpired(callback: (message: string) => void): () => void;
  /** Calls back with each piece of a streamed reply. Returns the unsubscribe. */
  onChatChunk(callback: (chunk: ChatChunk) => void): () => void;
  /**
   * Calls back when a streamed reply is over, whoever started it (a view
   * that opened mid-reply follows it to here): the chat as saved, or null
   * with why it could not be saved. Returns the unsubscribe.
   */
  onChatReply(callback: (reply: ChatReplyEnd) => void): () => void;
  /** Calls back with today's usage whenever an AI call spent tokens. Returns the unsubscribe. */
  onUsage(callback: (usage: UsageStatus) => void): () => void;
  /** Calls back with the offline queue's progress. Returns the unsubscribe. */
  onQueue(callback: (queue: QueueStatus) => void): () => void;
  /**
   * Calls back with the Gemini settings whenever a settings call answers
   * with them (a key saved or removed, a model chosen), so every screen
   * that shows them stays right; keyRefused is true from a model-list
   * refresh Gemini refused the saved key for (revoked, another project)
   * until a key is saved or removed or the list loads. Returns the unsubscribe.
   */
  onGeminiStatus(callback: (status: GeminiStatus, keyRefused: boolean) => void): () => void;
  /**
   * Calls back when Cara's app stops answering (closed: its process has
   * ended, as a browser on wails dev sees it) and when it answers again
   * after that (back). Returns the unsubscribe.
   */
  onConnection(callback: (state: ConnectionState) => void): () => void;
}

/** Files larger than this are refused before they cross to Go (document.MaxFileBytes). */
export const MAX_FILE_BYTES = 4 << 20;
/** Emails may be larger: Go skips their attachments (document.MaxEmailBytes). */
export const MAX_EMAIL_BYTES = 32 << 20;
/** The longest text Cara reviews, in characters (Unicode code points). */
export const MAX_CHARS = 200_000;
export const TOO_LONG_MESSAGE = 'Text is too long (max 200,000 characters)';
/**
 * The most bytes a file of chars characters can have: UTF-8 takes at most
 * four bytes a character, plus a byte order mark (coach.MaxContextFileBytes).
 */
export function mostBytesFor(chars: number): number {
  return 4 * chars + 4;
}

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
    ...(o.ai != null ? { ai: toReviewAI(o.ai) } : {}),
    aiStatus: toAIStatus(o.aiStatus),
    aiError: str(o.aiError),
    aiErrorCode: str(o.aiErrorCode),
    aiRetryAt: str(o.aiRetryAt),
    aiMode: toMode(o.aiMode),
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
    aiStatus: toAIStatus(o.aiStatus),
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

// --- the AI side

const AI_STATUSES: readonly AIStatus[] = ['', 'pending', 'running', 'ready', 'failed'];
const TURN_STATUSES: readonly TurnStatus[] = ['complete', 'streaming', 'partial', 'failed'];

/** An unknown status reads as none: the UI then offers nothing it can't back. */
export function toAIStatus(v: unknown): AIStatus {
  return AI_STATUSES.find((s) => s === v) ?? '';
}

function toMode(v: unknown): RewriteMode | '' {
  return v === 'strict' || v === 'creative' ? v : '';
}

function toUsage(v: unknown): Usage {
  const o = obj(v);
  return { promptTokens: num(o.promptTokens), candidatesTokens: num(o.candidatesTokens), totalTokens: num(o.totalTokens) };
}

function strings(v: unknown): string[] {
  return arr(v).filter((s): s is string => typeof s === 'string' && s.trim() !== '');
}

export function toReviewAI(v: unknown): ReviewAI {
  const o = obj(v);
  return {
    mode: toMode(o.mode) || 'strict',
    summary: str(o.summary),
    points: strings(o.points),
    rewrite: str(o.rewrite),
    usage: toUsage(o.usage),
    model: str(o.model),
    createdAt: str(o.createdAt),
  };
}

function toLimit(v: unknown): Limit {
  const o = obj(v);
  return { max: num(o.max), tooLong: str(o.tooLong) };
}

function toCatalog(v: unknown): Catalog {
  const o = requireObject(v);
  const limits = obj(o.limits);
  return {
    limits: { turn: toLimit(limits.turn), context: toLimit(limits.context) },
    scenarios: arr(o.scenarios)
      .map((s) => {
        const x = obj(s);
        return {
          id: str(x.id),
          title: str(x.title),
          description: str(x.description),
          goal: str(x.goal),
          opening: str(x.opening),
        };
      })
      .filter((s) => s.id !== ''),
    personas: arr(o.personas)
      .map((p) => {
        const x = obj(p);
        return { id: str(x.id), name: str(x.name), description: str(x.description) };
      })
      .filter((p) => p.id !== ''),
  };
}

function toContextDoc(v: unknown): ContextDoc {
  const o = requireObject(v);
  return { name: str(o.name), text: str(o.text) };
}

function toTurn(v: unknown): Turn {
  const o = obj(v);
  return {
    id: str(o.id),
    role: o.role === 'user' ? 'user' : 'persona',
    text: str(o.text),
    status: TURN_STATUSES.find((s) => s === o.status) ?? 'complete',
    error: str(o.error),
    errorCode: str(o.errorCode),
    retryAt: str(o.retryAt),
    createdAt: str(o.createdAt),
    chunks: num(o.chunks),
  };
}

function toDimension(v: unknown): Dimension {
  const o = obj(v);
  return { score: num(o.score), evidence: str(o.evidence) };
}

export function toFeedback(v: unknown): Feedback {
  const o = obj(v);
  const better = obj(o.betterVersion);
  const dims = Object.fromEntries(FEEDBACK_DIMENSIONS.map((d) => [d, toDimension(o[d])])) as Record<
    (typeof FEEDBACK_DIMENSIONS)[number],
    Dimension
  >;
  return {
    overall: num(o.overall),
    ...dims,
    highlights: arr(o.highlights)
      .map((h) => {
        const x = obj(h);
        return { quote: str(x.quote), comment: str(x.comment) };
      })
      .filter((h) => h.quote !== ''),
    actionItems: strings(o.actionItems),
    betterVersion: { original: str(better.original), improved: str(better.improved), why: str(better.why) },
  };
}

export function toChat(v: unknown): Chat {
  const o = requireObject(v);
  const chat: Chat = {
    id: str(o.id),
    title: str(o.title),
    scenarioId: str(o.scenarioId),
    personaId: str(o.personaId),
    turns: arr(o.turns).map(toTurn),
    ended: bool(o.ended),
    aiStatus: toAIStatus(o.aiStatus),
    aiError: str(o.aiError),
    aiErrorCode: str(o.aiErrorCode),
    aiRetryAt: str(o.aiRetryAt),
    usage: toUsage(o.usage),
    createdAt: str(o.createdAt),
    updatedAt: str(o.updatedAt),
  };
  if (o.context != null) chat.context = { name: str(obj(o.context).name), text: str(obj(o.context).text) };
  if (o.offline != null) chat.offline = toReport(o.offline);
  if (o.feedback != null) chat.feedback = toFeedback(o.feedback);
  return chat;
}

function toChatSummary(v: unknown): ChatSummary {
  const o = obj(v);
  return {
    id: str(o.id),
    title: str(o.title),
    scenarioId: str(o.scenarioId),
    personaId: str(o.personaId),
    createdAt: str(o.createdAt),
    turns: num(o.turns),
    ended: bool(o.ended),
    aiStatus: toAIStatus(o.aiStatus),
    overall: num(o.overall),
    offlineOverall: num(o.offlineOverall),
  };
}

/**
 * A History line of either kind. A bare ReviewSummary (what History.List
 * returned before chats existed) still reads as a review. Lines that are
 * neither are dropped.
 */
export function toHistoryItem(v: unknown): HistoryItem | null {
  const o = obj(v);
  const id = str(o.id);
  if (id === '') return null;
  if (o.kind === 'chat') {
    const chat = toChatSummary(o.chat ?? o);
    return {
      kind: 'chat',
      id,
      title: str(o.title) || chat.title,
      createdAt: str(o.createdAt) || chat.createdAt,
      aiStatus: toAIStatus(o.aiStatus ?? chat.aiStatus),
      chat: { ...chat, id },
    };
  }
  if (o.kind !== undefined && o.kind !== 'review') return null;
  const review = toSummary(o.review ?? o);
  return {
    kind: 'review',
    id,
    title: str(o.title) || review.title,
    createdAt: str(o.createdAt) || review.createdAt,
    aiStatus: toAIStatus(o.aiStatus ?? review.aiStatus),
    review: { ...review, id },
  };
}

function toAlternative(v: unknown): Alternative {
  const o = obj(v);
  return { text: str(o.text), when: str(o.when) };
}

export function toTranslation(v: unknown): Translation {
  const o = requireObject(v);
  return {
    phrase: str(o.phrase),
    perception: str(o.perception),
    hiddenMeaning: str(o.hiddenMeaning),
    alternatives: arr(o.alternatives)
      .map(toAlternative)
      .filter((a) => a.text !== ''),
    usage: toUsage(o.usage),
  };
}

export function toUsageStatus(v: unknown): UsageStatus {
  const o = requireObject(v);
  return { day: str(o.day), used: num(o.used), budget: num(o.budget), warn: bool(o.warn), stop: bool(o.stop) };
}

export function toQueueStatus(v: unknown): QueueStatus {
  const o = requireObject(v);
  return {
    pending: num(o.pending),
    done: num(o.done),
    total: num(o.total),
    running: bool(o.running),
    current: str(o.current),
    error: str(o.error),
  };
}

/** A chunk event's payload, or null when it isn't one (then it is ignored). */
export function toChatChunk(v: unknown): ChatChunk | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Obj;
  if (typeof o.chatId !== 'string' || typeof o.turnId !== 'string' || typeof o.text !== 'string') return null;
  return { chatId: o.chatId, turnId: o.turnId, text: o.text, seq: num(o.seq), at: num(o.at) };
}

/**
 * listen subscribes to a Go event through the transport: payloads that
 * don't parse are dropped; without a Wails runtime there is nothing to hear.
 */
function listen<T>(
  name: string,
  subscribe: (cb: (payload: unknown) => void) => () => void,
  parse: (payload: unknown) => T | null,
  callback: (value: T) => void,
): () => void {
  try {
    const off = subscribe((payload) => {
      let value: T | null = null;
      try {
        value = parse(payload);
      } catch {
        value = null;
      }
      if (value !== null) callback(value);
    });
    return typeof off === 'function' ? off : () => {};
  } catch (reason) {
    console.error(`cara: cannot listen for ${name}`, reason);
    return () => {};
  }
}

/** Like requireObject-based parsers, but null instead of a throw for events. */
function orNull<T>(parse: (v: unknown) => T): (v: unknown) => T | null {
  return (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? parse(v) : null);
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

/** A "chat:reply" payload: the chat with its reply over, or why it could not be saved. */
export interface ChatReplyEnd {
  chatId: string;
  chat: Chat | null;
  error: string;
}

function toChatReply(v: unknown): ChatReplyEnd | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Obj;
  if (typeof o.chatId !== 'string') return null;
  return { chatId: o.chatId, chat: o.chat ? toChat(o.chat) : null, error: str(o.error) };
}

/**
 * replyOf runs start (sendChat or retryChat), which Go answers once the
 * user's turn is saved, and resolves with the chat from the "chat:reply"
 * event that ends that reply. It listens before calling: a fast reply may
 * end before the call's answer arrives. If Go could not save the reply, the
 * chat is read back as stored (the reply shows as interrupted).
 */
function replyOf(transport: Transport, chatId: string, start: () => Promise<unknown>): Promise<Chat> {
  return new Promise<Chat>((resolve, reject) => {
    let started = false;
    let ended: { chat: Chat | null; error: string } | null = null;
    const finish = (end: { chat: Chat | null; error: string }) => {
      off();
      if (end.chat) resolve(end.chat);
      else call(() => transport.getChat(chatId), toChat).then(resolve, () => reject(new CaraError('internal', end.error || GENERIC_MESSAGE)));
    };
    const off = listen('chat:reply', (cb) => transport.onChatReply(cb), toChatReply, (r) => {
      if (r.chatId !== chatId || ended) return;
      ended = r;
      if (started) finish(r);
    });
    call(start, toChat).then(
      () => {
        started = true;
        if (ended) finish(ended);
      },
      (err: unknown) => {
        off();
        reject(err);
      },
    );
  });
}

/** createApi builds the facade over a transport (the Wails bindings in the app, a fake in tests); clock times the heartbeat watch. */
export function createApi(transport: Transport, clock?: Clock): CaraApi {
  const connection = watchConnection((cb) => transport.onAppAlive(cb), clock);
  // Who hears of new Gemini settings; fed by the settings calls below.
  const geminiListeners = new Set<(status: GeminiStatus, keyRefused: boolean) => void>();
  let lastGemini: GeminiStatus | null = null;
  let keyRefused = false;
  const tellGemini = (status: GeminiStatus) => geminiListeners.forEach((cb) => cb(status, keyRefused));
  // clears: the call settles whether Gemini takes the saved key (a key
  // saved or removed, the model list loaded).
  const gemini = async (run: () => Promise<unknown>, clears = false): Promise<GeminiStatus> => {
    const status = await call(run, toGeminiStatus);
    lastGemini = status;
    if (clears) keyRefused = false;
    tellGemini(status);
    return status;
  };
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
    askCara: (reviewId, mode) => call(() => transport.askCara(reviewId, mode), toReview),
    translate: (phrase) => call(() => transport.translate(phrase), toTranslation),
    practice: {
      catalog: () => call(() => transport.catalog(), toCatalog),
      importContext: async (name, content, limit) => {
        const bytes = content instanceof Uint8Array ? content : new Uint8Array(content);
        // Too many bytes to be few enough characters: Go's answer is known,
        // and in a browser such a file would be too large to send anyway.
        if (limit.max > 0 && bytes.byteLength > mostBytesFor(limit.max)) throw new CaraError('too_large', limit.tooLong);
        return call(() => transport.importContext(name, bytesToBase64(bytes)), toContextDoc);
      },
      start: (input) =>
        call(
          () =>
            transport.startChat({
              scenarioId: input.scenarioId,
              personaId: input.personaId,
              ...(input.context ? { context: { name: input.context.name, text: input.context.text } } : {}),
            }),
          toChat,
        ),
      send: (chatId, text) => replyOf(transport, chatId, () => transport.sendChat(chatId, text)),
      stop: (chatId) =>
        call(
          () => transport.stopChat(chatId),
          () => undefined,
        ),
      retry: (chatId) => replyOf(transport, chatId, () => transport.retryChat(chatId)),
      end: (chatId) => call(() => transport.endChat(chatId), toChat),
      get: (chatId) => call(() => transport.getChat(chatId), toChat),
    },
    history: {
      list: () =>
        call(
          () => transport.listHistory(),
          (v) => arr(v).map(toHistoryItem).filter((i): i is HistoryItem => i !== null),
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
      geminiStatus: () => gemini(() => transport.geminiStatus()),
      setGeminiKey: (key) => gemini(() => transport.setGeminiKey(key), true),
      setGeminiModel: (model) => gemini(() => transport.setGeminiModel(model)),
      geminiModels: () =>
        gemini(() => transport.geminiModels(), true).catch((reason: unknown) => {
          if (toCaraError(reason).code === 'gemini_key') {
            keyRefused = true;
            if (lastGemini) tellGemini(lastGemini);
          }
          throw reason;
        }),
      removeGeminiKey: () => gemini(() => transport.removeGeminiKey(), true),
      usage: () => call(() => transport.usage(), toUsageStatus),
      setDailyBudget: (tokens) => call(() => transport.setDailyBudget(tokens), toUsageStatus),
      queue: () => call(() => transport.queue(), toQueueStatus),
      processQueue: () => call(() => transport.processQueue(), toQueueStatus),
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
    onChatChunk: (callback) => listen('chat:chunk', (cb) => transport.onChatChunk(cb), toChatChunk, callback),
    onChatReply: (callback) => listen('chat:reply', (cb) => transport.onChatReply(cb), toChatReply, callback),
    onUsage: (callback) => listen('ai:usage', (cb) => transport.onUsage(cb), orNull(toUsageStatus), callback),
    onQueue: (callback) => listen('ai:queue', (cb) => transport.onQueue(cb), orNull(toQueueStatus), callback),
    onConnection: (callback) => connection.listen(callback),
    onGeminiStatus: (callback) => {
      geminiListeners.add(callback);
      return () => {
        geminiListeners.delete(callback);
      };
    },
  };
}
