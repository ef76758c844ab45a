import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CaraError } from '../api';
import { ApiProvider } from '../api/ApiContext';
import { fakeApi } from '../test/fakeApi';
import { signedIn } from '../test/fixtures';
import { AuthScreen, type AuthScreenProps } from './AuthScreen';

function setup(api = fakeApi(), props: Partial<AuthScreenProps> = {}) {
  const onSignedIn = vi.fn();
  render(
    <ApiProvider value={api}>
      <AuthScreen initialTab="join" onSignedIn={onSignedIn} {...props} />
    </ApiProvider>,
  );
  return { api, onSignedIn, user: userEvent.setup() };
}

function rule(id: string): HTMLElement {
  const el = screen.getAllByTestId('password-rule').find((r) => r.dataset.rule === id);
  if (!el) throw new Error(`no rule ${id}`);
  return el;
}

describe('Join Cara', () => {
  it('labels every field with the right autocomplete', async () => {
    setup();
    expect(screen.getByLabelText('Email')).toHaveAttribute('autocomplete', 'email');
    expect(screen.getByLabelText('Name')).toHaveAttribute('autocomplete', 'name');
    expect(screen.getByLabelText(/Role/)).toHaveAttribute('autocomplete', 'organization-title');
    expect(screen.getByLabelText('Password')).toHaveAttribute('autocomplete', 'new-password');
    expect(screen.getByLabelText('Password')).toHaveAttribute('type', 'password');
    expect(document.title).toBe('Join Cara — Cara');
  });

  it('shows every rule at once and updates the checklist as the password is typed', async () => {
    const { api, user } = setup();
    await waitFor(() => expect(screen.getAllByTestId('password-rule')).toHaveLength(7));
    expect(screen.getAllByTestId('password-rule').map((r) => r.dataset.rule)).toEqual([
      'min_length',
      'upper',
      'lower',
      'digit',
      'max_bytes',
      'not_common',
      'not_email',
    ]);
    expect(rule('min_length')).toHaveAttribute('data-ok', 'false');
    expect(screen.getByRole('list', { name: 'Password rules' })).toBeInTheDocument();
    expect(screen.getByTestId('join-submit')).toBeDisabled();

    await user.type(screen.getByTestId('join-email'), 'maria@example.com');
    await user.type(screen.getByTestId('join-password'), 'Pass1');
    await waitFor(() => expect(rule('upper')).toHaveAttribute('data-ok', 'true'));
    expect(rule('digit')).toHaveAttribute('data-ok', 'true');
    expect(rule('min_length')).toHaveAttribute('data-ok', 'false');
    expect(screen.getByText('6 of 7 password rules met.')).toHaveAttribute('aria-live', 'polite');
    expect(screen.getByTestId('join-submit')).toBeDisabled();
    expect(api.auth.passwordChecklist).toHaveBeenLastCalledWith('Pass1', 'maria@example.com');

    await user.type(screen.getByTestId('join-password'), 'Maria');
    await waitFor(() => expect(rule('not_email')).toHaveAttribute('data-ok', 'false'));
    expect(screen.getByTestId('join-submit')).toBeDisabled();

    await user.clear(screen.getByTestId('join-password'));
    await user.type(screen.getByTestId('join-password'), 'MyPassword123');
    await waitFor(() => expect(screen.getByTestId('join-submit')).toBeEnabled());
    expect(screen.getAllByTestId('password-rule').every((r) => r.dataset.ok === 'true')).toBe(true);
    expect(screen.getByText('All password rules met.')).toBeInTheDocument();
  });

  it('debounces: a burst of typing asks Go once for the final password', async () => {
    const { api, user } = setup();
    await waitFor(() => expect(api.auth.passwordChecklist).toHaveBeenCalledTimes(1));
    await user.type(screen.getByTestId('join-password'), 'SecurePass456');
    await waitFor(() => expect(screen.getByTestId('join-submit')).toBeEnabled());
    expect(api.auth.passwordChecklist.mock.calls.length).toBeLessThan(1 + 'SecurePass456'.length);
    expect(api.auth.passwordChecklist).toHaveBeenLastCalledWith('SecurePass456', '');
  });

  it('registers with what was typed and hands back the signed-in state', async () => {
    const { api, onSignedIn, user } = setup();
    await user.type(screen.getByTestId('join-email'), 'ana@example.com');
    await user.type(screen.getByTestId('join-name'), 'Ana Lima');
    await user.type(screen.getByTestId('join-role'), 'Designer');
    await user.type(screen.getByTestId('join-password'), 'MyPassword123');
    await waitFor(() => expect(screen.getByTestId('join-submit')).toBeEnabled());
    await user.click(screen.getByTestId('join-submit'));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(signedIn));
    expect(api.auth.register).toHaveBeenCalledWith({
      email: 'ana@example.com',
      name: 'Ana Lima',
      role: 'Designer',
      password: 'MyPassword123',
    });
  });

  it('offers the role suggestions', async () => {
    setup();
    const input = screen.getByTestId('join-role');
    const listId = input.getAttribute('list');
    await waitFor(() => expect(document.getElementById(listId!)?.querySelectorAll('option')).toHaveLength(3));
    expect(document.querySelector(`#${CSS.escape(listId!)} option`)).toHaveAttribute('value', 'Software Engineer');
  });

  it('shows every line of a server error and keeps what was typed', async () => {
    const message = 'Name is required\nPassword is too common';
    const { user } = setup(fakeApi({ auth: { register: () => Promise.reject(new CaraError('invalid', message)) } }));
    await user.type(screen.getByTestId('join-email'), 'ana@example.com');
    await user.type(screen.getByTestId('join-password'), 'MyPassword123');
    await waitFor(() => expect(screen.getByTestId('join-submit')).toBeEnabled());
    await user.click(screen.getByTestId('join-submit'));
    const alert = await screen.findByTestId('auth-error');
    expect(alert).toHaveAttribute('role', 'alert');
    expect(within(alert).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Name is required',
      'Password is too common',
    ]);
    expect(screen.getByTestId('join-email')).toHaveValue('ana@example.com');
    expect(screen.getByTestId('join-password')).toHaveValue('MyPassword123');
    expect(screen.getByTestId('join-submit')).toBeEnabled();
  });

  it('on a taken email, offers to sign in with it', async () => {
    const { user } = setup(
      fakeApi({
        auth: { register: () => Promise.reject(new CaraError('conflict', 'An account with this email already exists')) },
      }),
    );
    await user.type(screen.getByTestId('join-email'), 'ana@example.com');
    await user.type(screen.getByTestId('join-name'), 'Ana');
    await user.type(screen.getByTestId('join-password'), 'MyPassword123');
    await waitFor(() => expect(screen.getByTestId('join-submit')).toBeEnabled());
    await user.click(screen.getByTestId('join-submit'));
    expect(await screen.findByTestId('auth-error')).toHaveTextContent('An account with this email already exists');
    await user.click(screen.getByRole('button', { name: 'Sign in with this email instead' }));
    expect(screen.getByTestId('signin-email')).toHaveValue('ana@example.com');
    expect(screen.getByTestId('signin-password')).toHaveFocus();
  });

  it('shows and hides the password', async () => {
    const { user } = setup();
    const input = screen.getByTestId('join-password');
    const toggle = screen.getByRole('button', { name: 'Show password' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await user.click(toggle);
    expect(input).toHaveAttribute('type', 'text');
    expect(screen.getByRole('button', { name: 'Hide password' })).toHaveAttribute('aria-pressed', 'true');
    await user.click(screen.getByRole('button', { name: 'Hide password' }));
    expect(input).toHaveAttribute('type', 'password');
  });

  it('lets the submit through when the checklist cannot be fetched, so Go decides', async () => {
    const { user } = setup(fakeApi({ auth: { passwordChecklist: () => Promise.reject(new Error('no runtime')) } }));
    expect(await screen.findByText(/could not be checked here/)).toBeInTheDocument();
    expect(screen.getByTestId('join-submit')).toBeDisabled();
    await user.type(screen.getByTestId('join-password'), 'x');
    expect(screen.getByTestId('join-submit')).toBeEnabled();
  });
});

