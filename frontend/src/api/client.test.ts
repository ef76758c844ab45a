import { describe, expect, it, vi } from 'vitest';
import { createApi, MAX_FILE_BYTES, mostBytesFor } from './client';
import { CaraError, SESSION_EXPIRED_MESSAGE, toCaraError } from './errors';
import { chatAfter, sampleChat, sampleReview } from '../test/fixtures';
import { fakeTransport } from '../test/fakeTransport';


/** What Wails rejects with: the Go error's text, which app/errors.go makes JSON. */
function goError(code: string, message: string): string {
  return JSON.stringify({ code, message });
}

describe('api.review', () => {
  it('sends the input and maps the Review DTO', async () => {
    const review = vi.fn().mockResolvedValue(sampleReview);
    const api = createApi(fakeTransport({ review }));
    const got = await api.review({ title: '', text: 'I just think so.', source: 'paste' });
    expect(review).toHaveBeenCalledWith({ title: '', text: 'I just think so.', source: 'paste', repaired: false });
    expect(got).toEqual(sampleReview);
    expect(got.report.flags[0]).toMatchObject({ kind: 'filler', start: 13, start16: 15, end16: 19, text: 'just' });
    expect(got.report.readability.plainGrade).toBe('easy for most adults');
  });

  it('fills nil slices and missing fields so views can rely on them', async () => {
    const raw = {
      ...sampleReview,
      report: { ...sampleReview.report, flags: null, topChanges: null, notes: null, sentences: { count: 1 } },
    };
    const api = createApi(fakeTransport({ review: () => Promise.resolve(raw) }));
    const got = await api.review({ title: '', text: 'x', source: '' });
    expect(got.report.flags).toEqual([]);
    expect(got.report.topChanges).toEqual([]);
    expect(got.report.notes).toEqual([]);
    expect(got.report.sentences).toEqual({
      count: 1,
      meanWords: 0,
      medianWords: 0,
      longestWords: 0,
      lengths: [],
      histogram: [],
      long: [],
    });
    expect(got.report.wpm).toBeUndefined();
  });

  it.each([
    ['empty', 'Nothing to review yet — paste or open some text'],
    ['too_large', 'Text is too long (max 200,000 characters)'],
  ])('turns a %s error into a CaraError with the exact message', async (code, message) => {
    const api = createApi(fakeTransport({ review: () => Promise.reject(goError(code, message)) }));
    const err = await api.review({ title: '', text: '', source: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaraError);
    expect(err).toMatchObject({ code, message });
  });

  it('shows "Something went wrong" for garbage, never the raw text', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const garbage: unknown[] = [
      'panic: runtime error: index out of range\n\tgoroutine 1 [running]',
      new Error('Call to method app.Coach.Review timed out. Request ID: 42'),
      '{"code":"internal"}',
      '{not json',
      { foo: 'bar' },
      null,
      undefined,
      42,
    ];
    for (const reason of garbage) {
      const api = createApi(fakeTransport({ review: () => Promise.reject(reason) }));
      const err = await api.review({ title: '', text: 'x', source: '' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CaraError);
      expect(err).toMatchObject({ code: 'internal', message: 'Something went wrong' });
    }
    spy.mockRestore();
  });

  it('treats a missing Wails runtime (synchronous throw) as a CaraError', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const api = createApi(
      fakeTransport({
        review: () => {
          throw new TypeError("Cannot read properties of undefined (reading 'app')");
        },
      }),
    );
    await expect(api.review({ title: '', text: 'x', source: '' })).rejects.toMatchObject({
      message: 'Something went wrong',
    });
    spy.mockRestore();
  });

  it('rejects a non-object result', async () => {
    const api = createApi(fakeTransport({ review: () => Promise.resolve('oops') }));
    await expect(api.review({ title: '', text: 'x', source: '' })).rejects.toMatchObject({
      message: 'Something went wrong',
    });
  });
});

