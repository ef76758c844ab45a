// The signed-in part of the app sees the facade through withSessionGuard:
// any call that fails because the session is gone reports it once, so the
// app can go back to Sign in, and still rejects as before for the caller.
import type { CaraApi } from './client';
import { SESSION_EXPIRED_MESSAGE, toCaraError, type CaraError } from './errors';

/** True when a data call failed because the sign-in can no longer be used. */
export function isSessionExpiry(err: CaraError): boolean {
  return err.code === 'unauthorized';
}

/**
 * withSessionGuard wraps every call that needs a signed-in user. When one
 * rejects with code "unauthorized", onExpired gets Go's message.
 *
 * Two calls are treated differently: changePassword answers a wrong current
 * password with "unauthorized" too ("Current password is incorrect"), which
 * belongs in its form, so only Go's session-expired message counts there;
 * and logout is left alone: signing out of a session that has already ended
 * is still signing out. The sign-in calls (state, register, login) and the
 * pure helpers (passwordChecklist, roleSuggestions) are passed through.
 */
export function withSessionGuard(api: CaraApi, onExpired: (message: string) => void): CaraApi {
  const guard =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>, expired: (err: CaraError) => boolean = isSessionExpiry) =>
    async (...args: A): Promise<R> => {
      try {
        return await run(...args);
      } catch (reason) {
        const err = toCaraError(reason);
        if (expired(err)) onExpired(err.message || SESSION_EXPIRED_MESSAGE);
        throw err;
      }
    };

  return {
    ...api,
    review: guard(api.review),
    importFile: guard(api.importFile),
    askCara: guard(api.askCara),
    translate: guard(api.translate),
    practice: {
      catalog: guard(api.practice.catalog),
      importContext: guard(api.practice.importContext),
      start: guard(api.practice.start),
      send: guard(api.practice.send),
      stop: guard(api.practice.stop),
      retry: guard(api.practice.retry),
      end: guard(api.practice.end),
      get: guard(api.practice.get),
    },
    history: {
      list: guard(api.history.list),
      get: guard(api.history.get),
      delete: guard(api.history.delete),
    },
    system: {
      info: guard(api.system.info),
      quit: api.system.quit,
    },
    auth: {
      ...api.auth,
      changePassword: guard(
        api.auth.changePassword,
        (err) => err.code === 'unauthorized' && err.message === SESSION_EXPIRED_MESSAGE,
      ),
      sessions: guard(api.auth.sessions),
      revokeSession: guard(api.auth.revokeSession),
    },
    settings: {
      geminiStatus: guard(api.settings.geminiStatus),
      setGeminiKey: guard(api.settings.setGeminiKey),
      setGeminiModel: guard(api.settings.setGeminiModel),
      geminiModels: guard(api.settings.geminiModels),
      removeGeminiKey: guard(api.settings.removeGeminiKey),
      usage: guard(api.settings.usage),
      setDailyBudget: guard(api.settings.setDailyBudget),
      queue: guard(api.settings.queue),
      processQueue: guard(api.settings.processQueue),
    },
  };
}
