import { fireEvent, render, screen, waitFor } from '@testing-library/react';
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