describe('api.importFile', () => {
  it('sends base64 of the bytes and maps the result', async () => {
    const importFile = vi.fn().mockResolvedValue({ title: 'Notes', text: 'Hello 👋', repaired: true });
    const api = createApi(fakeTransport({ importFile }));
    const bytes = new TextEncoder().encode('Hello 👋');
    const got = await api.importFile('notes.txt', bytes);
    expect(importFile).toHaveBeenCalledWith('notes.txt', Buffer.from(bytes).toString('base64'));
    expect(got).toEqual({ title: 'Notes', text: 'Hello 👋', repaired: true });
  });

  it('passes the not-text message through', async () => {
    const message = "This file doesn't look like text";
    const api = createApi(fakeTransport({ importFile: () => Promise.reject(goError('not_text', message)) }));
    await expect(api.importFile('a.png', new Uint8Array([0, 1, 2]))).rejects.toMatchObject({
      code: 'not_text',
      message,
    });
  });

  it('refuses an oversized file before it crosses to Go', async () => {
    const importFile = vi.fn();
    const api = createApi(fakeTransport({ importFile }));
    await expect(api.importFile('big.txt', new ArrayBuffer(MAX_FILE_BYTES + 1))).rejects.toMatchObject({
      code: 'too_large',
      message: 'Text is too long (max 200,000 characters)',
    });
    expect(importFile).not.toHaveBeenCalled();
  });
});

describe('api.history and api.system', () => {
  it('lists reviews and chats, reads an old bare summary as a review, and treats null as empty', async () => {
    const scores = { overall: 70, clarity: 60, concision: 80, confidence: 50, warmth: 90 };
    const summary = { id: '01J', title: 'Hi', createdAt: '2026-03-12T16:40:05Z', words: 3, flags: 1, scores };
    const chat = {
      kind: 'chat',
      id: 'c1',
      title: 'Salary talk',
      createdAt: '2026-03-13T09:00:00Z',
      aiStatus: 'pending',
      chat: { id: 'c1', title: 'Salary talk', scenarioId: 'salary', personaId: 'skeptic', createdAt: '2026-03-13T09:00:00Z', turns: 4, ended: true, aiStatus: 'pending', overall: 0, offlineOverall: 61 },
    };
    const review = { kind: 'review', id: '01K', title: 'Note', createdAt: '2026-03-14T09:00:00Z', aiStatus: 'ready', review: { ...summary, id: '01K', title: 'Note', aiStatus: 'ready' } };
    const odd = { kind: 'podcast', id: 'p1', title: 'Later' };
    const got = await createApi(fakeTransport({ listHistory: () => Promise.resolve([summary, chat, review, odd, null]) })).history.list();
    expect(got).toEqual([
      { kind: 'review', id: '01J', title: 'Hi', createdAt: '2026-03-12T16:40:05Z', aiStatus: '', review: { ...summary, aiStatus: '' } },
      { ...chat, chat: { ...chat.chat } },
      review,
    ]);
    // A line from before offline scores were listed reads as none.
    const { offlineOverall: _none, ...oldLine } = chat.chat;
    const [old] = await createApi(fakeTransport({ listHistory: () => Promise.resolve([{ ...chat, chat: oldLine }]) })).history.list();
    expect(old?.kind === 'chat' && old.chat.offlineOverall).toBe(0);
    expect(await createApi(fakeTransport({ listHistory: () => Promise.resolve(null) })).history.list()).toEqual([]);
  });

  it('gets and deletes by id; not found keeps its message', async () => {
    const getHistory = vi.fn().mockResolvedValue(sampleReview);
    const deleteHistory = vi.fn().mockResolvedValue(undefined);
    const api = createApi(fakeTransport({ getHistory, deleteHistory }));
    expect(await api.history.get('01J')).toEqual(sampleReview);
    expect(getHistory).toHaveBeenCalledWith('01J');
    await expect(api.history.delete('01J')).resolves.toBeUndefined();
    expect(deleteHistory).toHaveBeenCalledWith('01J');

    const missing = createApi(
      fakeTransport({ getHistory: () => Promise.reject(goError('not_found', 'That review no longer exists')) }),
    );
    await expect(missing.history.get('x')).rejects.toMatchObject({
      code: 'not_found',
      message: 'That review no longer exists',
    });
  });

  it('reads app info; startupError is "" when Go started or says nothing', async () => {
    const info = { version: '0.1.0', dataDir: '/home/a/.config/Cara', os: 'linux/amd64' };
    expect(await createApi(fakeTransport({ info: () => Promise.resolve(info) })).system.info()).toEqual({
      ...info,
      startupError: '',
    });
    const failed = { ...info, startupError: 'Cara is already running' };
    expect(await createApi(fakeTransport({ info: () => Promise.resolve(failed) })).system.info()).toEqual(failed);
  });

  it('quits through System.Quit, resolving to nothing', async () => {
    const quit = vi.fn().mockResolvedValue(null);
    await expect(createApi(fakeTransport({ quit })).system.quit()).resolves.toBeUndefined();
    expect(quit).toHaveBeenCalledOnce();
  });
});

