import { vi } from 'vitest';
import type { CaraApi } from '../api';
import { sampleReview, summaryOf } from './fixtures';

/** A CaraApi whose every method is a vi.fn with a sensible default. */
export function fakeApi(overrides: Partial<Omit<CaraApi, 'history' | 'system'>> & {
  history?: Partial<CaraApi['history']>;
  system?: Partial<CaraApi['system']>;
} = {}) {
  const api = {
    review: vi.fn(overrides.review ?? (() => Promise.resolve(sampleReview))),
    importFile: vi.fn(overrides.importFile ?? (() => Promise.resolve({ title: 't', text: 'x', repaired: false }))),
    history: {
      list: vi.fn(overrides.history?.list ?? (() => Promise.resolve([summaryOf(sampleReview)]))),
      get: vi.fn(overrides.history?.get ?? (() => Promise.resolve(sampleReview))),
      delete: vi.fn(overrides.history?.delete ?? (() => Promise.resolve())),
    },
    system: {
      info: vi.fn(overrides.system?.info ?? (() => Promise.resolve({ version: '0.1.0', dataDir: '/data', os: 'linux' }))),
    },
  };
  return api satisfies CaraApi;
}
