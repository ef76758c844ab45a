import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { CaraError, type CaraApi, type Review } from '../api';
import { ApiProvider } from '../api/ApiContext';
import { ReportScreen } from '../screens/ReportScreen';
import { fakeApi } from '../test/fakeApi';
import { reviewWithAI, sampleReview, usageStop } from '../test/fixtures';
import { PENDING_MESSAGE } from './AIState';

function Harness({ initial, onOpenSettings }: { initial: Review; onOpenSettings: () => void }) {
  const [review, setReview] = useState(initial);
  return (
    <ReportScreen review={review} backLabel="Back" onBack={() => {}} onReviewChange={setReview} onOpenSettings={onOpenSettings} />
  );
}

function setup(api: CaraApi = fakeApi(), initial: Review = sampleReview) {
  const onOpenSettings = vi.fn();
  render(
    <ApiProvider value={api}>
      <Harness initial={initial} onOpenSettings={onOpenSettings} />
    </ApiProvider>,
  );
  return { api, onOpenSettings, user: userEvent.setup() };
}

describe('Ask Cara', () => {
  it('offers Settings only where it is the fix: not for a busy Gemini or no network', async () => {
    for (const [code, settings] of [['unavailable', false], ['offline', false], ['gemini_key', true]] as const) {
      const failed: Review = { ...sampleReview, aiStatus: code === 'offline' ? 'pending' : 'failed', aiMode: 'strict', aiError: 'x', aiErrorCode: code };
      setup(fakeApi(), failed);
      expect(screen.queryByTestId('ai-open-settings') !== null).toBe(settings);
      cleanup();
    }
  });

  it('says so when the rewrite is the text word for word', async () => {
    const unchanged: Review = { ...reviewWithAI, ai: { ...reviewWithAI.ai!, rewrite: reviewWithAI.text } };
    setup(fakeApi(), unchanged);
    expect(screen.getByTestId('ask-cara-diff-none')).toHaveTextContent(
      'No changes: Cara’s rewrite is the same as your text, word for word.',
    );
    expect(screen.getByTestId('ask-cara-diff').querySelectorAll('ins, del')).toHaveLength(0);
    expect(screen.queryByTestId('ask-cara-diff-legend')).not.toBeInTheDocument();
  });

  it('asks in the chosen mode and shows the summary, points and a word diff with ins and del', async () => {
    const askCara = vi.fn(() => Promise.resolve({ ...reviewWithAI, aiMode: 'creative' as const }));
    const { user } = setup(fakeApi({ askCara }));
    expect(screen.getByTestId('ask-cara-mode-strict')).toBeChecked();
    await user.click(screen.getByTestId('ask-cara-mode-creative'));
    await user.click(screen.getByTestId('ask-cara-submit'));
    expect(askCara).toHaveBeenCalledWith(sampleReview.id, 'creative');

    expect(await screen.findByTestId('ask-cara-summary')).toHaveTextContent('Friendly, but the hedges bury your request.');
    expect(within(screen.getByTestId('ask-cara-points')).getAllByRole('listitem')).toHaveLength(2);
    const diff = screen.getByTestId('ask-cara-diff');
    const removed = Array.from(diff.querySelectorAll('del')).map((d) => d.textContent).join('|');
    const added = Array.from(diff.querySelectorAll('ins')).map((d) => d.textContent).join('|');
    expect(removed).toContain('Sorry');
    expect(removed).toContain('maybe');
    expect(added).toContain('Thanks');
    // Unchanged words are neither.
    expect(removed).not.toContain('Sam');
    expect(added).not.toContain('Sam');
    expect(screen.getByTestId('ask-cara-diff-legend')).toHaveTextContent('struck through = removed');
    expect(screen.getByTestId('ask-cara-diff-legend')).toHaveTextContent('underlined = added');
    expect(screen.getByTestId('ask-cara-submit')).toHaveTextContent('Ask Cara again');
  });

  it('shows a saved AI part when a report opens from History, and copies the rewrite', async () => {
    // user-event puts a clipboard stub on navigator; read it back after copying.
    const { user } = setup(fakeApi(), reviewWithAI);
    expect(screen.getByTestId('ask-cara-summary')).toBeInTheDocument();
    await user.click(screen.getByTestId('ask-cara-view-rewrite'));
    expect(screen.getByTestId('ask-cara-rewrite')).toHaveTextContent(reviewWithAI.ai!.rewrite);
    await user.click(screen.getByTestId('ask-cara-copy'));
    expect(await navigator.clipboard.readText()).toBe(reviewWithAI.ai!.rewrite);
    expect(await screen.findByTestId('ask-cara-copied')).toHaveTextContent('Rewrite copied.');
  });

  it('pending: says Cara will add it later, with the reason and Settings', async () => {
    const pending: Review = { ...sampleReview, aiStatus: 'pending', aiMode: 'strict', aiError: 'No budget left', aiErrorCode: 'budget' };
    const { user, onOpenSettings } = setup(fakeApi({ askCara: () => Promise.resolve(pending) }));
    await user.click(screen.getByTestId('ask-cara-submit'));
    const box = await screen.findByTestId('ai-pending');
    expect(box).toHaveTextContent(PENDING_MESSAGE);
    expect(box).toHaveTextContent('No budget left');
    expect(box.textContent?.match(/pending/gi)).toHaveLength(1); // said once, then the reason
    await user.click(within(box).getByTestId('ai-open-settings'));
    expect(onOpenSettings).toHaveBeenCalled();
  });

  it('failed: shows the message and retries in the same mode', async () => {
    const failed: Review = { ...sampleReview, aiStatus: 'failed', aiMode: 'creative', aiError: 'Gemini blocked this response' };
    const askCara = vi.fn().mockResolvedValueOnce(failed).mockResolvedValueOnce(reviewWithAI);
    const { user } = setup(fakeApi({ askCara }));
    await user.click(screen.getByTestId('ask-cara-mode-creative'));
    await user.click(screen.getByTestId('ask-cara-submit'));
    expect(await screen.findByTestId('ai-failed')).toHaveTextContent('Gemini blocked this response');
    await user.click(screen.getByTestId('ai-retry'));
    await waitFor(() => expect(askCara).toHaveBeenCalledTimes(2));
    expect(askCara).toHaveBeenLastCalledWith(sampleReview.id, 'creative');
    expect(await screen.findByTestId('ask-cara-result')).toBeInTheDocument();
  });

  it('over budget says it once, in Ask Cara\'s words', async () => {
    const overBudget = fakeApi({ settings: { usage: () => Promise.resolve({ ...usageStop, used: 19_000, budget: 1_000 }) } });
    setup(overBudget);
    const notice = await screen.findByTestId('budget-notice');
    expect(notice).toHaveTextContent(
      'Today’s AI budget is used up (19,000 of 1,000 tokens): Ask Cara is paused until tomorrow. Raise it in Settings',
    );
    expect(notice).not.toHaveTextContent(/replies/);
    cleanup();

    // Feedback pending for the budget: the pending box says it, the notice stays away.
    const pending: Review = {
      ...sampleReview,
      aiStatus: 'pending',
      aiMode: 'strict',
      aiError: "Today's AI budget is used up: raise it in Settings, or Cara will add it tomorrow.",
      aiErrorCode: 'budget',
    };
    const api = fakeApi({ settings: { usage: () => Promise.resolve(usageStop) } });
    setup(api, pending);
    await act(async () => {});
    expect(screen.getByTestId('ai-pending')).toHaveTextContent(pending.aiError);
    expect(screen.queryByTestId('budget-notice')).not.toBeInTheDocument();
    expect(screen.getAllByText(/budget is used up/)).toHaveLength(1);
  });

  it("failed on quota: the retry waits for Gemini's time", async () => {
    const failed: Review = {
      ...sampleReview,
      aiStatus: 'failed',
      aiMode: 'strict',
      aiError: 'Gemini quota reached — try again in 17 s',
      aiErrorCode: 'too_many_requests',
      aiRetryAt: new Date(Date.now() + 17_000).toISOString(),
    };
    setup(fakeApi(), failed);
    expect(screen.getByTestId('ai-retry')).toHaveTextContent(/^Retry Ask Cara in 1[67] s$/);
    expect(screen.getByTestId('ai-retry')).toBeDisabled();
  });

  it('a spent budget rejects with a way to Settings', async () => {
    const { user, onOpenSettings } = setup(
      fakeApi({ askCara: () => Promise.reject(new CaraError('budget', "Today's AI budget is used up")) }),
    );
    await user.click(screen.getByTestId('ask-cara-submit'));
    expect(await screen.findByTestId('ask-cara-error')).toHaveTextContent("Today's AI budget is used up");
    await user.click(screen.getByTestId('ask-cara-error-settings'));
    expect(onOpenSettings).toHaveBeenCalled();
  });
});
