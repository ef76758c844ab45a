import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CaraError, type HistoryItem } from '../api';
import { ApiProvider } from '../api/ApiContext';
import { chatItem, endedChat, reviewItem, sampleChat, sampleReview } from '../test/fixtures';
import { fakeApi } from '../test/fakeApi';
import { HistoryScreen } from './HistoryScreen';

const older: HistoryItem = { ...reviewItem(sampleReview), id: '01A', title: 'Older one', createdAt: '2025-01-02T10:00:00Z' };
const newer: HistoryItem = { ...reviewItem(sampleReview), id: '01B', title: 'Newer one', createdAt: '2026-03-12T16:40:05.5Z' };
const talk: HistoryItem = { ...chatItem(endedChat), title: 'Interview talk one', createdAt: '2026-03-13T09:00:00Z' };
const pendingTalk: HistoryItem = {
  ...chatItem({ ...sampleChat, id: 'chat-2', ended: true, aiStatus: 'pending' }),
  title: 'Pending talk one',
  createdAt: '2026-03-11T09:00:00Z',
};

function setup(api = fakeApi({ history: { list: () => Promise.resolve([older, newer]) } })) {
  const onOpen = vi.fn();
  const onOpenChat = vi.fn();
  const announce = vi.fn();
  render(
    <ApiProvider value={api}>
      <HistoryScreen onOpen={onOpen} onOpenChat={onOpenChat} onStartReview={() => {}} announce={announce} />
    </ApiProvider>,
  );
  return { api, onOpen, onOpenChat, announce, user: userEvent.setup() };
}

describe('HistoryScreen', () => {
  it('lists newest first and opens one', async () => {
    const { api, onOpen, user } = setup();
    const items = await screen.findAllByTestId('history-item');
    expect(items.map((i) => within(i).getByText(/one$/).textContent)).toEqual(['Newer one', 'Older one']);
    await user.click(within(items[1]!).getByText('Older one'));
    await waitFor(() => expect(onOpen).toHaveBeenCalledWith(sampleReview));
    expect(api.history.get).toHaveBeenCalledWith('01A');
  });

  it('mixes reviews and conversations with kind and AI badges, and opens a chat through Practice.Get', async () => {
    const api = fakeApi({
      history: { list: () => Promise.resolve([older, talk, pendingTalk, newer]) },
      practice: { get: () => Promise.resolve(endedChat) },
    });
    const { onOpenChat, onOpen, user } = setup(api);
    const items = await screen.findAllByTestId('history-item');
    expect(items.map((i) => [i.dataset.kind, within(i).getByText(/one$/).textContent])).toEqual([
      ['chat', 'Interview talk one'],
      ['review', 'Newer one'],
      ['chat', 'Pending talk one'],
      ['review', 'Older one'],
    ]);
    expect(within(items[0]!).getByTestId('history-kind')).toHaveTextContent('Conversation');
    expect(within(items[0]!).getByTestId('history-ai-status')).toHaveTextContent('AI ready');
    expect(within(items[0]!).getByText('74')).toBeInTheDocument();
    expect(within(items[1]!).getByTestId('history-kind')).toHaveTextContent('Review');
    expect(within(items[1]!).queryByTestId('history-ai-status')).not.toBeInTheDocument();
    expect(within(items[2]!).getByTestId('history-ai-status')).toHaveTextContent('AI feedback pending');
    expect(within(items[2]!).getByText('No score yet')).toBeInTheDocument();

    await user.click(within(items[0]!).getByText('Interview talk one'));
    await waitFor(() => expect(onOpenChat).toHaveBeenCalledWith(endedChat));
    expect(api.practice.get).toHaveBeenCalledWith('chat-1');
    expect(api.history.get).not.toHaveBeenCalled();
    expect(onOpen).not.toHaveBeenCalled();
  });

  it('a conversation waiting for AI feedback shows its offline score, as a pending review does', async () => {
    const waiting: HistoryItem = {
      ...chatItem({ ...endedChat, id: 'chat-3', feedback: undefined, aiStatus: 'pending', aiError: 'Offline' }),
      title: 'Waiting talk one',
    };
    setup(fakeApi({ history: { list: () => Promise.resolve([waiting]) } }));
    const [item] = await screen.findAllByTestId('history-item');
    const overall = sampleReview.report.scores.overall;
    expect(within(item!).getByTestId('history-ai-status')).toHaveTextContent('AI feedback pending');
    expect(within(item!).queryByText('No score yet')).not.toBeInTheDocument();
    expect(item!.querySelector('.history-score')).toHaveTextContent(`Overall score ${overall}`);
  });

  it('deletes a conversation too', async () => {
    const { api, announce, user } = setup(fakeApi({ history: { list: () => Promise.resolve([talk, older]) } }));
    const [first] = await screen.findAllByTestId('history-item');
    await user.click(within(first!).getByTestId('history-delete'));
    await user.click(within(first!).getByTestId('history-confirm-delete'));
    await waitFor(() => expect(screen.getAllByTestId('history-item')).toHaveLength(1));
    expect(api.history.delete).toHaveBeenCalledWith('chat-1');
    expect(announce).toHaveBeenCalledWith('Deleted “Interview talk one”.');
  });

  it('deletes only after confirming, and Cancel keeps it', async () => {
    const { api, announce, user } = setup();
    const [first] = await screen.findAllByTestId('history-item');
    await user.click(within(first!).getByTestId('history-delete'));
    expect(api.history.delete).not.toHaveBeenCalled();
    await user.click(within(first!).getByRole('button', { name: 'Cancel' }));
    expect(screen.getAllByTestId('history-item')).toHaveLength(2);

    await user.click(within(first!).getByTestId('history-delete'));
    await user.click(within(first!).getByTestId('history-confirm-delete'));
    await waitFor(() => expect(screen.getAllByTestId('history-item')).toHaveLength(1));
    expect(api.history.delete).toHaveBeenCalledWith('01B');
    expect(announce).toHaveBeenCalledWith('Deleted “Newer one”.');
  });

  it('shows the empty state', async () => {
    setup(fakeApi({ history: { list: () => Promise.resolve([]) } }));
    expect(await screen.findByTestId('history-empty')).toHaveTextContent('Nothing here yet');
  });

  it('shows a failure to load as an alert', async () => {
    setup(fakeApi({ history: { list: () => Promise.reject(new CaraError('unavailable', 'Cara is already running')) } }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Cara is already running');
  });

  it('turns a pending badge to ready as the offline queue works', async () => {
    const ready = chatItem({ ...endedChat, id: 'chat-2', feedback: { ...endedChat.feedback!, overall: 81 } });
    const list = vi.fn().mockResolvedValueOnce([pendingTalk]).mockResolvedValueOnce([ready]);
    const { api } = setup(fakeApi({ history: { list } }));
    expect(await screen.findByTestId('history-ai-status')).toHaveTextContent('AI feedback pending');
    act(() => api.emitQueue({ pending: 0, done: 1, total: 1, running: false, current: '', error: '' }));
    await waitFor(() => expect(screen.getByTestId('history-ai-status')).toHaveTextContent('AI ready'));
    expect(screen.getByText('81')).toBeInTheDocument();
  });
});