describe('toCaraError', () => {
  it('accepts an Error carrying the JSON and a plain object', () => {
    expect(toCaraError(new Error(goError('empty', 'Nothing')))).toMatchObject({ code: 'empty', message: 'Nothing' });
    expect(toCaraError({ code: 'invalid', message: 'Bad' })).toMatchObject({ code: 'invalid', message: 'Bad' });
    const e = new CaraError('x', 'y');
    expect(toCaraError(e)).toBe(e);
  });

  it("keeps how long Gemini asked to wait, and nothing that isn't a wait", () => {
    const quota = '{"code":"too_many_requests","message":"Gemini quota reached — try again in 17 s","retryAfter":17}';
    expect(toCaraError(quota)).toMatchObject({ code: 'too_many_requests', retryAfter: 17 });
    expect(toCaraError(goError('unavailable', 'Busy')).retryAfter).toBe(0);
    expect(toCaraError({ code: 'x', message: 'y', retryAfter: 'soon' }).retryAfter).toBe(0);
    expect(toCaraError({ code: 'x', message: 'y', retryAfter: -3 }).retryAfter).toBe(0);
  });

  it('decodes Go-escaped characters', () => {
    // encoding/json escapes <, > and & as \u003c, \u003e, \u0026.
    expect(toCaraError('{"code":"invalid","message":"Use \\u003c and \\u0026"}').message).toBe('Use < and &');
  });
});

const accountDTO = {
  id: '01JACC',
  email: 'ana@example.com',
  name: 'Ana Lima',
  role: 'Product Manager',
  createdAt: '2026-03-01T09:30:00Z',
};

