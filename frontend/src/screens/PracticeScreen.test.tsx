import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CaraError, type Chat } from '../api';
import { ApiProvider } from '../api/ApiContext';
import { PENDING_MESSAGE } from '../components/AIState';
import { fakeApi } from '../test/fakeApi';
import { chatAfter, endedChat, sampleCatalog, sampleChat, sampleFeedback, sampleReview, usageStop } from '../test/fixtures';
import { PracticeScreen } from './PracticeScreen';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function setup(api = fakeApi()) {
  const announce = vi.fn();
  const onOpenSettings = vi.fn();
  const view = render(
    <ApiProvider value={api}>
      <PracticeScreen announce={announce} onOpenSettings={onOpenSettings} />
    </ApiProvider>,
  );
  return { api, announce, onOpenSettings, view, user: userEvent.setup() };
}

async function startChat(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByTestId('practice-start'));
  return screen.findByTestId('chat');
}

const turnTexts = () => screen.getAllByTestId('chat-turn').map((t) => t.querySelector('.turn-text')?.textContent ?? '');

describe('PracticeScreen — picker', () => {
  it('puts the cursor in the message box once the conversation starts', async () => {
    const { user } = setup();
    await startChat(user);
    expect(screen.getByTestId('chat-composer')).toHaveFocus();
  });

  it('offers scenarios and personas with descriptions, and starts with the chosen ones and a context file', async () => {
    const { api, user } = setup();
    expect(await screen.findByText('Behavioural interview')).toBeInTheDocument();
    expect(screen.getByText('Ask for the offer you want, calmly.')).toBeInTheDocument();
    expect(screen.getByText('Pushes back on everything.')).toBeInTheDocument();
    expect(screen.getByTestId('practice-scenario-interview')).toBeChecked();

    await user.click(screen.getByTestId('practice-scenario-salary'));
    await user.click(screen.getByTestId('practice-persona-skeptic'));
    const file = new File(['Senior PM role'], 'job.md', { type: 'text/markdown' });
    await user.upload(screen.getByTestId('practice-context-input'), file);
    expect(await screen.findByTestId('practice-context')).toHaveTextContent('job.md');
    expect(api.practice.importContext).toHaveBeenCalledWith('job.md', expect.any(Uint8Array), sampleCatalog.limits.context);

    await startChat(user);
    expect(api.practice.start).toHaveBeenCalledWith({
      scenarioId: 'salary',
      personaId: 'skeptic',
      context: { name: 'job.md', text: 'Senior PM role' },
    });
  });

  it('Remove drops the context file before starting', async () => {
    const { api, user } = setup();
    await user.upload(await screen.findByTestId('practice-context-input'), new File(['x'], 'job.md'));
    await user.click(await screen.findByTestId('practice-context-remove'));
    expect(screen.queryByTestId('practice-context')).not.toBeInTheDocument();
    await startChat(user);
    expect(api.practice.start).toHaveBeenCalledWith({ scenarioId: 'interview', personaId: 'coach' });
  });

  it('shows why a context file was refused', async () => {
    const api = fakeApi({
      practice: { importContext: () => Promise.reject(new CaraError('not_text', "This file doesn't look like text")) },
    });
    const { user } = setup(api);
    await user.upload(await screen.findByTestId('practice-context-input'), new File(['x'], 'a.txt'));
    expect(await screen.findByTestId('practice-context-error')).toHaveTextContent("a.txt was not added: This file doesn't look like text");
  });

  it('refuses a file of too many characters when it is picked, and Start says it goes without it', async () => {
    const tooLong = sampleCatalog.limits.context.tooLong;
    const api = fakeApi({ practice: { importContext: () => Promise.reject(new CaraError('too_large', tooLong)) } });
    const { user } = setup(api);
    await user.upload(await screen.findByTestId('practice-context-input'), new File(['x'.repeat(60_000)], 'ctx60000.md'));
    const refusal = await screen.findByTestId('practice-context-error');
    expect(refusal).toHaveTextContent(`ctx60000.md was not added: ${tooLong}`);
    expect(screen.queryByTestId('practice-context')).not.toBeInTheDocument();
    // The refusal stays beside the picker, and Start names what it leaves out.
    const start = screen.getByTestId('practice-start');
    expect(start).toHaveTextContent('Start without ctx60000.md');
    expect(start).toHaveAccessibleDescription(`ctx60000.md was not added: ${tooLong}`);
    expect(screen.getByTestId('practice-context-open')).toHaveTextContent('Choose another file…');

    // A good file next: attached, and the refusal goes.
    api.practice.importContext.mockResolvedValueOnce({ name: 'job.md', text: 'Senior PM role' });
    await user.upload(screen.getByTestId('practice-context-input'), new File(['Senior PM role'], 'job.md'));
    expect(await screen.findByTestId('practice-context')).toHaveTextContent('job.md');
    expect(screen.queryByTestId('practice-context-error')).not.toBeInTheDocument();
    expect(screen.getByTestId('practice-start')).toHaveTextContent(/^Start$/);
  });
});

