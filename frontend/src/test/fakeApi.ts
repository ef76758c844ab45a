import { vi } from 'vitest';
import type { CaraApi, ChatChunk, ChatReplyEnd, ConnectionState, GeminiStatus, QueueStatus, UsageStatus } from '../api';
import {
  checklistFor,
  noGeminiKey,
  queueIdle,
  reviewItem,
  sampleCatalog,
  sampleChat,
  sampleReview,
  sampleSessions,
  sampleTranslation,
  signedIn,
  usageOk,
} from './fixtures';

type Overrides = Partial<Omit<CaraApi, 'history' | 'system' | 'auth' | 'settings' | 'practice'>> & {
  history?: Partial<CaraApi['history']>;
  system?: Partial<CaraApi['system']>;
  auth?: Partial<CaraApi['auth']>;
  settings?: Partial<CaraApi['settings']>;
  practice?: Partial<CaraApi['practice']>;
};

/** A set of event listeners with a way to fire them, as Wails' EventsOn would. */
function channel<T>() {
  const listeners = new Set<(value: T) => void>();
  return {
    listeners,
    subscribe(callback: (value: T) => void) {
      listeners.add(callback);
      return () => {
        listeners.delete(callback);
      };
    },
    emit(value: T) {
      listeners.forEach((cb) => cb(value));
    },
  };
}

/**
 * A CaraApi whose every method is a vi.fn with a sensible default: signed in
 * as sampleAccount. expireSession(), emitChunk(), emitUsage() and emitQueue()
 * fire what Go's events would; listeners() counts who is subscribed.
 */
