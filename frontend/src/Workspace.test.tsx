import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { CaraError } from './api';
import { ApiProvider } from './api/ApiContext';
import { fakeApi } from './test/fakeApi';
import {
  chatItem,
  endedChat,
  geminiConnected,
  noGeminiKey,
  reviewItem,
  sampleAccount,
  sampleChat,
  sampleReview,
} from './test/fixtures';
import { Workspace } from './Workspace';

const CHAT_DRAFT_KEY = `cara.chatDraft.v1:${sampleChat.id}`;
const DRAFT_KEY = `cara.draft.v1:${sampleAccount.id}`;

/** Deletes the only History line for good. */
async function deleteInHistory(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByTestId('nav-history'));
  const [item] = await screen.findAllByTestId('history-item');
  await user.click(within(item!).getByTestId('history-delete'));
  await user.click(await screen.findByTestId('history-confirm-delete'));
  await waitFor(() => expect(screen.queryByTestId('history-item')).not.toBeInTheDocument());
}

function renderWorkspace(api = fakeApi()) {
  render(
    <ApiProvider value={api}>
      <Workspace account={sampleAccount} onSignedOut={() => {}} />
    </ApiProvider>,
  );
  return { api, user: userEvent.setup() };
}

beforeEach(() => localStorage.clear());

describe('Workspace — the AI screens', () => {
  it('keeps a conversation where it was while the user visits another screen', async () => {
    const { api, user } = renderWorkspace();
    await user.click(screen.getByTestId('nav-practice'));
    expect(screen.getByTestId('nav-practice')).toHaveAttribute('aria-current', 'page');
    await user.click(await screen.findByTestId('practice-start'));
    await user.type(await screen.findByTestId('chat-composer'), 'half-typed answer');

    await user.click(screen.getByTestId('nav-settings'));
    expect(await screen.findByTestId('usage')).toBeInTheDocument();
    expect(screen.getByTestId('chat')).not.toBeVisible();

    await user.click(screen.getByTestId('nav-practice'));
    expect(screen.getByTestId('chat')).toBeVisible();
    expect(screen.getByTestId('chat-composer')).toHaveValue('half-typed answer');
    expect(api.practice.start).toHaveBeenCalledTimes(1);
  });

  it('opens a conversation from History with its feedback, and goes back', async () => {
    const api = fakeApi({
      history: { list: () => Promise.resolve([chatItem(endedChat)]) },
      practice: { get: () => Promise.resolve(endedChat) },
    });
    const { user } = renderWorkspace(api);
    await user.click(screen.getByTestId('nav-history'));
    const [item] = await screen.findAllByTestId('history-item');
    await user.click(within(item!).getByText(sampleChat.title));
    expect(await screen.findByTestId('feedback-overall')).toHaveAttribute('data-value', '74');
    expect(screen.getAllByTestId('chat-turn')).toHaveLength(3);
    expect(screen.queryByTestId('chat-composer')).not.toBeInTheDocument();
    expect(screen.getByTestId('nav-history')).toHaveAttribute('aria-current', 'page');
    await user.click(screen.getByRole('button', { name: /All sessions/ }));
    expect(await screen.findAllByTestId('history-item')).toHaveLength(1);
  });

  it('a spent budget in the translator leads to Settings', async () => {
    const { user } = renderWorkspace(
      fakeApi({ translate: () => Promise.reject(new CaraError('budget', "Today's AI budget is used up")) }),
    );
    await user.click(screen.getByTestId('nav-translate'));
    await user.type(screen.getByTestId('translator-input'), 'Per my last email{Enter}');
    await user.click(await screen.findByTestId('translator-error-settings'));
    expect(screen.getByTestId('nav-settings')).toHaveAttribute('aria-current', 'page');
    expect(await screen.findByTestId('budget-input')).toBeInTheDocument();
  });

  it('deleting the open conversation in History closes it in Conversation and drops its unsent text', async () => {
    const api = fakeApi({ history: { list: () => Promise.resolve([chatItem(sampleChat)]) } });
    const { user } = renderWorkspace(api);
    await user.click(screen.getByTestId('nav-practice'));
    await user.click(await screen.findByTestId('practice-start'));
    await user.type(await screen.findByTestId('chat-composer'), 'unsent words');

    await user.click(screen.getByTestId('nav-history'));
    const [item] = await screen.findAllByTestId('history-item');
    await user.click(within(item!).getByTestId('history-delete'));
    await user.click(await screen.findByTestId('history-confirm-delete'));
    expect(api.history.delete).toHaveBeenCalledWith(sampleChat.id);

    await user.click(screen.getByTestId('nav-practice'));
    expect(screen.queryByTestId('chat')).not.toBeInTheDocument();
    expect(await screen.findByTestId('practice-start')).toBeVisible();
    expect(localStorage.getItem(CHAT_DRAFT_KEY)).toBeNull();
  });
});

