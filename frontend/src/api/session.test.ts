import { describe, expect, it, vi } from 'vitest';
import { fakeApi } from '../test/fakeApi';
import { CaraError, SESSION_EXPIRED_MESSAGE } from './errors';
import { withSessionGuard } from './session';

const expired = () => Promise.reject(new CaraError('unauthorized', SESSION_EXPIRED_MESSAGE));

describe('withSessionGuard', () => {
  it('reports an unauthorized data call once and still rejects for the caller', async () => {
    const onExpired = vi.fn();
    const api = withSessionGuard(fakeApi({ history: { list: expired } }), onExpired);
    await expect(api.history.list()).rejects.toMatchObject({ code: 'unauthorized', message: SESSION_EXPIRED_MESSAGE });
    expect(onExpired).toHaveBeenCalledExactlyOnceWith(SESSION_EXPIRED_MESSAGE);
  });

  it('guards review, import, history, sessions and revoke', async () => {
    const onExpired = vi.fn();
    const api = withSessionGuard(
      fakeApi({
        review: expired,
        importFile: expired,
        history: { list: expired, get: expired, delete: expired },
        auth: { sessions: expired, revokeSession: expired },
      }),
      onExpired,
    );
    const calls = [
      api.review({ title: '', text: 'x', source: '' }),
      api.importFile('a.txt', new Uint8Array([65])),
      api.history.list(),
      api.history.get('x'),
      api.history.delete('x'),
      api.auth.sessions(),
      api.auth.revokeSession('x'),
    ];
    for (const c of calls) await expect(c).rejects.toBeInstanceOf(CaraError);
    expect(onExpired).toHaveBeenCalledTimes(calls.length);
  });

  it('leaves other errors, sign-in calls and a wrong current password alone', async () => {
    const onExpired = vi.fn();
    const api = withSessionGuard(
      fakeApi({
        history: { list: () => Promise.reject(new CaraError('not_found', 'That review no longer exists')) },
        auth: {
          login: () => Promise.reject(new CaraError('unauthorized', 'Invalid credentials')),
          changePassword: () => Promise.reject(new CaraError('unauthorized', 'Current password is incorrect')),
          logout: expired,
        },
      }),
      onExpired,
    );
    await expect(api.history.list()).rejects.toMatchObject({ code: 'not_found' });
    await expect(api.auth.login('a@b.c', 'x')).rejects.toMatchObject({ message: 'Invalid credentials' });
    await expect(api.auth.changePassword('x', 'y')).rejects.toMatchObject({ message: 'Current password is incorrect' });
    await expect(api.auth.logout()).rejects.toMatchObject({ code: 'unauthorized' });
    expect(onExpired).not.toHaveBeenCalled();
  });

  it('counts "Session expired" from changePassword', async () => {
    const onExpired = vi.fn();
    const api = withSessionGuard(fakeApi({ auth: { changePassword: expired } }), onExpired);
    await expect(api.auth.changePassword('x', 'y')).rejects.toBeInstanceOf(CaraError);
    expect(onExpired).toHaveBeenCalledWith(SESSION_EXPIRED_MESSAGE);
  });

  it('turns raw Go rejections into CaraErrors too', async () => {
    const onExpired = vi.fn();
    const raw = JSON.stringify({ code: 'unauthorized', message: SESSION_EXPIRED_MESSAGE });
    const api = withSessionGuard(fakeApi({ history: { get: () => Promise.reject(raw) } }), onExpired);
    await expect(api.history.get('x')).rejects.toMatchObject({ code: 'unauthorized' });
    expect(onExpired).toHaveBeenCalledOnce();
  });
});