describe('ChatView — streaming', () => {
  it('shows the goal and the opening, streams chunks in order before Send resolves, then shows the resolved chat', async () => {
    const reply = deferred<Chat>();
    const api = fakeApi({ practice: { send: () => reply.promise } });
    const { user } = setup(api);
    await startChat(user);
    expect(screen.getByTestId('chat-goal')).toHaveTextContent('Give one clear STAR story with a measurable result.');
    expect(turnTexts()).toEqual([sampleChat.turns[0]!.text]);

    await user.type(screen.getByTestId('chat-composer'), 'I disagreed about a launch date');
    await user.click(screen.getByTestId('chat-send'));
    expect(api.practice.send).toHaveBeenCalledWith('chat-1', 'I disagreed about a launch date');
    expect(screen.getByTestId('chat-composer')).toHaveValue('');
    expect(screen.getByTestId('chat-typing')).toBeInTheDocument();
    expect(screen.getByTestId('chat-stop')).toBeInTheDocument();

    const now = Date.now();
    act(() => api.emitChunk({ chatId: 'chat-1', turnId: 't3', text: 'What ', seq: 1, at: now }));
    expect(screen.getByTestId('chat-streaming')).toHaveTextContent('What');
    act(() => {
      api.emitChunk({ chatId: 'chat-1', turnId: 't3', text: 'happened ', seq: 2, at: now });
      api.emitChunk({ chatId: 'other-chat', turnId: 'x', text: 'NOT MINE', seq: 1, at: now });
      api.emitChunk({ chatId: 'chat-1', turnId: 't3', text: 'next?', seq: 3, at: now });
    });
    expect(screen.getByTestId('chat-streaming').querySelector('.turn-text')).toHaveTextContent(/^What happened next\?$/);
    expect(turnTexts()).toContain('I disagreed about a launch date');

    await act(async () => reply.resolve(chatAfter('I disagreed about a launch date', 'What happened next?')));
    expect(screen.queryByTestId('chat-streaming')).not.toBeInTheDocument();
    expect(turnTexts()).toEqual([sampleChat.turns[0]!.text, 'I disagreed about a launch date', 'What happened next?']);
    expect(screen.getByTestId('chat-send')).toBeInTheDocument();

    // The latency probe recorded a sample per chunk once painted.
    await waitFor(() => expect(window.__caraChunkLatencies?.length ?? 0).toBeGreaterThanOrEqual(3));
    expect(window.__caraChunkLatencies!.every((ms) => ms >= 0 && ms < 60_000)).toBe(true);
  });

  it('Enter sends and Shift+Enter makes a new line', async () => {
    const { api, user } = setup(fakeApi({ practice: { send: (_id, text) => Promise.resolve(chatAfter(text, 'ok')) } }));
    await startChat(user);
    const box = screen.getByTestId('chat-composer');
    await user.type(box, 'line one{Shift>}{Enter}{/Shift}line two');
    expect(box).toHaveValue('line one\nline two');
    expect(api.practice.send).not.toHaveBeenCalled();
    await user.type(box, '{Enter}');
    expect(api.practice.send).toHaveBeenCalledWith('chat-1', 'line one\nline two');
  });

  it('Stop calls Practice.Stop; the partial reply then shows its error and Retry re-streams it', async () => {
    const reply = deferred<Chat>();
    const again = deferred<Chat>();
    const api = fakeApi({ practice: { send: () => reply.promise, retry: () => again.promise } });
    const { user } = setup(api);
    await startChat(user);
    await user.type(screen.getByTestId('chat-composer'), 'Hello{Enter}');
    act(() => api.emitChunk({ chatId: 'chat-1', turnId: 't3', text: 'Well, ', seq: 1, at: 0 }));
    await user.click(screen.getByTestId('chat-stop'));
    expect(api.practice.stop).toHaveBeenCalledWith('chat-1');
    await act(async () => reply.resolve(chatAfter('Hello', 'Well, ', 'partial', 'Stopped')));

    const partial = screen.getAllByTestId('chat-turn').at(-1)!;
    expect(partial).toHaveAttribute('data-status', 'partial');
    expect(within(partial).getByTestId('chat-turn-error')).toHaveTextContent('Stopped');
    await user.click(within(partial).getByTestId('chat-retry'));
    expect(api.practice.retry).toHaveBeenCalledWith('chat-1');
    // The partial reply gives way to the one streaming again.
    expect(screen.queryByText('Well,')).not.toBeInTheDocument();
    act(() => api.emitChunk({ chatId: 'chat-1', turnId: 't3', text: 'Well, tell me more.', seq: 1, at: 0 }));
    expect(screen.getByTestId('chat-streaming')).toHaveTextContent('Well, tell me more.');
    await act(async () => again.resolve(chatAfter('Hello', 'Well, tell me more.')));
    expect(screen.queryByTestId('chat-retry')).not.toBeInTheDocument();
    expect(turnTexts().at(-1)).toBe('Well, tell me more.');
  });

  it('Escape in the message box stops the streaming reply', async () => {
    const reply = deferred<Chat>();
    const api = fakeApi({ practice: { send: () => reply.promise } });
    const { user } = setup(api);
    await startChat(user);
    await user.type(screen.getByTestId('chat-composer'), 'Hello{Enter}');
    await user.keyboard('{Escape}');
    expect(api.practice.stop).toHaveBeenCalledWith('chat-1');
    await act(async () => reply.resolve(chatAfter('Hello', 'Well, ', 'partial', 'Stopped')));
  });

  it('a failed reply offers Retry too', async () => {
    const api = fakeApi({
      practice: { send: () => Promise.resolve(chatAfter('Hi', '', 'failed', 'Gemini is busy — retry')) },
    });
    const { user } = setup(api);
    await startChat(user);
    await user.type(screen.getByTestId('chat-composer'), 'Hi{Enter}');
    expect(await screen.findByTestId('chat-turn-error')).toHaveTextContent('Gemini is busy — retry');
    expect(screen.getByTestId('chat-retry')).toBeInTheDocument();
    // Settings can't fix a busy Gemini: no way there is offered.
    expect(screen.queryByTestId('chat-turn-settings')).not.toBeInTheDocument();
  });

  it("after a quota error Retry reply counts down Gemini's wait", async () => {
    const quota = 'Gemini quota reached — try again in 17 s';
    const retryAt = new Date(Date.now() + 17_000).toISOString();
    const api = fakeApi({ practice: { send: () => Promise.resolve(chatAfter('Hi', '', 'failed', quota, 'too_many_requests', retryAt)) } });
    const { user } = setup(api);
    await startChat(user);
    await user.type(screen.getByTestId('chat-composer'), 'Hi{Enter}');
    const retry = await screen.findByTestId('chat-retry');
    expect(retry).toHaveTextContent(/^Retry reply in 1[67] s$/);
    expect(retry).toBeDisabled();
  });

  it('a reply that failed for want of a key or budget offers Settings beside Retry', async () => {
    const api = fakeApi({
      practice: {
        send: () => Promise.resolve(chatAfter('Hi', '', 'failed', 'Add your Gemini API key in Settings', 'no_key')),
      },
    });
    const { user, onOpenSettings } = setup(api);
    await startChat(user);
    await user.type(screen.getByTestId('chat-composer'), 'Hi{Enter}');
    await user.click(await screen.findByTestId('chat-turn-settings'));
    expect(onOpenSettings).toHaveBeenCalled();
  });

  it('a reply refused for the budget says so on its turn only, in chat words', async () => {
    const budget = "You've used today's AI budget (50,000 tokens). Raise it in Settings to keep practising.";
    const api = fakeApi({
      settings: { usage: () => Promise.resolve(usageStop) },
      practice: { send: () => Promise.resolve(chatAfter('Hi', '', 'failed', budget, 'budget')) },
    });
    const { user } = setup(api);
    await startChat(user);
    expect(await screen.findByTestId('budget-notice')).toHaveTextContent('replies are paused until tomorrow');
    await user.type(screen.getByTestId('chat-composer'), 'Hi{Enter}');
    expect(await screen.findByTestId('chat-turn-error')).toHaveTextContent(budget);
    expect(screen.queryByTestId('budget-notice')).not.toBeInTheDocument();
  });

  it("counts characters near Go's limit, and over it disables Send with the reason until the text is back under", async () => {
    const { api, user } = setup();
    await startChat(user);
    const composer = screen.getByTestId('chat-composer');
    await user.click(composer);
    await user.paste('a'.repeat(3_000));
    expect(screen.queryByTestId('chat-count')).not.toBeInTheDocument();
    await user.paste('a'.repeat(300));
    expect(screen.getByTestId('chat-count')).toHaveTextContent('3,300 / 4,000 characters');
    expect(screen.getByTestId('chat-send')).toBeEnabled();

    await user.paste('😀'.repeat(701)); // an emoji is one character, as Go counts
    expect(screen.getByTestId('chat-count')).toHaveTextContent('4,001 / 4,000 characters');
    const reason = sampleCatalog.limits.turn.tooLong;
    expect(screen.getByTestId('chat-too-long')).toHaveTextContent(reason);
    expect(screen.getByTestId('chat-send')).toBeDisabled();
    expect(screen.getByTestId('chat-send')).toHaveAccessibleDescription(reason);
    expect(composer).toHaveAttribute('aria-invalid', 'true');
    await user.type(composer, '{Enter}');
    expect(api.practice.send).not.toHaveBeenCalled();

    await user.type(composer, '{Backspace}{Backspace}'); // one emoji: two UTF-16 units
    expect(screen.queryByTestId('chat-too-long')).not.toBeInTheDocument();
    expect(screen.getByTestId('chat-send')).toBeEnabled();
  });

  it("Go's too-long refusal goes once the text is edited", async () => {
    const api = fakeApi({
      practice: { send: () => Promise.reject(new CaraError('too_large', sampleCatalog.limits.turn.tooLong)) },
    });
    const { user } = setup(api);
    await startChat(user);
    await user.type(screen.getByTestId('chat-composer'), 'My answer{Enter}');
    expect(await screen.findByTestId('chat-error')).toHaveTextContent('too long');
    await user.type(screen.getByTestId('chat-composer'), '!');
    expect(screen.queryByTestId('chat-error')).not.toBeInTheDocument();
  });

  it('keeps the message in the composer when Send rejects', async () => {
    const api = fakeApi({
      practice: { send: () => Promise.reject(new CaraError('invalid', 'This conversation has ended')) },
    });
    const { user } = setup(api);
    await startChat(user);
    await user.type(screen.getByTestId('chat-composer'), 'My answer{Enter}');
    expect(await screen.findByTestId('chat-error')).toHaveTextContent('This conversation has ended');
    expect(screen.getByTestId('chat-composer')).toHaveValue('My answer');
    expect(turnTexts()).not.toContain('My answer');
  });

  it('stops listening for chunks when it goes away', async () => {
    const { api, user, view } = setup();
    await startChat(user);
    expect(api.listeners().chunk).toBe(1);
    view.unmount();
    expect(api.listeners().chunk).toBe(0);
  });
});

