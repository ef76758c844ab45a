import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CaraError, createApi, type CaraApi } from '../api';
import { ApiProvider } from '../api/ApiContext';
import { fakeApi } from '../test/fakeApi';
import { fakeTransport } from '../test/fakeTransport';
import { sampleTranslation, usageStop } from '../test/fixtures';
import { TranslatorScreen } from './TranslatorScreen';

function setup(api: CaraApi = fakeApi()) {
  const onOpenSettings = vi.fn();
  const announce = vi.fn();
  render(
    <ApiProvider value={api}>
      <TranslatorScreen announce={announce} onOpenSettings={onOpenSettings} />
    </ApiProvider>,
  );
  return { api, announce, onOpenSettings, user: userEvent.setup() };
}

describe('TranslatorScreen', () => {
  it('translates a phrase into perception, hidden meaning and three alternatives with when to use them', async () => {
    const translate = vi.fn(() => Promise.resolve(JSON.parse(JSON.stringify(sampleTranslation)) as unknown));
    const { user, announce } = setup(createApi(fakeTransport({ translate })));
    expect(screen.getByTestId('translator-submit')).toBeDisabled();
    await user.type(screen.getByTestId('translator-input'), '  With all due respect {Enter}');
    expect(translate).toHaveBeenCalledWith('With all due respect');

    const result = await screen.findByTestId('translator-result');
    expect(within(result).getByTestId('translator-perception')).toHaveTextContent('Heard as a warning');
    expect(within(result).getByTestId('translator-hidden')).toHaveTextContent('I think you are wrong.');
    const alts = within(result).getAllByTestId('translator-alternative');
    expect(alts.map((a) => a.querySelector('.alternative-text')?.textContent)).toEqual([
      '“I see it differently”',
      '“Can I offer another angle?”',
      '“Here is a concern”',
    ]);
    expect(alts[1]).toHaveTextContent('With a senior person.');
    expect(announce).toHaveBeenCalledWith('How “With all due respect” lands: Heard as a warning that criticism is coming.');
  });

  it.each([
    ['no_key', 'No Gemini key saved — add one in Settings', 'Add a Gemini key in Settings'],
    ['budget', "Today's AI budget is used up", 'Raise the daily budget in Settings'],
  ])('a %s error says so and links to Settings', async (code, message, link) => {
    const { user, onOpenSettings } = setup(fakeApi({ translate: () => Promise.reject(new CaraError(code, message)) }));
    await user.type(screen.getByTestId('translator-input'), 'Per my last email');
    await user.click(screen.getByTestId('translator-submit'));
    expect(await screen.findByTestId('translator-error')).toHaveTextContent(message);
    await user.click(screen.getByRole('button', { name: link }));
    expect(onOpenSettings).toHaveBeenCalled();
  });

  it('over budget, a refused translation is the one message (no notice above it)', async () => {
    const api = fakeApi({
      settings: { usage: () => Promise.resolve(usageStop) },
      translate: () => Promise.reject(new CaraError('budget', "You've used today's AI budget (50,000 tokens). Raise it in Settings to keep practising.")),
    });
    const { user } = setup(api);
    expect(await screen.findByTestId('budget-notice')).toHaveTextContent('translations are paused until tomorrow');
    await user.type(screen.getByTestId('translator-input'), 'Per my last email{Enter}');
    expect(await screen.findByTestId('translator-error')).toHaveTextContent("You've used today's AI budget");
    expect(screen.queryByTestId('budget-notice')).not.toBeInTheDocument();
  });

  it('a changed phrase clears the last error, even beside "Too long"', async () => {
    const { user } = setup(fakeApi({ translate: () => Promise.reject(new CaraError('unavailable', 'Gemini is busy — retry')) }));
    await user.type(screen.getByTestId('translator-input'), 'Per my last email{Enter}');
    expect(await screen.findByTestId('translator-error')).toHaveTextContent('Gemini is busy — retry');
    await user.type(screen.getByTestId('translator-input'), ' '.padEnd(500, 'x'));
    expect(screen.getByText('Too long — keep it under 500 characters.')).toBeInTheDocument();
    expect(screen.queryByTestId('translator-error')).not.toBeInTheDocument();
  });

  it('Retry asks again for the phrase that failed, and shows the answer', async () => {
    const translate = vi
      .fn()
      .mockRejectedValueOnce(new CaraError('unavailable', 'Gemini is busy — retry'))
      .mockResolvedValueOnce(sampleTranslation);
    const { user } = setup(fakeApi({ translate }));
    await user.type(screen.getByTestId('translator-input'), 'With all due respect{Enter}');
    await user.click(await screen.findByTestId('translator-error-retry'));
    expect(translate).toHaveBeenCalledTimes(2);
    expect(translate).toHaveBeenLastCalledWith('With all due respect');
    expect(await screen.findByTestId('translator-result')).toBeInTheDocument();
    expect(screen.queryByTestId('translator-error')).not.toBeInTheDocument();
  });

  it("after a quota error Retry counts down Gemini's wait", async () => {
    const quota = new CaraError('too_many_requests', 'Gemini quota reached — try again in 17 s', 17);
    const { user } = setup(fakeApi({ translate: () => Promise.reject(quota) }));
    await user.type(screen.getByTestId('translator-input'), 'Per my last email{Enter}');
    const retry = await screen.findByTestId('translator-error-retry');
    expect(retry).toHaveTextContent(/^Retry in 1[67] s$/);
    expect(retry).toBeDisabled();
  });

  it('an offline error has no Settings link, and the phrase stays', async () => {
    const { user } = setup(
      fakeApi({ translate: () => Promise.reject(new CaraError('offline', "Can't reach Gemini — check your connection")) }),
    );
    await user.type(screen.getByTestId('translator-input'), 'Per my last email');
    await user.click(screen.getByTestId('translator-submit'));
    expect(await screen.findByTestId('translator-error')).toHaveTextContent("Can't reach Gemini");
    expect(screen.queryByTestId('translator-error-settings')).not.toBeInTheDocument();
    expect(screen.getByTestId('translator-input')).toHaveValue('Per my last email');
  });

  it('warns about the budget from 80 %, and a new phrase clears the last answer before asking', async () => {
    const translate = vi
      .fn()
      .mockResolvedValueOnce(JSON.parse(JSON.stringify(sampleTranslation)) as unknown)
      .mockRejectedValueOnce(new CaraError('offline', "Can't reach Gemini — check your connection"));
    const api = fakeApi({ translate });
    const { user } = setup(api);
    act(() => api.emitUsage({ day: 'd', used: 41_000, budget: 50_000, warn: true, stop: false }));
    expect(await screen.findByTestId('budget-notice')).toHaveAttribute('data-level', 'warn');
    await user.type(screen.getByTestId('translator-input'), 'With all due respect{Enter}');
    expect(await screen.findByTestId('translator-result')).toBeInTheDocument();
    await user.clear(screen.getByTestId('translator-input'));
    await user.type(screen.getByTestId('translator-input'), 'Per my last email{Enter}');
    expect(await screen.findByText("Can't reach Gemini — check your connection")).toBeInTheDocument();
    expect(screen.queryByTestId('translator-result')).not.toBeInTheDocument();
  });
});