describe('Workspace — the sidebar', () => {
  it('says whether Gemini is connected, and follows a key saved in Settings', async () => {
    const api = fakeApi();
    renderWorkspace(api);
    expect(await screen.findByTestId('about-ai')).toHaveTextContent('· offline coach only');
    act(() => api.emitGeminiStatus(geminiConnected));
    expect(screen.getByTestId('about-ai')).toHaveTextContent('· Gemini connected');
    act(() => api.emitGeminiStatus(geminiConnected, true));
    expect(screen.getByTestId('about-ai')).toHaveTextContent('· Gemini refused the key');
    expect(screen.getByTestId('about-ai')).not.toHaveAttribute('data-connected');
    act(() => api.emitGeminiStatus(noGeminiKey));
    expect(screen.getByTestId('about-ai')).toHaveTextContent('· offline coach only');
  });

  it('starts connected when a key is saved', async () => {
    renderWorkspace(fakeApi({ settings: { geminiStatus: () => Promise.resolve(geminiConnected) } }));
    expect(await screen.findByTestId('about-ai')).toHaveTextContent('· Gemini connected');
    expect(screen.queryByText(/works offline/)).not.toBeInTheDocument();
  });
});

describe('Workspace — deleting a conversation', () => {
  it('drops its unsent text kept from an earlier visit, though no composer is open', async () => {
    localStorage.setItem(CHAT_DRAFT_KEY, 'words typed before a reload');
    localStorage.setItem('cara.chatDraft.v1:another-chat', 'kept');
    const { user } = renderWorkspace(fakeApi({ history: { list: () => Promise.resolve([chatItem(sampleChat)]) } }));
    await deleteInHistory(user);
    expect(localStorage.getItem(CHAT_DRAFT_KEY)).toBeNull();
    expect(localStorage.getItem('cara.chatDraft.v1:another-chat')).toBe('kept');
  });
});

describe('Workspace — Review', () => {
  it('keeps the report while the user visits another screen; Edit text goes back to the editor', async () => {
    const { api, user } = renderWorkspace();
    await user.type(screen.getByTestId('review-input'), 'I just think we could maybe ship on Friday.');
    await user.click(screen.getByTestId('review-submit'));
    expect(await screen.findByTestId('report')).toBeInTheDocument();

    await user.click(screen.getByTestId('nav-settings'));
    await user.click(screen.getByTestId('nav-review'));
    expect(await screen.findByTestId('report')).toBeInTheDocument();
    expect(api.review).toHaveBeenCalledTimes(1);

    await user.click(screen.getByRole('button', { name: /Edit text/ }));
    expect(await screen.findByTestId('review-input')).toHaveValue('I just think we could maybe ship on Friday.');
  });

  it('deleting the review in History drops the Review draft that holds its text, on screen and in storage', async () => {
    const api = fakeApi({ history: { list: () => Promise.resolve([reviewItem(sampleReview)]) } });
    const { user } = renderWorkspace(api);
    await user.type(screen.getByLabelText(/Title/), 'Friday');
    await user.type(screen.getByTestId('review-input'), 'I just think we could maybe ship on Friday.');
    await user.click(screen.getByTestId('review-submit'));
    expect(await screen.findByTestId('report')).toBeInTheDocument();
    await waitFor(() => expect(localStorage.getItem(DRAFT_KEY)).toContain('ship on Friday'));

    await deleteInHistory(user);
    expect(api.history.delete).toHaveBeenCalledWith(sampleReview.id);
    await user.click(screen.getByTestId('nav-review'));
    expect(await screen.findByTestId('review-input')).toHaveValue('');
    expect(screen.getByLabelText(/Title/)).toHaveValue('');
    await waitFor(() => expect(localStorage.getItem(DRAFT_KEY)).toBeNull());
  });

  it('keeps a draft edited since the review: it is new, unsaved work', async () => {
    const api = fakeApi({ history: { list: () => Promise.resolve([reviewItem(sampleReview)]) } });
    const { user } = renderWorkspace(api);
    await user.type(screen.getByTestId('review-input'), 'We could ship on Friday.');
    await user.click(screen.getByTestId('review-submit'));
    await user.click(await screen.findByRole('button', { name: /Edit text/ }));
    await user.type(await screen.findByTestId('review-input'), ' Or Monday.');

    await deleteInHistory(user);
    await user.click(screen.getByTestId('nav-review'));
    expect(await screen.findByTestId('review-input')).toHaveValue('We could ship on Friday. Or Monday.');
  });
});