describe('ChatView — feedback', () => {
  it('says plainly when the better version is the answer word for word, instead of an empty diff', async () => {
    const original = 'I guess it went fine in the end';
    const same: Chat = {
      ...endedChat,
      feedback: { ...sampleFeedback, betterVersion: { original, improved: `${original} `, why: 'It already works.' } },
    };
    const { user } = setup(fakeApi({ practice: { end: () => Promise.resolve(same) } }));
    await startChat(user);
    await user.click(screen.getByTestId('chat-end'));
    const panel = await screen.findByTestId('feedback-better');
    expect(within(panel).getByRole('heading')).toHaveTextContent('Your weakest answer');
    expect(screen.getByTestId('feedback-better-original')).toHaveTextContent(original);
    expect(screen.getByTestId('feedback-better-same')).toHaveTextContent('Cara would say it the same way: no change to suggest here.');
    expect(panel).toHaveTextContent('It already works.');
    expect(screen.queryByTestId('feedback-better-improved')).not.toBeInTheDocument();
    expect(screen.queryByTestId('feedback-diff')).not.toBeInTheDocument();
    expect(panel).not.toHaveTextContent(/removed \(0 words\)/);
  });

  it('with nothing to change offline, the side panel speaks of a finished conversation, not of sending', async () => {
    const clean: Chat = { ...endedChat, offline: { ...sampleReview.report, topChanges: [] } };
    const { user } = setup(fakeApi({ practice: { end: () => Promise.resolve(clean) } }));
    await startChat(user);
    await user.click(screen.getByTestId('chat-end'));
    const changes = within(await screen.findByTestId('feedback-offline')).getByTestId('top-changes');
    expect(changes).toHaveTextContent('Nothing stands out — your turns read clearly. Keep it up next time.');
    expect(changes).not.toHaveTextContent('Send it');
  });

  it('End session shows every part of the feedback beside the offline measures', async () => {
    const api = fakeApi({ practice: { end: () => Promise.resolve(endedChat) } });
    const { user, announce } = setup(api);
    await startChat(user);
    await user.click(screen.getByTestId('chat-end'));
    expect(api.practice.end).toHaveBeenCalledWith('chat-1');

    expect(await screen.findByTestId('feedback-overall')).toHaveAttribute('data-value', '74');
    for (const [dim, value] of [
      ['clarity', 80],
      ['pace', 70],
      ['confidence', 55],
      ['tone', 85],
      ['relevance', 78],
      ['structure', 62],
    ] as const) {
      const card = screen.getByTestId(`feedback-dim-${dim}`);
      expect(card).toHaveAttribute('data-value', String(value));
      expect(card).toHaveTextContent(sampleFeedback[dim].evidence);
    }
    expect(screen.getByTestId('feedback-highlights')).toHaveTextContent('“I booked a call with her the same day”');
    expect(within(screen.getByTestId('feedback-actions')).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      '1Lead with the result.',
      '2Drop "I guess".',
      '3Give a number.',
    ]);
    expect(screen.getByTestId('feedback-better-original')).toHaveTextContent('I guess it went fine in the end');
    expect(screen.getByTestId('feedback-better-improved')).toHaveTextContent('We shipped two weeks early');
    expect(screen.getByTestId('feedback-diff').querySelectorAll('ins').length).toBeGreaterThan(0);
    expect(screen.getByTestId('feedback-diff').querySelectorAll('del').length).toBeGreaterThan(0);
    const offline = screen.getByTestId('feedback-offline');
    expect(within(offline).getByTestId('score-overall')).toHaveAttribute('data-value', '72');
    expect(within(offline).getByTestId('top-changes')).toBeInTheDocument();
    // The narrow column gets the compact list, not the four-column table.
    expect(within(offline).queryByTestId('readability-table')).not.toBeInTheDocument();
    const list = within(offline).getByTestId('readability-list');
    expect(within(list).getAllByRole('term')).toHaveLength(6);
    expect(within(offline).getByTestId('readability-fleschReadingEase')).toHaveTextContent(/Flesch reading ease.*Score.*Target: .*60 or more.*syllables/);
    // Ended: no composer, no End.
    expect(screen.queryByTestId('chat-composer')).not.toBeInTheDocument();
    expect(screen.queryByTestId('chat-end')).not.toBeInTheDocument();
    expect(announce).toHaveBeenCalledWith('Session ended. Overall score 74 out of 100.');
  });

  it('pending: says so with the reason, offers Settings, and Try now ends again', async () => {
    const pending: Chat = {
      ...endedChat,
      feedback: undefined,
      aiStatus: 'pending',
      aiError: 'No Gemini key saved — add one in Settings',
      aiErrorCode: 'no_key',
    };
    const end = vi.fn().mockResolvedValueOnce(pending).mockResolvedValueOnce(endedChat);
    const { user, onOpenSettings } = setup(fakeApi({ practice: { end } }));
    await startChat(user);
    await user.click(screen.getByTestId('chat-end'));
    const box = await screen.findByTestId('ai-pending');
    expect(box).toHaveTextContent(PENDING_MESSAGE);
    expect(box).toHaveTextContent('No Gemini key saved — add one in Settings');
    expect(screen.getByTestId('feedback-offline')).toBeInTheDocument();
    await user.click(screen.getByTestId('ai-open-settings'));
    expect(onOpenSettings).toHaveBeenCalled();
    await user.click(screen.getByTestId('ai-retry'));
    expect(end).toHaveBeenCalledTimes(2);
    expect(await screen.findByTestId('feedback-overall')).toBeInTheDocument();
  });

  it('Try now that fails again says why, and when it tried', async () => {
    const offline = "Can't reach Gemini — check your connection. Cara will add it when Gemini is reachable again.";
    const pending: Chat = { ...endedChat, feedback: undefined, aiStatus: 'pending', aiError: offline, aiErrorCode: 'offline' };
    const tryNow = deferred<Chat>();
    const end = vi.fn().mockResolvedValueOnce(pending).mockReturnValueOnce(tryNow.promise);
    const { user } = setup(fakeApi({ practice: { end } }));
    await startChat(user);
    await user.click(screen.getByTestId('chat-end'));
    expect(await screen.findByTestId('ai-pending')).toHaveTextContent(offline);
    expect(screen.queryByTestId('ai-tried')).not.toBeInTheDocument(); // nothing tried again yet

    await user.click(screen.getByTestId('ai-retry'));
    expect(screen.getByTestId('ai-running')).toHaveTextContent('Cara is asking Gemini…');
    await act(async () => tryNow.resolve(pending));
    const box = await screen.findByTestId('ai-pending');
    expect(box).toHaveTextContent(offline);
    expect(within(box).getByTestId('ai-tried')).toHaveTextContent(/^Last tried at \d{1,2}:\d{2}:\d{2}/);
    expect(end).toHaveBeenCalledTimes(2);
  });

  it('failed: shows the message and Retry feedback calls End again', async () => {
    const failed: Chat = { ...endedChat, feedback: undefined, aiStatus: 'failed', aiError: 'Gemini blocked this response' };
    const end = vi.fn().mockResolvedValueOnce(failed).mockResolvedValueOnce(endedChat);
    const { user } = setup(fakeApi({ practice: { end } }));
    await startChat(user);
    await user.click(screen.getByTestId('chat-end'));
    expect(await screen.findByTestId('ai-failed')).toHaveTextContent('Gemini blocked this response');
    await user.click(screen.getByRole('button', { name: 'Retry feedback' }));
    expect(end).toHaveBeenCalledTimes(2);
    expect(await screen.findByTestId('feedback-overall')).toHaveAttribute('data-value', '74');
  });

  it('pending feedback appears by itself when the offline queue has fetched it', async () => {
    const pending: Chat = { ...endedChat, feedback: undefined, aiStatus: 'pending', aiError: 'You are offline' };
    const api = fakeApi({ practice: { end: () => Promise.resolve(pending), get: () => Promise.resolve(endedChat) } });
    const { user } = setup(api);
    await startChat(user);
    await user.click(screen.getByTestId('chat-end'));
    await screen.findByTestId('ai-pending');
    expect(api.listeners().queue).toBe(1);
    act(() => api.emitQueue({ pending: 0, done: 1, total: 1, running: false, current: '', error: '' }));
    expect(await screen.findByTestId('feedback-overall')).toHaveAttribute('data-value', '74');
    expect(api.practice.get).toHaveBeenCalledWith('chat-1');
    // Nothing is waiting any more: no more listening.
    expect(api.listeners().queue).toBe(0);
  });
});
