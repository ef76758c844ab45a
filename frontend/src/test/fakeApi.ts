import { vi } from 'vitest';
import type { CaraApi } from '../api';
import { checklistFor, noGeminiKey, sampleReview, sampleSessions, signedIn, summaryOf } from './fixtures';

type Overrides = Partial<Omit<CaraApi, 'history' | 'system' | 'auth' | 'settings'>> & {
  history?: Partial<CaraApi['history']>;
  system?: Partial<CaraApi['system']>;
  auth?: Partial<CaraApi['auth']>;
  settings?: Partial<CaraApi['settings']>;
};

/**
 * A CaraApi whose every method is a vi.fn with a sensible default: signed in
 * as sampleAccount. expireSession() fires what Go's "auth:expired" event would.
 */
export function fakeApi(overrides: Overrides = {}) {
  const expiryListeners = new Set<(message: string) => void>();
  const api = {
    review: vi.fn(overrides.review ?? (() => Promise.resolve(sampleReview))),
    importFile: vi.fn(overrides.importFile ?? (() => Promise.resolve({ title: 't', text: 'x', repaired: false }))),
    history: {
      list: vi.fn(overrides.history?.list ?? (() => Promise.resolve([summaryOf(sampleReview)]))),
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
    },
    onSessionExpired: vi.fn(
      overrides.onSessionExpired ??
        ((callback: (message: string) => void) => {
          expiryListeners.add(callback);
          return () => {
            expiryListeners.delete(callback);
          };
        }),
    ),
  };
  return Object.assign(api satisfies CaraApi, {
    /** Fires the session-expired event to every listener. */
    expireSession(message: string) {
      expiryListeners.forEach((cb) => cb(message));
    },
  });
}