describe('api.auth', () => {
  it('reads the state: signed in with the account, or signed out with the keychain notice', async () => {
    const signedIn = { signedIn: true, account: accountDTO, notice: '' };
    expect(await createApi(fakeTransport({ authState: () => Promise.resolve(signedIn) })).auth.state()).toEqual(signedIn);

    const notice = "Cara can't reach the system keychain, so you'll sign in each time you open it.";
    const out = createApi(fakeTransport({ authState: () => Promise.resolve({ signedIn: false, account: null, notice }) }));
    expect(await out.auth.state()).toEqual({ signedIn: false, account: null, notice });
  });

  it('fills a signed-in state whose account or notice is missing, and drops an account when signed out', async () => {
    const api = createApi(fakeTransport({ authState: () => Promise.resolve({ signedIn: true, account: { email: 'a@b.c' } }) }));
    expect(await api.auth.state()).toEqual({
      signedIn: true,
      account: { id: '', email: 'a@b.c', name: '', role: '', createdAt: '' },
      notice: '',
    });
    const stale = createApi(
      fakeTransport({ authState: () => Promise.resolve({ signedIn: false, account: accountDTO, notice: null }) }),
    );
    expect(await stale.auth.state()).toEqual({ signedIn: false, account: null, notice: '' });
  });

  it('rejects a state that is not an object', async () => {
    const api = createApi(fakeTransport({ authState: () => Promise.resolve(null) }));
    await expect(api.auth.state()).rejects.toMatchObject({ code: 'internal', message: 'Something went wrong' });
  });

  it('registers with exactly the four fields', async () => {
    const register = vi.fn().mockResolvedValue({ signedIn: true, account: accountDTO, notice: '' });
    const api = createApi(fakeTransport({ register }));
    const input = { email: 'ana@example.com', name: 'Ana Lima', role: '', password: 'MyPassword123' };
    const got = await api.auth.register({ ...input, extra: 'x' } as typeof input);
    expect(register).toHaveBeenCalledWith(input);
    expect(got).toMatchObject({ signedIn: true, account: { email: 'ana@example.com' } });
  });

  it.each([
    ['invalid', 'Password must be at least 8 characters\nPassword must contain at least one number'],
    ['conflict', 'An account with this email already exists'],
  ])('passes a %s error from Register through as is', async (code, message) => {
    const api = createApi(fakeTransport({ register: () => Promise.reject(goError(code, message)) }));
    await expect(
      api.auth.register({ email: 'a@b.c', name: 'A', role: '', password: 'x' }),
    ).rejects.toMatchObject({ code, message });
  });

  it('logs in with email and password; Go\'s words for failures are kept exactly', async () => {
    const login = vi.fn().mockResolvedValue({ signedIn: true, account: accountDTO, notice: '' });
    expect(await createApi(fakeTransport({ login })).auth.login('ana@example.com', 'pw')).toMatchObject({ signedIn: true });
    expect(login).toHaveBeenCalledWith('ana@example.com', 'pw');

    for (const [code, message] of [
      ['unauthorized', 'Invalid credentials'],
      ['too_many_requests', 'Too many attempts. Try again in 4 seconds.'],
    ] as const) {
      const api = createApi(fakeTransport({ login: () => Promise.reject(goError(code, message)) }));
      const err = await api.auth.login('a@b.c', 'x').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CaraError);
      expect(err).toMatchObject({ code, message });
    }
  });

  it('logs out and changes the password, resolving to nothing', async () => {
    const logout = vi.fn().mockResolvedValue(null);
    const changePassword = vi.fn().mockResolvedValue(null);
    const api = createApi(fakeTransport({ logout, changePassword }));
    await expect(api.auth.logout()).resolves.toBeUndefined();
    await expect(api.auth.changePassword('OldPass123', 'NewPass456')).resolves.toBeUndefined();
    expect(changePassword).toHaveBeenCalledWith('OldPass123', 'NewPass456');

    const wrong = createApi(
      fakeTransport({ changePassword: () => Promise.reject(goError('unauthorized', 'Current password is incorrect')) }),
    );
    await expect(wrong.auth.changePassword('x', 'y')).rejects.toMatchObject({
      code: 'unauthorized',
      message: 'Current password is incorrect',
    });
  });

  it('maps the checklist and the role suggestions, treating null as empty', async () => {
    const rules = [
      { id: 'min_length', message: 'Password must be at least 8 characters', ok: false },
      { id: 'upper', message: 'Password must contain at least one uppercase letter', ok: true },
    ];
    const passwordChecklist = vi.fn().mockResolvedValue(rules);
    const api = createApi(
      fakeTransport({ passwordChecklist, roleSuggestions: () => Promise.resolve(['Designer', '', 7, 'Founder']) }),
    );
    expect(await api.auth.passwordChecklist('Ab', 'ana@example.com')).toEqual(rules);
    expect(passwordChecklist).toHaveBeenCalledWith('Ab', 'ana@example.com');
    expect(await api.auth.roleSuggestions()).toEqual(['Designer', 'Founder']);

    const empty = createApi(
      fakeTransport({ passwordChecklist: () => Promise.resolve(null), roleSuggestions: () => Promise.resolve(null) }),
    );
    expect(await empty.auth.passwordChecklist('', '')).toEqual([]);
    expect(await empty.auth.roleSuggestions()).toEqual([]);
  });

  it('lists sessions and revokes one', async () => {
    const session = {
      id: 's1',
      device: 'Cara on Linux',
      createdAt: '2026-03-10T08:00:00Z',
      lastUsedAt: '2026-03-12T16:40:05Z',
      current: true,
    };
    const revokeSession = vi.fn().mockResolvedValue({ signedIn: false, account: null, notice: '' });
    const api = createApi(fakeTransport({ sessions: () => Promise.resolve([session]), revokeSession }));
    expect(await api.auth.sessions()).toEqual([session]);
    expect(await api.auth.revokeSession('s1')).toEqual({ signedIn: false, account: null, notice: '' });
    expect(revokeSession).toHaveBeenCalledWith('s1');
    expect(await createApi(fakeTransport({ sessions: () => Promise.resolve(null) })).auth.sessions()).toEqual([]);

    const gone = createApi(
      fakeTransport({ revokeSession: () => Promise.reject(goError('not_found', 'That session no longer exists')) }),
    );
    await expect(gone.auth.revokeSession('x')).rejects.toMatchObject({
      code: 'not_found',
      message: 'That session no longer exists',
    });
  });

  it('keeps "Session expired" from a data call as an unauthorized CaraError', async () => {
    const api = createApi(fakeTransport({ listHistory: () => Promise.reject(goError('unauthorized', SESSION_EXPIRED_MESSAGE)) }));
    await expect(api.history.list()).rejects.toMatchObject({ code: 'unauthorized', message: SESSION_EXPIRED_MESSAGE });
  });
});

