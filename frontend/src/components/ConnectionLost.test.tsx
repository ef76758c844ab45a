import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApi } from '../api';
import { ApiProvider } from '../api/ApiContext';
import { fakeApi } from '../test/fakeApi';
import { fakeTransport } from '../test/fakeTransport';
import { ConnectionLost } from './ConnectionLost';

describe('ConnectionLost', () => {
  afterEach(() => vi.useRealTimers());

  it('is nothing while Cara answers; says it closed, then that it is back, with Reload in focus', async () => {
    const api = fakeApi();
    const reload = vi.fn();
    render(
      <ApiProvider value={api}>
        <ConnectionLost reload={reload} />
      </ApiProvider>,
    );
    expect(screen.queryByTestId('connection-lost')).not.toBeInTheDocument();

    act(() => api.emitConnection('closed'));
    const dialog = screen.getByRole('alertdialog', { name: 'Cara has closed — reopen it' });
    expect(dialog).toHaveAccessibleDescription(/The Cara app stopped, so this page can’t save or send anything/);
    expect(screen.getByTestId('connection-reload')).toHaveFocus();

    act(() => api.emitConnection('back'));
    expect(screen.getByRole('alertdialog', { name: 'Cara is running again' })).toBeInTheDocument();
    await userEvent.setup().click(screen.getByTestId('connection-reload'));
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it("follows Go's heartbeat through the facade", () => {
    vi.useFakeTimers();
    let beat: (payload: unknown) => void = () => {};
    const api = createApi(
      fakeTransport({
        onAppAlive: (cb) => {
          beat = cb;
          return () => {};
        },
      }),
    );
    render(
      <ApiProvider value={api}>
        <ConnectionLost reload={() => {}} />
      </ApiProvider>,
    );
    act(() => beat({ intervalMs: 1000 }));
    act(() => vi.advanceTimersByTime(3_000));
    expect(screen.queryByTestId('connection-lost')).not.toBeInTheDocument();
    act(() => vi.advanceTimersByTime(1_000));
    expect(screen.getByTestId('connection-lost')).toHaveAttribute('data-state', 'closed');
    act(() => beat({ intervalMs: 1000 }));
    expect(screen.getByTestId('connection-lost')).toHaveAttribute('data-state', 'back');
  });
});
