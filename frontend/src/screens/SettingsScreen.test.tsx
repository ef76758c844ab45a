import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CaraError, createApi, type CaraApi, type GeminiStatus, type QueueStatus } from '../api';
import { ApiProvider } from '../api/ApiContext';
import { fakeApi } from '../test/fakeApi';
import { fakeTransport } from '../test/fakeTransport';
import { geminiConnected, noGeminiKey, queueIdle, usageOk, usageStop, usageWarn } from '../test/fixtures';
import { SettingsScreen } from './SettingsScreen';

function setup<A extends CaraApi>(api: A = fakeApi() as unknown as A) {
  const announce = vi.fn();
  render(
    <ApiProvider value={api}>
      <SettingsScreen announce={announce} />
    </ApiProvider>,
  );
  return { api, announce, user: userEvent.setup() };
}

/** The usage and queue panels' calls, answered as Go would. */
const aiPanels = {
  usage: () => Promise.resolve(JSON.parse(JSON.stringify(usageOk)) as unknown),
  queue: () => Promise.resolve(JSON.parse(JSON.stringify(queueIdle)) as unknown),
};

/** Go's answer as the Wails transport delivers it (a plain object). */
const goStatus = (st: GeminiStatus) => Promise.resolve(JSON.parse(JSON.stringify(st)) as unknown);

