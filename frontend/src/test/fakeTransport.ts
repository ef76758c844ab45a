import type { Transport } from '../api/client';

/** A Transport whose every call fails unless a test overrides it. */
export function fakeTransport(overrides: Partial<Transport> = {}): Transport {
  const fail = () => Promise.reject(new Error('not faked'));
  return {
    review: fail,
    importFile: fail,
    listHistory: fail,
    getHistory: fail,
    deleteHistory: fail,
    info: fail,
    quit: fail,
    authState: fail,
    register: fail,
    login: fail,
    logout: fail,
    passwordChecklist: fail,
    roleSuggestions: fail,
    changePassword: fail,
    sessions: fail,
    revokeSession: fail,
    geminiStatus: fail,
    setGeminiKey: fail,
    setGeminiModel: fail,
    geminiModels: fail,
    removeGeminiKey: fail,
    onSessionExpired: () => () => {},
    ...overrides,
  };
}