describe('api.onSessionExpired', () => {
  it('passes the event message on, falling back to Go\'s usual words, and unsubscribes', () => {
    let fire: (payload: unknown) => void = () => {};
    const off = vi.fn();
    const api = createApi(
      fakeTransport({
        onSessionExpired: (cb) => {
          fire = cb;
          return off;
        },
      }),
    );
    const got: string[] = [];
    const unsubscribe = api.onSessionExpired((m) => got.push(m));
    fire('Session expired. Please log in again.');
    fire({ code: 'unauthorized', message: 'Signed out elsewhere' });
    fire(undefined);
    fire('');
    expect(got).toEqual([SESSION_EXPIRED_MESSAGE, 'Signed out elsewhere', SESSION_EXPIRED_MESSAGE, SESSION_EXPIRED_MESSAGE]);
    unsubscribe();
    expect(off).toHaveBeenCalled();
  });

  it('is a no-op without a Wails runtime', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const api = createApi(
      fakeTransport({
        onSessionExpired: () => {
          throw new TypeError("Cannot read properties of undefined (reading 'EventsOnMultiple')");
        },
      }),
    );
    const unsubscribe = api.onSessionExpired(() => {});
    expect(() => unsubscribe()).not.toThrow();
    spy.mockRestore();
  });
});

describe('api.settings', () => {
  it('maps Go’s Gemini status, filling nil models and display names', async () => {
    const setGeminiKey = vi.fn().mockResolvedValue({
      hasKey: true,
      keyHint: '…abcd',
      model: 'gemini-2.5-flash',
      models: [{ id: 'gemini-2.5-flash', displayName: '' }, { id: '' }, null],
    });
    const api = createApi(fakeTransport({ setGeminiKey, geminiStatus: () => Promise.resolve({ hasKey: false, models: null }) }));
    expect(await api.settings.setGeminiKey('k')).toEqual({
      hasKey: true,
      keyHint: '…abcd',
      model: 'gemini-2.5-flash',
      models: [{ id: 'gemini-2.5-flash', displayName: 'gemini-2.5-flash' }],
    });
    expect(setGeminiKey).toHaveBeenCalledWith('k');
    expect(await api.settings.geminiStatus()).toEqual({ hasKey: false, keyHint: '', model: '', models: [] });
  });

  it('tells onGeminiStatus listeners what each settings call answered, and nothing after unsubscribing', async () => {
    const connected = { hasKey: true, keyHint: '…abcd', model: 'gemini-2.5-pro', models: [] };
    const api = createApi(
      fakeTransport({
        setGeminiKey: () => Promise.resolve(connected),
        removeGeminiKey: () => Promise.resolve({ hasKey: false }),
        setGeminiModel: () => Promise.reject(goError('invalid', 'No such model')),
      }),
    );
    const heard: boolean[] = [];
    const off = api.onGeminiStatus((st) => heard.push(st.hasKey));
    await api.settings.setGeminiKey('k');
    await api.settings.setGeminiModel('x').catch(() => {}); // refused: nothing new to tell
    await api.settings.removeGeminiKey();
    off();
    await api.settings.setGeminiKey('k');
    expect(heard).toEqual([true, false]);
  });

  it('tells onGeminiStatus listeners when Gemini refuses the saved key for the model list, until a key is saved', async () => {
    const connected = { hasKey: true, keyHint: '…abcd', model: 'gemini-2.5-pro', models: [] };
    let modelsOk = false;
    const api = createApi(
      fakeTransport({
        geminiStatus: () => Promise.resolve(connected),
        geminiModels: () =>
          modelsOk ? Promise.resolve(connected) : Promise.reject(goError('gemini_key', 'Your Gemini API key isn’t valid')),
        setGeminiKey: () => Promise.resolve(connected),
      }),
    );
    const heard: [boolean, boolean][] = [];
    api.onGeminiStatus((st, refused) => heard.push([st.hasKey, refused]));
    await api.settings.geminiStatus();
    await expect(api.settings.geminiModels()).rejects.toMatchObject({ code: 'gemini_key' });
    await api.settings.geminiStatus(); // still refused: reading the settings doesn't ask Gemini
    await api.settings.setGeminiKey('k2');
    modelsOk = true;
    await api.settings.geminiModels();
    expect(heard).toEqual([
      [true, false],
      [true, true],
      [true, true],
      [true, false],
      [true, false],
    ]);
  });

  it('passes Go’s key errors through as they are', async () => {
    const api = createApi(
      fakeTransport({ setGeminiKey: () => Promise.reject(goError('invalid', 'This key can’t use Gemini')) }),
    );
    await expect(api.settings.setGeminiKey('k')).rejects.toMatchObject({ code: 'invalid', message: 'This key can’t use Gemini' });
  });

  it('calls each Settings method', async () => {
    const ok = () => Promise.resolve({ hasKey: false });
    const t = {
      setGeminiModel: vi.fn(ok),
      geminiModels: vi.fn(ok),
      removeGeminiKey: vi.fn(ok),
    };
    const api = createApi(fakeTransport(t));
    await api.settings.setGeminiModel('gemini-2.5-pro');
    await api.settings.geminiModels();
    await api.settings.removeGeminiKey();
    expect(t.setGeminiModel).toHaveBeenCalledWith('gemini-2.5-pro');
    expect(t.geminiModels).toHaveBeenCalledTimes(1);
    expect(t.removeGeminiKey).toHaveBeenCalledTimes(1);
  });
});