export function fakeApi(overrides: Overrides = {}) {
  const expiry = channel<string>();
  const chunks = channel<ChatChunk>();
  const replies = channel<ChatReplyEnd>();
  const usage = channel<UsageStatus>();
  const queue = channel<QueueStatus>();
  const geminiStatus = channel<[GeminiStatus, boolean]>();
  const connection = channel<ConnectionState>();
  const api = {
    review: vi.fn(overrides.review ?? (() => Promise.resolve(sampleReview))),
    importFile: vi.fn(overrides.importFile ?? (() => Promise.resolve({ title: 't', text: 'x', repaired: false }))),
    askCara: vi.fn(overrides.askCara ?? (() => Promise.resolve(sampleReview))),
    translate: vi.fn(overrides.translate ?? (() => Promise.resolve(sampleTranslation))),
    practice: {
      catalog: vi.fn(overrides.practice?.catalog ?? (() => Promise.resolve(sampleCatalog))),
      importContext: vi.fn(
        overrides.practice?.importContext ?? (() => Promise.resolve({ name: 'job.md', text: 'Senior PM role' })),
      ),
      start: vi.fn(overrides.practice?.start ?? (() => Promise.resolve(sampleChat))),
      send: vi.fn(overrides.practice?.send ?? (() => Promise.resolve(sampleChat))),
      stop: vi.fn(overrides.practice?.stop ?? (() => Promise.resolve())),
      retry: vi.fn(overrides.practice?.retry ?? (() => Promise.resolve(sampleChat))),
      end: vi.fn(overrides.practice?.end ?? (() => Promise.resolve(sampleChat))),
      get: vi.fn(overrides.practice?.get ?? (() => Promise.resolve(sampleChat))),
    },
    history: {
      list: vi.fn(overrides.history?.list ?? (() => Promise.resolve([reviewItem(sampleReview)]))),
      get: vi.fn(overrides.history?.get ?? (() => Promise.resolve(sampleReview))),
      delete: vi.fn(overrides.history?.delete ?? (() => Promise.resolve())),
    },
    system: {
      info: vi.fn(
        overrides.system?.info ??
          (() => Promise.resolve({ version: '0.1.0', dataDir: '/data', os: 'linux', startupError: '' })),
      ),
      quit: vi.fn(overrides.system?.quit ?? (() => Promise.resolve())),
    },
    auth: {
      state: vi.fn(overrides.auth?.state ?? (() => Promise.resolve(signedIn))),
      register: vi.fn(overrides.auth?.register ?? (() => Promise.resolve(signedIn))),
      login: vi.fn(overrides.auth?.login ?? (() => Promise.resolve(signedIn))),
      logout: vi.fn(overrides.auth?.logout ?? (() => Promise.resolve())),
      passwordChecklist: vi.fn(
        overrides.auth?.passwordChecklist ?? ((password: string, email: string) => Promise.resolve(checklistFor(password, email))),
      ),
      roleSuggestions: vi.fn(
        overrides.auth?.roleSuggestions ?? (() => Promise.resolve(['Software Engineer', 'Product Manager', 'Designer'])),
      ),
      changePassword: vi.fn(overrides.auth?.changePassword ?? (() => Promise.resolve())),
      sessions: vi.fn(overrides.auth?.sessions ?? (() => Promise.resolve(sampleSessions))),
      revokeSession: vi.fn(overrides.auth?.revokeSession ?? (() => Promise.resolve(signedIn))),
    },
    settings: {
      geminiStatus: vi.fn(overrides.settings?.geminiStatus ?? (() => Promise.resolve(noGeminiKey))),
      setGeminiKey: vi.fn(overrides.settings?.setGeminiKey ?? (() => Promise.resolve(noGeminiKey))),
      setGeminiModel: vi.fn(overrides.settings?.setGeminiModel ?? (() => Promise.resolve(noGeminiKey))),
      geminiModels: vi.fn(overrides.settings?.geminiModels ?? (() => Promise.resolve(noGeminiKey))),
      removeGeminiKey: vi.fn(overrides.settings?.removeGeminiKey ?? (() => Promise.resolve(noGeminiKey))),
      usage: vi.fn(overrides.settings?.usage ?? (() => Promise.resolve(usageOk))),
      setDailyBudget: vi.fn(
        overrides.settings?.setDailyBudget ?? ((tokens: number) => Promise.resolve({ ...usageOk, budget: tokens })),
      ),
      queue: vi.fn(overrides.settings?.queue ?? (() => Promise.resolve(queueIdle))),
      processQueue: vi.fn(overrides.settings?.processQueue ?? (() => Promise.resolve(queueIdle))),
    },
    onSessionExpired: vi.fn(overrides.onSessionExpired ?? expiry.subscribe),
    onChatChunk: vi.fn(overrides.onChatChunk ?? chunks.subscribe),
    onChatReply: vi.fn(overrides.onChatReply ?? replies.subscribe),
    onUsage: vi.fn(overrides.onUsage ?? usage.subscribe),
    onQueue: vi.fn(overrides.onQueue ?? queue.subscribe),
    onGeminiStatus: vi.fn(
      overrides.onGeminiStatus ??
        ((cb: (status: GeminiStatus, keyRefused: boolean) => void) => geminiStatus.subscribe(([st, refused]) => cb(st, refused))),
    ),
    onConnection: vi.fn(overrides.onConnection ?? connection.subscribe),
  };
  return Object.assign(api satisfies CaraApi, {
    /** Fires the session-expired event to every listener. */
    expireSession(message: string) {
      expiry.emit(message);
    },
    /** Fires a "chat:chunk" event. */
    emitChunk(chunk: ChatChunk) {
      chunks.emit(chunk);
    },
    /** Fires a "chat:reply" event. */
    emitReply(reply: ChatReplyEnd) {
      replies.emit(reply);
    },
    /** Fires an "ai:usage" event. */
    emitUsage(status: UsageStatus) {
      usage.emit(status);
    },
    /** Fires an "ai:queue" event. */
    emitQueue(status: QueueStatus) {
      queue.emit(status);
    },
    /** Tells onConnection listeners, as the heartbeat watch does. */
    emitConnection(state: ConnectionState) {
      connection.emit(state);
    },
    /** Tells onGeminiStatus listeners, as the facade does after a settings call (or a refused model list). */
    emitGeminiStatus(status: GeminiStatus, keyRefused = false) {
      geminiStatus.emit([status, keyRefused]);
    },
    /** How many listeners each event has now. */
    listeners() {
      return {
        expired: expiry.listeners.size,
        chunk: chunks.listeners.size,
        reply: replies.listeners.size,
        usage: usage.listeners.size,
        queue: queue.listeners.size,
      };
    },
  });
}
