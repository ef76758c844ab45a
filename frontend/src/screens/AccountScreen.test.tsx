import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CaraError } from '../api';
import { ApiProvider } from '../api/ApiContext';
import { fakeApi } from '../test/fakeApi';
import { sampleAccount, sampleSessions, signedOut } from '../test/fixtures';
import { AccountScreen } from './AccountScreen';

function setup(api = fakeApi()) {
  const onSignedOut = vi.fn();
  const announce = vi.fn();
  render(
    <ApiProvider value={api}>
      <AccountScreen account={sampleAccount} onSignedOut={onSignedOut} announce={announce} />
    </ApiProvider>,
  );
  return { api, onSignedOut, announce, user: userEvent.setup() };
}

async function fillChange(user: ReturnType<typeof userEvent.setup>, current: string, next: string, confirm = next) {
  await user.type(screen.getByTestId('change-current'), current);
  await user.type(screen.getByTestId('change-new'), next);
  await user.type(screen.getByTestId('change-confirm'), confirm);
}

describe('AccountScreen', () => {
  it('shows the profile', () => {
    setup();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(sampleAccount.name);
    const profile = screen.getByRole('heading', { name: 'Profile' }).closest('section')!;
    expect(within(profile).getByText(sampleAccount.email)).toBeInTheDocument();
    expect(within(profile).getByText(sampleAccount.role)).toBeInTheDocument();
    expect(within(profile).getByText('Member since')).toBeInTheDocument();
  });

  it('lists the sessions, this device first with its badge', async () => {
    setup(fakeApi({ auth: { sessions: () => Promise.resolve([...sampleSessions].reverse()) } }));
    const items = await screen.findAllByTestId('session-item');
    expect(items).toHaveLength(2);
    expect(items.map((i) => i.dataset.current)).toEqual(['true', 'false']);
    expect(within(items[0]!).getByText('This device')).toBeInTheDocument();
    expect(within(items[1]!).queryByText('This device')).not.toBeInTheDocument();
    expect(within(items[1]!).getByText('Cara on macOS')).toBeInTheDocument();
    expect(within(items[1]!).getByText(/Signed in/)).toBeInTheDocument();
    expect(within(items[1]!).getByText(/Last used/)).toBeInTheDocument();
    expect(within(items[0]!).getByTestId('session-signout')).toHaveAccessibleName('Sign out of Cara on Linux (this device)');
  });

  it('signs another session out with RevokeSession and drops it from the list', async () => {
    const { api, onSignedOut, announce, user } = setup();
    const items = await screen.findAllByTestId('session-item');
    await user.click(within(items[1]!).getByTestId('session-signout'));
    expect(api.auth.revokeSession).toHaveBeenCalledWith('sess-laptop');
    await waitFor(() => expect(screen.getAllByTestId('session-item')).toHaveLength(1));
    expect(announce).toHaveBeenCalledWith('Signed out of Cara on macOS.');
    expect(onSignedOut).not.toHaveBeenCalled();
  });

  it('signing out the current session signs this device out', async () => {
    const revokeSession = vi.fn(() => Promise.resolve(signedOut));
    const { onSignedOut, user } = setup(fakeApi({ auth: { revokeSession } }));
    const [current] = await screen.findAllByTestId('session-item');
    await user.click(within(current!).getByTestId('session-signout'));
    expect(revokeSession).toHaveBeenCalledWith('sess-this');
    await waitFor(() => expect(onSignedOut).toHaveBeenCalledOnce());
  });

  it('shows a revoke error on its row', async () => {
    const { user } = setup(
      fakeApi({ auth: { revokeSession: () => Promise.reject(new CaraError('not_found', 'That session no longer exists')) } }),
    );
    const items = await screen.findAllByTestId('session-item');
    await user.click(within(items[1]!).getByTestId('session-signout'));
    expect(await within(items[1]!).findByRole('alert')).toHaveTextContent('That session no longer exists');
  });

  it('changes the password once the new one passes every rule and is confirmed, then reloads the sessions', async () => {
    const { api, user } = setup();
    await screen.findAllByTestId('session-item');
    expect(screen.getByTestId('change-current')).toHaveAttribute('autocomplete', 'current-password');
    expect(screen.getByTestId('change-new')).toHaveAttribute('autocomplete', 'new-password');
    expect(screen.getByTestId('change-confirm')).toHaveAttribute('autocomplete', 'new-password');
    expect(screen.getByTestId('change-submit')).toBeDisabled();

    await fillChange(user, 'MyPassword123', 'Pass1', 'Pass1');
    await waitFor(() =>
      expect(screen.getAllByTestId('password-rule').find((r) => r.dataset.rule === 'min_length')).toHaveAttribute(
        'data-ok',
        'false',
      ),
    );
    expect(screen.getByTestId('change-submit')).toBeDisabled();

    await user.clear(screen.getByTestId('change-new'));
    await user.type(screen.getByTestId('change-new'), 'SecurePass456');
    expect(await screen.findByText(/don’t match/)).toBeInTheDocument();
    expect(screen.getByTestId('change-confirm')).toHaveAttribute('aria-invalid', 'true');
    await user.clear(screen.getByTestId('change-confirm'));
    await user.type(screen.getByTestId('change-confirm'), 'SecurePass456');
    await waitFor(() => expect(screen.getByTestId('change-submit')).toBeEnabled());
    expect(api.auth.passwordChecklist).toHaveBeenLastCalledWith('SecurePass456', sampleAccount.email);

    await user.click(screen.getByTestId('change-submit'));
    expect(api.auth.changePassword).toHaveBeenCalledWith('MyPassword123', 'SecurePass456');
    const success = await screen.findByTestId('change-success');
    expect(success).toHaveTextContent(/other session was signed out/);
    expect(success).toHaveAttribute('role', 'status');
    expect(screen.getByTestId('change-current')).toHaveValue('');
    expect(screen.getByTestId('change-new')).toHaveValue('');
    await waitFor(() => expect(api.auth.sessions).toHaveBeenCalledTimes(2));
  });

  it('shows a wrong current password in the form and keeps what was typed', async () => {
    const { user } = setup(
      fakeApi({
        auth: { changePassword: () => Promise.reject(new CaraError('unauthorized', 'Current password is incorrect')) },
      }),
    );
    await fillChange(user, 'Nope12345', 'SecurePass456');
    await waitFor(() => expect(screen.getByTestId('change-submit')).toBeEnabled());
    await user.click(screen.getByTestId('change-submit'));
    const error = await screen.findByTestId('change-error');
    expect(error).toHaveTextContent('Current password is incorrect');
    expect(error).toHaveAttribute('role', 'alert');
    expect(screen.getByTestId('change-current')).toHaveFocus();
    expect(screen.getByTestId('change-new')).toHaveValue('SecurePass456');
    expect(screen.queryByTestId('change-success')).not.toBeInTheDocument();
  });

  it('shows each line of a policy error', async () => {
    const message = 'Password is too common\nPassword must not contain your email address';
    const { user } = setup(fakeApi({ auth: { changePassword: () => Promise.reject(new CaraError('invalid', message)) } }));
    await fillChange(user, 'MyPassword123', 'SecurePass456');
    await waitFor(() => expect(screen.getByTestId('change-submit')).toBeEnabled());
    await user.click(screen.getByTestId('change-submit'));
    const error = await screen.findByTestId('change-error');
    expect(within(error).getAllByRole('listitem')).toHaveLength(2);
  });

  it('signs out of this device', async () => {
    const { api, onSignedOut, user } = setup();
    await user.click(screen.getByTestId('signout'));
    expect(api.auth.logout).toHaveBeenCalledOnce();
    await waitFor(() => expect(onSignedOut).toHaveBeenCalledOnce());
  });

  it('signs out even when the session had already ended', async () => {
    const first = setup(fakeApi({ auth: { logout: () => Promise.reject(new CaraError('unauthorized', 'Session expired. Please log in again.')) } }));
    await first.user.click(screen.getByTestId('signout'));
    await waitFor(() => expect(first.onSignedOut).toHaveBeenCalledOnce());
  });

  it('keeps the user here when signing out fails for another reason', async () => {
    const { onSignedOut, user } = setup(
      fakeApi({ auth: { logout: () => Promise.reject(new CaraError('internal', 'Something went wrong')) } }),
    );
    await user.click(screen.getByTestId('signout'));
    expect(await screen.findByRole('alert')).toHaveTextContent('Something went wrong');
    expect(onSignedOut).not.toHaveBeenCalled();
    expect(screen.getByTestId('signout')).toBeEnabled();
  });
});