describe('SettingsScreen — Gemini', () => {
  it('explains where the key goes and shows no key yet', async () => {
    setup();
    expect(await screen.findByText('Not connected — no Gemini key saved')).toBeInTheDocument();
    expect(screen.getByText(/stays in your system keychain/)).toBeInTheDocument();
    expect(screen.getByTestId('gemini-key-input')).toHaveAttribute('type', 'password');
    expect(screen.getByRole('button', { name: 'Show key' })).toBeInTheDocument();
    expect(screen.getByTestId('gemini-key-save')).toBeDisabled();
    expect(screen.queryByTestId('gemini-model')).not.toBeInTheDocument();
    expect(screen.queryByTestId('gemini-key-remove')).not.toBeInTheDocument();
  });

  it('saves a key over the transport: checking, then the status and the models', async () => {
    let answer!: (v: unknown) => void;
    const setGeminiKey = vi.fn(() => new Promise<unknown>((resolve) => (answer = resolve)));
    const api = createApi(fakeTransport({ ...aiPanels, geminiStatus: () => goStatus(noGeminiKey), setGeminiKey }));
    const { user, announce } = setup(api);
    await screen.findByText('Not connected — no Gemini key saved');

    await user.type(screen.getByTestId('gemini-key-input'), 'AIzaSy-secret-abcd');
    await user.click(screen.getByTestId('gemini-key-save'));
    expect(setGeminiKey).toHaveBeenCalledWith('AIzaSy-secret-abcd');
    expect(screen.getByTestId('gemini-key-save')).toHaveTextContent('Checking your key…');
    expect(screen.getByTestId('gemini-key-save')).toBeDisabled();

    answer(JSON.parse(JSON.stringify(geminiConnected)));
    await waitFor(() => expect(screen.getByTestId('gemini-status')).toHaveTextContent('Connected — key …abcd'));
    const select = screen.getByTestId('gemini-model');
    expect(select).toHaveValue('gemini-2.5-flash');
    expect(Array.from((select as HTMLSelectElement).options).map((o) => o.value)).toEqual([
      'gemini-2.5-flash',
      'gemini-2.5-pro',
    ]);
    expect(screen.getByTestId('gemini-key-input')).toHaveValue('');
    expect(screen.getByTestId('gemini-key-save')).toHaveTextContent('Save key');
    expect(announce).toHaveBeenCalledWith('Gemini connected. Model gemini-2.5-flash.');
    expect(document.body.textContent).not.toContain('AIzaSy-secret');
  });

  it('shows Go’s message for an invalid key and keeps the input', async () => {
    const api = createApi(
      fakeTransport({
        ...aiPanels,
        geminiStatus: () => goStatus(noGeminiKey),
        setGeminiKey: () => Promise.reject(JSON.stringify({ code: 'invalid', message: "Your Gemini API key isn't valid" })),
      }),
    );
    const { user } = setup(api);
    await screen.findByText('Not connected — no Gemini key saved');
    await user.type(screen.getByTestId('gemini-key-input'), 'wrong-key');
    await user.click(screen.getByTestId('gemini-key-save'));
    const alert = await screen.findByTestId('gemini-error');
    expect(alert).toHaveAttribute('role', 'alert');
    expect(alert).toHaveTextContent("Your Gemini API key isn't valid");
    expect(screen.getByTestId('gemini-status')).toHaveTextContent('Not connected');
    expect(screen.getByTestId('gemini-key-input')).toHaveValue('wrong-key');
  });

  it('loads the saved key’s models on open and switches model', async () => {
    const api = fakeApi({
      settings: {
        geminiStatus: () => Promise.resolve({ ...geminiConnected, models: [] }),
        geminiModels: () => Promise.resolve(geminiConnected),
        setGeminiModel: (model: string) => Promise.resolve({ ...geminiConnected, model }),
      },
    });
    const { user, announce } = setup(api);
    await waitFor(() => expect(api.settings.geminiModels).toHaveBeenCalled());
    const select = await screen.findByTestId('gemini-model');
    await waitFor(() => expect((select as HTMLSelectElement).options).toHaveLength(2));
    expect(screen.getByTestId('gemini-model-saved')).toHaveTextContent(/^$/); // nothing chosen yet
    await user.selectOptions(select, 'gemini-2.5-pro');
    expect(api.settings.setGeminiModel).toHaveBeenCalledWith('gemini-2.5-pro');
    await waitFor(() => expect(screen.getByTestId('gemini-model')).toHaveValue('gemini-2.5-pro'));
    // Said where the choice was made, and announced.
    expect(screen.getByTestId('gemini-model-saved')).toHaveTextContent('✓ Saved — Cara will use Gemini 2.5 Pro.');
    expect(select).toHaveAccessibleDescription('✓ Saved — Cara will use Gemini 2.5 Pro.');
    expect(announce).toHaveBeenCalledWith('Saved. Cara will use Gemini 2.5 Pro.');
  });

  it('still shows the saved key when Gemini can’t be reached for the list', async () => {
    setup(
      fakeApi({
        settings: {
          geminiStatus: () => Promise.resolve({ ...geminiConnected, models: [] }),
          geminiModels: () => Promise.reject(new CaraError('unavailable', 'Can’t reach Gemini — check your connection')),
        },
      }),
    );
    expect(await screen.findByTestId('gemini-error')).toHaveTextContent('Can’t reach Gemini — check your connection');
    expect(screen.getByTestId('gemini-status')).toHaveTextContent('Connected — key …abcd');
    expect(screen.getByTestId('gemini-model')).toHaveValue('gemini-2.5-flash');
  });

  it('says so when Gemini refuses the saved key, and offers to replace or remove it', async () => {
    const api = createApi(
      fakeTransport({
        ...aiPanels,
        geminiStatus: () => goStatus({ ...geminiConnected, models: [] }),
        geminiModels: () => Promise.reject(JSON.stringify({ code: 'gemini_key', message: 'Your Gemini API key isn’t valid' })),
      }),
    );
    setup(api);
    expect(await screen.findByTestId('gemini-error')).toHaveTextContent('Your Gemini API key isn’t valid');
    const status = screen.getByTestId('gemini-status');
    expect(status).toHaveTextContent('Key …abcd saved, but Gemini refused it — replace it below');
    expect(status).not.toHaveAttribute('data-connected');
    expect(screen.queryByTestId('gemini-model')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Replace the key')).toBeInTheDocument();
    expect(screen.getByTestId('gemini-key-remove')).toBeInTheDocument();
  });

  it('removes the key after an inline confirm', async () => {
    const api = fakeApi({
      settings: {
        geminiStatus: () => Promise.resolve(geminiConnected),
        geminiModels: () => Promise.resolve(geminiConnected),
      },
    });
    const { user, announce } = setup(api);
    await user.click(await screen.findByTestId('gemini-key-remove'));
    expect(api.settings.removeGeminiKey).not.toHaveBeenCalled();

    await user.click(screen.getByTestId('gemini-key-remove-cancel'));
    expect(screen.getByTestId('gemini-status')).toHaveTextContent('Connected — key …abcd');

    await user.click(screen.getByTestId('gemini-key-remove'));
    await user.click(screen.getByTestId('gemini-key-remove-confirm'));
    expect(api.settings.removeGeminiKey).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.getByTestId('gemini-status')).toHaveTextContent('Not connected'));
    expect(screen.queryByTestId('gemini-model')).not.toBeInTheDocument();
    expect(announce).toHaveBeenCalledWith('Gemini key removed.');
  });
});

