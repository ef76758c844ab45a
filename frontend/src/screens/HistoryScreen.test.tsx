import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CaraError, type ReviewSummary } from '../api';
import { ApiProvider } from '../api/ApiContext';
import { sampleReview, summaryOf } from '../test/fixtures';
import { fakeApi } from '../test/fakeApi';
import { HistoryScreen } from './HistoryScreen';

const older: ReviewSummary = { ...summaryOf(sampleReview), id: '01A', title: 'Older one', createdAt: '2025-01-02T10:00:00Z' };
const newer: ReviewSummary = { ...summaryOf(sampleReview), id: '01B', title: 'Newer one', createdAt: '2026-03-12T16:40:05.5Z' };

function setup(api = fakeApi({ history: { list: () => Promise.resolve([older, newer]) } })) {
  const onOpen = vi.fn();
  const announce = vi.fn();
  render(
    <ApiProvider value={api}>
      <HistoryScreen onOpen={onOpen} onStartReview={() => {}} announce={announce} />
    </ApiProvider>,
  );
  return { api, onOpen, announce, user: userEvent.setup() };
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
    expect(await screen.findByTestId('history-empty')).toHaveTextContent('No reviews yet');
  });

  it('shows a failure to load as an alert', async () => {
    setup(fakeApi({ history: { list: () => Promise.reject(new CaraError('unavailable', 'Cara is already running')) } }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Cara is already running');
  });
});