describe('the AI side', () => {
  it('maps a Chat, filling nil turns and leaving optional parts out', async () => {
    const raw = {
      id: 'c1',
      title: 't',
      scenarioId: 's',
      personaId: 'p',
      turns: [
        { id: 'a', role: 'persona', text: 'Hi', status: 'failed', error: 'No key', errorCode: 'no_key', createdAt: 'x' },
        { id: 'b', role: 'user', text: 'Yo' },
        { id: 'c', role: 'persona', text: '', status: 'failed', error: 'Quota', errorCode: 'too_many_requests', retryAt: '2026-03-12T16:41:18Z' },
        { id: 'd', role: 'persona', text: 'Well, I', status: 'streaming', createdAt: 'z', chunks: 2 },
      ],
      ended: false,
      aiStatus: 'weird',
      usage: null,
      createdAt: 'x',
      updatedAt: 'y',
    };
    const chat = await createApi(fakeTransport({ getChat: () => Promise.resolve(raw) })).practice.get('c1');
    expect(chat.turns).toEqual([
      { id: 'a', role: 'persona', text: 'Hi', status: 'failed', error: 'No key', errorCode: 'no_key', retryAt: '', createdAt: 'x', chunks: 0 },
      { id: 'b', role: 'user', text: 'Yo', status: 'complete', error: '', errorCode: '', retryAt: '', createdAt: '', chunks: 0 },
      {
        id: 'c',
        role: 'persona',
        text: '',
        status: 'failed',
        error: 'Quota',
        errorCode: 'too_many_requests',
        retryAt: '2026-03-12T16:41:18Z',
        createdAt: '',
        chunks: 0,
      },
      { id: 'd', role: 'persona', text: 'Well, I', status: 'streaming', error: '', errorCode: '', retryAt: '', createdAt: 'z', chunks: 2 },
    ]);
    expect(chat.aiRetryAt).toBe('');
    expect(chat.aiStatus).toBe('');
    expect(chat.usage).toEqual({ promptTokens: 0, candidatesTokens: 0, totalTokens: 0 });
    expect('feedback' in chat).toBe(false);
    expect('offline' in chat).toBe(false);
    expect('context' in chat).toBe(false);
  });

  it('maps feedback with nil lists and sends Start with the context only when given', async () => {
    const startChat = vi.fn().mockResolvedValue({
      id: 'c1',
      turns: null,
      ended: true,
      aiStatus: 'ready',
      feedback: { overall: 70, clarity: { score: 80, evidence: 'e' }, highlights: null, actionItems: ['a', '', 'b'], betterVersion: null },
    });
    const api = createApi(fakeTransport({ startChat }));
    const chat = await api.practice.start({ scenarioId: 's', personaId: 'p' });
    expect(startChat).toHaveBeenCalledWith({ scenarioId: 's', personaId: 'p' });
    expect(chat.turns).toEqual([]);
    expect(chat.feedback).toMatchObject({
      overall: 70,
      clarity: { score: 80, evidence: 'e' },
      pace: { score: 0, evidence: '' },
      highlights: [],
      actionItems: ['a', 'b'],
      betterVersion: { original: '', improved: '', why: '' },
    });
    await api.practice.start({ scenarioId: 's', personaId: 'p', context: { name: 'j.md', text: 'JD' } });
    expect(startChat).toHaveBeenLastCalledWith({ scenarioId: 's', personaId: 'p', context: { name: 'j.md', text: 'JD' } });
  });

  it("refuses a context file too large for the catalog's limit with its message, before it crosses to Go", async () => {
    const importContext = vi.fn().mockResolvedValue({ name: 'ok.md', text: 'x' });
    const api = createApi(fakeTransport({ importContext }));
    const limit = { max: 20_000, tooLong: 'The context file is too long (max 20,000 characters)' };
    // 2.9 MB, and 90 KB (which a browser could not even send): Go's limit, Go's words.
    for (const size of [2_900_000, 90_000, mostBytesFor(20_000) + 1]) {
      const err = await api.practice.importContext('big.txt', new Uint8Array(size), limit).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'too_large', message: limit.tooLong });
    }
    expect(importContext).not.toHaveBeenCalled();
    // As many bytes as 20,000 four-byte characters take: only Go can tell.
    await api.practice.importContext('ok.md', new Uint8Array(mostBytesFor(20_000)), limit);
    expect(importContext).toHaveBeenCalledTimes(1);
    // With no limit known, Go decides.
    await api.practice.importContext('big.md', new Uint8Array(90_000), { max: 0, tooLong: '' });
    expect(importContext).toHaveBeenCalledTimes(2);
  });

  it("reads the catalog's limits, and none when Go sends none", async () => {
    const limits = { turn: { max: 4000, tooLong: 'turn' }, context: { max: 20000, tooLong: 'ctx' } };
    const api = createApi(fakeTransport({ catalog: () => Promise.resolve({ scenarios: [], personas: [], limits }) }));
    expect((await api.practice.catalog()).limits).toEqual(limits);
    const old = createApi(fakeTransport({ catalog: () => Promise.resolve({ scenarios: [], personas: [] }) }));
    expect((await old.practice.catalog()).limits).toEqual({ turn: { max: 0, tooLong: '' }, context: { max: 0, tooLong: '' } });
  });

  it('keeps the codes offline, no_key and budget with Go\'s message', async () => {
    for (const code of ['offline', 'no_key', 'budget']) {
      const api = createApi(fakeTransport({ translate: () => Promise.reject(goError(code, `msg ${code}`)) }));
      await expect(api.translate('x')).rejects.toMatchObject({ code, message: `msg ${code}` });
    }
  });

  it("maps a review's AI part and Ask Cara's mode", async () => {
    const askCara = vi.fn().mockResolvedValue({
      ...sampleReview,
      aiStatus: 'ready',
      aiMode: 'creative',
      ai: { mode: 'creative', summary: 's', points: null, rewrite: 'r', usage: { totalTokens: 5 }, model: 'm', createdAt: 'c' },
    });
    const got = await createApi(fakeTransport({ askCara })).askCara('01J', 'creative');
    expect(askCara).toHaveBeenCalledWith('01J', 'creative');
    expect(got.aiMode).toBe('creative');
    expect(got.ai).toEqual({
      mode: 'creative',
      summary: 's',
      points: [],
      rewrite: 'r',
      usage: { promptTokens: 0, candidatesTokens: 0, totalTokens: 5 },
      model: 'm',
      createdAt: 'c',
    });
  });

  it('passes chunk, usage and queue events on, dropping payloads that are not theirs, and unsubscribes', () => {
    const handlers: Record<string, (p: unknown) => void> = {};
    const offs = { chunk: vi.fn(), usage: vi.fn(), queue: vi.fn() };
    const api = createApi(
      fakeTransport({
        onChatChunk: (cb) => ((handlers.chunk = cb), offs.chunk),
        onUsage: (cb) => ((handlers.usage = cb), offs.usage),
        onQueue: (cb) => ((handlers.queue = cb), offs.queue),
      }),
    );
    const chunks = vi.fn();
    const usage = vi.fn();
    const queue = vi.fn();
    const off1 = api.onChatChunk(chunks);
    const off2 = api.onUsage(usage);
    const off3 = api.onQueue(queue);
    handlers.chunk!({ chatId: 'c', turnId: 't', text: 'Hi', seq: 3, at: 12.5 });
    handlers.chunk!({ chatId: 'c', text: 'no turn' });
    handlers.chunk!('garbage');
    handlers.usage!({ day: 'd', used: 10, budget: 100, warn: false, stop: false });
    handlers.usage!(null);
    handlers.queue!({ pending: 2, running: true, done: 1, total: 3, current: 'X' });
    expect(chunks.mock.calls).toEqual([[{ chatId: 'c', turnId: 't', text: 'Hi', seq: 3, at: 12.5 }]]);
    expect(usage.mock.calls).toEqual([[{ day: 'd', used: 10, budget: 100, warn: false, stop: false }]]);
    expect(queue.mock.calls).toEqual([[{ pending: 2, done: 1, total: 3, running: true, current: 'X', error: '' }]]);
    off1();
    off2();
    off3();
    expect(offs.chunk).toHaveBeenCalled();
    expect(offs.usage).toHaveBeenCalled();
    expect(offs.queue).toHaveBeenCalled();
  });

  it('listening without a Wails runtime does nothing instead of throwing', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const api = createApi(
      fakeTransport({
        onChatChunk: () => {
          throw new Error('no runtime');
        },
      }),
    );
    const off = api.onChatChunk(() => {});
    expect(typeof off).toBe('function');
    off();
    spy.mockRestore();
  });
});