describe('Sign in', () => {
  it('shows "Invalid credentials" exactly as Go says it and keeps the email', async () => {
    const { api, user } = setup(
      fakeApi({ auth: { login: () => Promise.reject(new CaraError('unauthorized', 'Invalid credentials')) } }),
      { initialTab: 'signin' },
    );
    expect(screen.getByTestId('signin-email')).toHaveFocus();
    expect(screen.getByLabelText('Email')).toHaveAttribute('autocomplete', 'email');
    expect(screen.getByLabelText('Password')).toHaveAttribute('autocomplete', 'current-password');
    await user.type(screen.getByTestId('signin-email'), 'ana@example.com');
    await user.type(screen.getByTestId('signin-password'), 'WrongPass1');
    await user.click(screen.getByTestId('signin-submit'));
    const alert = await screen.findByTestId('auth-error');
    expect(alert).toHaveTextContent(/^Invalid credentials$/);
    expect(alert).toHaveAttribute('role', 'alert');
    expect(api.auth.login).toHaveBeenCalledWith('ana@example.com', 'WrongPass1');
    expect(screen.getByTestId('signin-email')).toHaveValue('ana@example.com');
    expect(screen.getByTestId('signin-password')).toHaveValue('WrongPass1');
    expect(screen.getByTestId('signin-password')).toHaveFocus();
  });

  it('shows the throttling message as is, then signs in', async () => {
    const login = vi
      .fn()
      .mockRejectedValueOnce(new CaraError('too_many_requests', 'Too many attempts. Try again in 4 seconds.'))
      .mockResolvedValueOnce(signedIn);
    const { onSignedIn, user } = setup(fakeApi({ auth: { login } }), { initialTab: 'signin' });
    await user.type(screen.getByTestId('signin-email'), 'ana@example.com');
    await user.type(screen.getByTestId('signin-password'), 'MyPassword123');
    await user.click(screen.getByTestId('signin-submit'));
    expect(await screen.findByTestId('auth-error')).toHaveTextContent('Too many attempts. Try again in 4 seconds.');
    await user.click(screen.getByTestId('signin-submit'));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(signedIn));
    expect(screen.queryByTestId('auth-error')).not.toBeInTheDocument();
  });

  it('opens with a message and the email of the expired session', () => {
    setup(fakeApi(), {
      initialTab: 'signin',
      initialEmail: 'ana@example.com',
      initialError: 'Session expired. Please log in again.',
    });
    expect(screen.getByTestId('auth-error')).toHaveTextContent('Session expired. Please log in again.');
    expect(screen.getByTestId('signin-email')).toHaveValue('ana@example.com');
    expect(screen.getByTestId('signin-password')).toHaveFocus();
    expect(document.title).toBe('Sign in — Cara');
  });
});

describe('the tabs', () => {
  it('switch by click and by arrow keys, keeping what each form holds', async () => {
    const { user } = setup();
    expect(screen.getByRole('tablist')).toBeInTheDocument();
    await user.type(screen.getByTestId('join-email'), 'ana@example.com');
    await user.type(screen.getByTestId('join-name'), 'Ana');
    await user.click(screen.getByTestId('auth-signin-tab'));
    expect(screen.getByTestId('auth-signin-tab')).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('tabpanel')).toHaveAccessibleName('Sign in');
    expect(screen.getByTestId('signin-email')).toHaveValue('ana@example.com');

    screen.getByTestId('auth-signin-tab').focus();
    await user.keyboard('{ArrowLeft}');
    expect(screen.getByTestId('auth-join-tab')).toHaveFocus();
    expect(screen.getByTestId('auth-join-tab')).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByTestId('join-name')).toHaveValue('Ana');
  });

  it('put the keychain notice above the forms', () => {
    setup(fakeApi(), { notice: <p data-testid="auth-notice">No keychain</p> });
    expect(screen.getByTestId('auth-notice')).toBeInTheDocument();
  });
});
