import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CaraError, createApi, type CaraApi, type GeminiStatus } from '../api';
import { ApiProvider } from '../api/ApiContext';
import { fakeApi } from '../test/fakeApi';
import { fakeTransport } from '../test/fakeTransport';
import { geminiConnected, noGeminiKey } from '../test/fixtures';
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

/** Go's answer as the Wails transport delivers it (a plain object). */
const goStatus = (st: GeminiStatus) => Promise.resolve(JSON.parse(JSON.stringify(st)) as unknown);

describe('SettingsScreen — Gemini', () => {
  it('explains where the key goes and shows no key yet', async () => {
    setup();
    expect(await screen.findByText('Not connected — no Gemini key saved')).toBeInTheDocument();
    expect(screen.getByText(/stays in your system keychain/)).toBeInTheDocument();
    expect(screen.getByTestId('gemini-key-input')).toHaveAttribute('type', 'password');
    expect(screen.getByTestId('gemini-key-save')).toBeDisabled();
    expect(screen.queryByTestId('gemini-model')).not.toBeInTheDocument();
    expect(screen.queryByTestId('gemini-key-remove')).not.toBeInTheDocument();
  });

  it('saves a key over the transport: checking, then the status and the models', async () => {
    let answer!: (v: unknown) => void;
    const setGeminiKey = vi.fn(() => new Promise<unknown>((resolve) => (answer = resolve)));
    const api = createApi(fakeTransport({ geminiStatus: () => goStatus(noGeminiKey), setGeminiKey }));
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
    const { user } = setup(api);
    await waitFor(() => expect(api.settings.geminiModels).toHaveBeenCalled());
    const select = await screen.findByTestId('gemini-model');
    await waitFor(() => expect((select as HTMLSelectElement).options).toHaveLength(2));
    await user.selectOptions(select, 'gemini-2.5-pro');
    expect(api.settings.setGeminiModel).toHaveBeenCalledWith('gemini-2.5-pro');
    await waitFor(() => expect(screen.getByTestId('gemini-model')).toHaveValue('gemini-2.5-pro'));
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
