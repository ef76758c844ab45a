import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { CaraError } from './api';
import { ApiProvider } from './api/ApiContext';
import { fakeApi } from './test/fakeApi';
import { chatItem, endedChat, sampleAccount, sampleChat } from './test/fixtures';

const CHAT_DRAFT_KEY = `cara.chatDraft.v1:${sampleChat.id}`;
import { Workspace } from './Workspace';

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
});
