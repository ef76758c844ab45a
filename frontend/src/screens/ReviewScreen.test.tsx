import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { CaraError } from '../api';
import { ApiProvider } from '../api/ApiContext';
import type { Draft } from '../lib/draft';
import { sampleReview } from '../test/fixtures';
import { fakeApi } from '../test/fakeApi';
import { ReviewScreen } from './ReviewScreen';

function setup(api = fakeApi(), initial: Draft = { title: '', text: '', source: '' }) {
  const onReviewed = vi.fn();
  function Harness() {
    const [draft, setDraft] = useState(initial);
    return <ReviewScreen draft={draft} onDraftChange={setDraft} onReviewed={onReviewed} />;
  }
  render(
    <ApiProvider value={api}>
      <Harness />
    </ApiProvider>,
  );
  return { api, onReviewed, user: userEvent.setup() };
}

describe('ReviewScreen', () => {
  it('shows the exact Go message inline and keeps the text', async () => {
    const message = 'Nothing to review yet — paste or open some text';
    const { user } = setup(fakeApi({ review: () => Promise.reject(new CaraError('empty', message)) }));
    const input = screen.getByTestId('review-input');
    await user.type(input, '   ');
    await user.click(screen.getByTestId('review-submit'));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(message);
    expect(alert).toHaveAttribute('data-testid', 'review-error');
    expect(input).toHaveValue('   ');
    expect(screen.getByTestId('review-submit')).toBeEnabled();
  });

  it('reviews with Ctrl+Enter and hands the review on', async () => {
    const { api, onReviewed, user } = setup();
    await user.type(screen.getByTestId('review-input'), 'I just think so.');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(onReviewed).toHaveBeenCalledWith(sampleReview));
    expect(api.review).toHaveBeenCalledWith({ title: '', text: 'I just think so.', source: 'paste', repaired: false });
  });

  it('shows a busy button while working', async () => {
    let resolve: (v: typeof sampleReview) => void = () => {};
    const { user } = setup(fakeApi({ review: () => new Promise((r) => (resolve = r)) }));
    await user.type(screen.getByTestId('review-input'), 'Hello');
    await user.click(screen.getByTestId('review-submit'));
    const button = screen.getByTestId('review-submit');
    expect(button).toBeDisabled();
    expect(button).toHaveAttribute('aria-busy', 'true');
    expect(button).toHaveTextContent('Reviewing…');
    resolve(sampleReview);
  });

  it('starts one review for several clicks and shortcuts in the same tick', async () => {
    let resolve: (v: typeof sampleReview) => void = () => {};
    const review = vi.fn(() => new Promise<typeof sampleReview>((r) => (resolve = r)));
    const { onReviewed } = setup(fakeApi({ review }), { title: '', text: 'Hello there.', source: '' });
    const button = screen.getByTestId('review-submit');
    const input = screen.getByTestId('review-input');
    // One act: React does not re-render (and disable the button) between these.
    act(() => {
      button.click();
      button.click();
      button.click();
      fireEvent.keyDown(input, { key: 'Enter', ctrlKey: true });
    });
    expect(review).toHaveBeenCalledOnce();
    expect(button).toBeDisabled();
    await act(async () => resolve(sampleReview));
    expect(onReviewed).toHaveBeenCalledOnce();
    expect(review).toHaveBeenCalledOnce();
  });

  it('allows another review once a failed one has finished', async () => {
    const review = vi
      .fn()
      .mockRejectedValueOnce(new CaraError('internal', 'Something went wrong'))
      .mockResolvedValueOnce(sampleReview);
    const { onReviewed } = setup(fakeApi({ review }), { title: '', text: 'Hello there.', source: '' });
    const button = screen.getByTestId('review-submit');
    act(() => {
      button.click();
      button.click();
    });
    expect(await screen.findByTestId('review-error')).toHaveTextContent('Something went wrong');
    expect(review).toHaveBeenCalledOnce();
    act(() => {
      button.click();
      button.click();
    });
    await waitFor(() => expect(onReviewed).toHaveBeenCalledWith(sampleReview));
    expect(review).toHaveBeenCalledTimes(2);
  });

  it('clears the error once the text is edited, but not when only the title changes', async () => {
    const message = 'Nothing to review yet — paste or open some text';
    const { user } = setup(fakeApi({ review: () => Promise.reject(new CaraError('empty', message)) }));
    await user.click(screen.getByTestId('review-submit'));
    expect(await screen.findByTestId('review-error')).toHaveTextContent(message);
    await user.type(screen.getByLabelText(/Title/), 'Note');
    expect(screen.getByTestId('review-error')).toHaveTextContent(message);
    await user.type(screen.getByTestId('review-input'), 'H');
    expect(screen.queryByTestId('review-error')).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('clears an error from opening a file once the text is edited', async () => {
    const message = "This file doesn't look like text";
    const { user } = setup(
      fakeApi({ importFile: () => Promise.reject(new CaraError('not_text', message)) }),
      { title: '', text: 'keep me', source: '' },
    );
    await user.upload(screen.getByTestId('file-input'), new File(['x'], 'a.txt', { type: 'text/plain' }));
    expect(await screen.findByTestId('review-error')).toHaveTextContent(message);
    await user.type(screen.getByTestId('review-input'), '!');
    expect(screen.queryByTestId('review-error')).not.toBeInTheDocument();
    expect(screen.getByTestId('review-input')).toHaveValue('keep me!');
  });

  it('counts characters as Go does and warns past the limit', async () => {
    setup(fakeApi(), { title: '', text: '👍🏽 ok', source: '' });
    expect(screen.getByText(/5 \/ 200,000 characters/)).toBeInTheDocument();
    expect(screen.getByTestId('review-input')).not.toHaveAttribute('aria-invalid');
  });

  it('marks text over 200,000 characters', () => {
    setup(fakeApi(), { title: '', text: 'a'.repeat(200_001), source: '' });
    expect(screen.getByText(/200,001 \/ 200,000 characters/)).toHaveAttribute('data-over', 'true');
    expect(screen.getByTestId('review-input')).toHaveAttribute('aria-invalid', 'true');
  });

  it('opens a file into the editor and can undo it', async () => {
    const importFile = vi.fn(() => Promise.resolve({ title: 'Moving the sync', text: 'Hi team,\nlet us move it.', repaired: true }));
    const { user } = setup(fakeApi({ importFile }), { title: '', text: 'my draft', source: '' });
    const file = new File(['Subject: Moving the sync\n\nHi team'], 'sync.eml', { type: 'message/rfc822' });
    await user.upload(screen.getByTestId('file-input'), file);
    await waitFor(() => expect(screen.getByTestId('review-input')).toHaveValue('Hi team,\nlet us move it.'));
    expect(importFile).toHaveBeenCalledWith('sync.eml', expect.any(Uint8Array));
    expect(screen.getByLabelText(/Title/)).toHaveValue('Moving the sync');
    expect(screen.getByText(/Opened/)).toHaveTextContent('Opened sync.eml.');
    expect(screen.getByText(/replaced with/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(screen.getByTestId('review-input')).toHaveValue('my draft');
  });

  it('keeps the text when a dropped file is not text', async () => {
    const message = "This file doesn't look like text";
    setup(
      fakeApi({ importFile: () => Promise.reject(new CaraError('not_text', message)) }),
      { title: '', text: 'keep me', source: '' },
    );
    const file = new File([new Uint8Array([0, 1, 2, 3])], 'photo.png', { type: 'image/png' });
    const editor = screen.getByTestId('review-input').parentElement!;
    fireEvent.drop(editor, { dataTransfer: { files: [file], types: ['Files'] } });
    expect(await screen.findByTestId('review-error')).toHaveTextContent(message);
    expect(screen.getByTestId('review-input')).toHaveValue('keep me');
  });
});