describe('api.practice.send and retry', () => {
  /** A transport whose chat:reply listeners can be fired by the test. */
  function replyTransport(overrides: Parameters<typeof fakeTransport>[0] = {}) {
    const listeners = new Set<(p: unknown) => void>();
    const fire = (payload: unknown) => [...listeners].forEach((cb) => cb(payload));
    const transport = fakeTransport({
      onChatReply: (cb) => {
        listeners.add(cb);
        return () => listeners.delete(cb);
      },
      ...overrides,
    });
    return { transport, fire, listeners };
  }
  const saved = chatAfter('Hello', '', 'streaming');
  const done = chatAfter('Hello', 'Hi there, tell me more.');

  it('resolves with the chat from chat:reply, not the early answer', async () => {
    const { transport, fire, listeners } = replyTransport({ sendChat: () => Promise.resolve(saved) });
    const api = createApi(transport);
    const p = api.practice.send('chat-1', 'Hello');
    await Promise.resolve();
    fire({ chatId: 'other', chat: chatAfter('x', 'y') });
    fire({ chatId: 'chat-1', chat: done });
    await expect(p).resolves.toMatchObject({ turns: [{}, { text: 'Hello' }, { text: 'Hi there, tell me more.', status: 'complete' }] });
    expect(listeners.size).toBe(0);
  });

  it('takes a reply that ends before the call answers', async () => {
    let answer: (v: unknown) => void = () => {};
    const { transport, fire } = replyTransport({ retryChat: () => new Promise((r) => (answer = r)) });
    const api = createApi(transport);
    const p = api.practice.retry('chat-1');
    fire({ chatId: 'chat-1', chat: done });
    answer(saved);
    await expect(p).resolves.toMatchObject({ turns: [{}, {}, { status: 'complete' }] });
  });

  it('rejects bad input with Go\'s message and stops listening', async () => {
    const { transport, listeners } = replyTransport({
      sendChat: () => Promise.reject(goError('empty', 'Type a message first')),
    });
    const api = createApi(transport);
    await expect(api.practice.send('chat-1', ' ')).rejects.toMatchObject({ code: 'empty', message: 'Type a message first' });
    expect(listeners.size).toBe(0);
  });

  it('reads the chat back when Go could not save the reply', async () => {
    const getChat = vi.fn().mockResolvedValue(sampleChat);
    const { transport, fire } = replyTransport({ sendChat: () => Promise.resolve(saved), getChat });
    const api = createApi(transport);
    const p = api.practice.send('chat-1', 'Hello');
    await Promise.resolve();
    fire({ chatId: 'chat-1', error: 'Something went wrong' });
    await expect(p).resolves.toMatchObject({ id: 'chat-1' });
    expect(getChat).toHaveBeenCalledWith('chat-1');
  });
});