describe('SettingsScreen — AI usage and queue', () => {
  it('shows today’s usage and follows "ai:usage" live: warn at 80 %, stop at 100 %', async () => {
    const api = fakeApi();
    setup(api);
    expect(await screen.findByTestId('usage-text')).toHaveTextContent('12,000 of 50,000 tokens (24 %)');
    expect(screen.getByTestId('usage')).toHaveAttribute('data-level', 'ok');
    expect(screen.getByTestId('usage-bar')).toHaveAttribute('aria-valuenow', '24');
    expect(screen.queryByTestId('usage-warn')).not.toBeInTheDocument();

    act(() => api.emitUsage(usageWarn));
    expect(screen.getByTestId('usage')).toHaveAttribute('data-level', 'warn');
    expect(screen.getByTestId('usage-warn')).toHaveTextContent('You have used 82 % of today’s budget.');

    act(() => api.emitUsage(usageStop));
    expect(screen.getByTestId('usage')).toHaveAttribute('data-level', 'stop');
    expect(screen.getByTestId('usage-stop')).toHaveTextContent('Today’s budget is used up');
    expect(screen.getByTestId('usage-bar')).toHaveAttribute('aria-valuenow', '100');

    // Far over a small budget: the percentage gets its thousands separator too.
    act(() => api.emitUsage({ ...usageStop, used: 19_000, budget: 1_000 }));
    expect(screen.getByTestId('usage-text')).toHaveTextContent('19,000 of 1,000 tokens (1,900 %)');
    expect(screen.getByTestId('usage-bar')).toHaveAttribute('aria-valuetext', '1,900 % of the daily budget');
  });

  it('saves the daily budget, and shows Go’s message when it is refused', async () => {
    const setDailyBudget = vi
      .fn()
      .mockRejectedValueOnce(new CaraError('invalid', 'The daily budget must be between 1,000 and 10,000,000 tokens'))
      .mockResolvedValueOnce({ ...usageStop, budget: 100_000, warn: false, stop: false });
    const { user, announce } = setup(fakeApi({ settings: { usage: () => Promise.resolve(usageStop), setDailyBudget } }));
    const input = await screen.findByTestId('budget-input');
    expect(input).toHaveValue('50000');

    await user.clear(input);
    await user.type(input, '10');
    await user.click(screen.getByTestId('budget-save'));
    expect(setDailyBudget).toHaveBeenCalledWith(10);
    expect(await screen.findByTestId('budget-error')).toHaveTextContent('must be between 1,000 and 10,000,000 tokens');

    await user.clear(input);
    await user.type(input, '100,000');
    await user.click(screen.getByTestId('budget-save'));
    expect(setDailyBudget).toHaveBeenLastCalledWith(100_000);
    await waitFor(() => expect(screen.getByTestId('usage')).toHaveAttribute('data-level', 'ok'));
    expect(screen.queryByTestId('budget-error')).not.toBeInTheDocument();
    expect(announce).toHaveBeenCalledWith('Daily budget set to 100,000 tokens.');
  });

  it('refuses a budget that is not a number without calling Go', async () => {
    const { api, user } = setup(fakeApi());
    const input = await screen.findByTestId('budget-input');
    await user.clear(input);
    await user.type(input, 'lots');
    await user.click(screen.getByTestId('budget-save'));
    expect(await screen.findByTestId('budget-error')).toHaveTextContent('whole number of tokens');
    expect(api.settings.setDailyBudget).not.toHaveBeenCalled();
  });

  it('shows the queue, its live progress from "ai:queue", the last error, and Process now', async () => {
    const waiting: QueueStatus = { pending: 5, done: 0, total: 0, running: false, current: '', error: 'Still offline' };
    const api = fakeApi({
      settings: {
        queue: () => Promise.resolve(waiting),
        processQueue: () => Promise.resolve({ ...waiting, running: true, total: 5, error: '' }),
      },
    });
    const { user } = setup(api);
    expect(await screen.findByTestId('queue-status')).toHaveTextContent('5 practices waiting for AI feedback');
    expect(screen.getByTestId('queue-error')).toHaveTextContent('Last run stopped: Still offline');

    await user.click(screen.getByTestId('queue-process'));
    expect(api.settings.processQueue).toHaveBeenCalled();
    act(() =>
      api.emitQueue({ pending: 4, done: 1, total: 5, running: true, current: 'Salary negotiation with Skeptic', error: '' }),
    );
    expect(screen.getByTestId('queue-status')).toHaveTextContent('Processing 2 of 5: Salary negotiation with Skeptic');
    expect(screen.getByTestId('queue-progress')).toHaveAttribute('value', '1');
    expect(screen.getByTestId('queue-process')).toBeDisabled();

    act(() => api.emitQueue({ pending: 4, done: 1, total: 5, running: false, current: '', error: 'Still offline, again' }));
    expect(screen.getByTestId('queue-error')).toHaveTextContent(/^Last run stopped at \d{1,2}:\d{2}:\d{2}.*: Still offline, again$/);

    act(() => api.emitQueue({ pending: 0, done: 5, total: 5, running: false, current: '', error: '' }));
    expect(screen.getByTestId('queue-status')).toHaveTextContent('No practices waiting for AI feedback.');
    expect(screen.queryByTestId('queue-error')).not.toBeInTheDocument();
    expect(screen.getByTestId('queue-process')).toBeDisabled();
  });

  it('stops listening for usage and queue events when it goes away', async () => {
    const api = fakeApi();
    const { unmount } = render(
      <ApiProvider value={api}>
        <SettingsScreen announce={() => {}} />
      </ApiProvider>,
    );
    await screen.findByTestId('usage');
    expect(api.listeners()).toMatchObject({ usage: 1, queue: 1 });
    unmount();
    expect(api.listeners()).toMatchObject({ usage: 0, queue: 0 });
  });
});
