import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StrictMode } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CaraError, SESSION_EXPIRED_MESSAGE, type AuthState } from './api';
import { ApiProvider } from './api/ApiContext';
import { App } from './App';
import { fakeApi } from './test/fakeApi';
import { sampleAccount, sampleReview, signedIn, signedOut } from './test/fixtures';

function renderApp(api = fakeApi()) {
  render(
    <ApiProvider value={api}>
      <App />
    </ApiProvider>,
  );
  return { api, user: userEvent.setup() };
}

const KEYCHAIN = "Cara can't reach the system keychain, so it will ask you to sign in each time it opens.";

describe('App', () => {
  beforeEach(() => localStorage.clear());

  it('reviews, shows the report, and goes back to the same text', async () => {
    const { user } = renderApp();
    expect(await screen.findByRole('navigation', { name: 'Main' })).toBeInTheDocument();
    expect(screen.getByRole('main')).toBeInTheDocument();
    expect(screen.getByTestId('nav-review')).toHaveAttribute('aria-current', 'page');
    await user.type(screen.getByTestId('review-input'), 'Some text to check.');
    await user.click(screen.getByTestId('review-submit'));
    expect(await screen.findByTestId('report')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(sampleReview.title);
    await waitFor(() => expect(document.title).toBe(`${sampleReview.title} — Cara`));
    await user.click(screen.getByRole('button', { name: /Edit text/ }));
    expect(screen.getByTestId('review-input')).toHaveValue('Some text to check.');
  });

  it('opens a saved review from History and returns to the list', async () => {
    const { user } = renderApp();
    await user.click(await screen.findByTestId('nav-history'));
    const [item] = await screen.findAllByTestId('history-item');
    await user.click(within(item!).getByText(sampleReview.title));
    expect(await screen.findByTestId('report')).toBeInTheDocument();
    expect(screen.getByTestId('nav-history')).toHaveAttribute('aria-current', 'page');
    await user.click(screen.getByRole('button', { name: /All sessions/ }));
    expect(await screen.findAllByTestId('history-item')).toHaveLength(1);
  });

  it('shows where data lives', async () => {
    renderApp();
    expect(await screen.findByTestId('data-dir')).toHaveTextContent('/data');
  });
});

describe('App and accounts', () => {
  beforeEach(() => localStorage.clear());

  it('shows a splash until Go answers, then the account in the sidebar and an Account screen', async () => {
    let resolve: (s: AuthState) => void = () => {};
    const api = fakeApi({ auth: { state: () => new Promise<AuthState>((r) => (resolve = r)) } });
    const { user } = renderApp(api);
    expect(screen.getByTestId('splash')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Opening');
    // Auth is asked once Info has said that Go started.
    await waitFor(() => expect(api.auth.state).toHaveBeenCalledOnce());
    expect(screen.getByTestId('splash')).toBeInTheDocument();
    await act(async () => resolve(signedIn));
    expect(await screen.findByTestId('account-email')).toHaveTextContent(sampleAccount.email);
    expect(screen.getByText(sampleAccount.name)).toBeInTheDocument();
    await user.click(screen.getByTestId('nav-account'));
    expect(screen.getByTestId('nav-account')).toHaveAttribute('aria-current', 'page');
    expect(await screen.findAllByTestId('session-item')).toHaveLength(2);
    await waitFor(() => expect(document.title).toBe('Account — Cara'));
  });

  it('opens Settings from the sidebar; a bad Gemini key stays in the form and keeps the session', async () => {
    const api = fakeApi({
      settings: {
        setGeminiKey: () => Promise.reject(new CaraError('invalid', "Your Gemini API key isn't valid")),
      },
    });
    const { user } = renderApp(api);
    await user.click(await screen.findByTestId('nav-settings'));
    expect(screen.getByTestId('nav-settings')).toHaveAttribute('aria-current', 'page');
    await waitFor(() => expect(document.title).toBe('Settings — Cara'));
    expect(await screen.findByTestId('gemini-status')).toHaveTextContent('Not connected');
    await user.type(screen.getByTestId('gemini-key-input'), 'nope');
    await user.click(screen.getByTestId('gemini-key-save'));
    expect(await screen.findByTestId('gemini-error')).toHaveTextContent("Your Gemini API key isn't valid");
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeInTheDocument();
  });

  it('opens on Join Cara the first time', async () => {
    renderApp(fakeApi({ auth: { state: () => Promise.resolve(signedOut) } }));
    expect(await screen.findByTestId('auth-join-tab')).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByTestId('join-email')).toHaveFocus();
    expect(document.title).toBe('Join Cara — Cara');
  });

  it('opens on Sign in once someone has signed in on this computer', async () => {
    localStorage.setItem('cara.signedInBefore', '1');
    renderApp(fakeApi({ auth: { state: () => Promise.resolve(signedOut) } }));
    expect(await screen.findByTestId('auth-signin-tab')).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByTestId('signin-email')).toHaveValue('');
  });

  it('asks Go for the state once, even under StrictMode, so a one-time notice is never dropped', async () => {
    const api = fakeApi({ auth: { state: () => Promise.resolve({ ...signedOut, notice: KEYCHAIN }) } });
    render(
      <StrictMode>
        <ApiProvider value={api}>
          <App />
        </ApiProvider>
      </StrictMode>,
    );
    expect(await screen.findByTestId('auth-notice')).toHaveTextContent(KEYCHAIN);
    expect(api.auth.state).toHaveBeenCalledOnce();
  });

  it('joins and lands in the app', async () => {
    const api = fakeApi({ auth: { state: () => Promise.resolve(signedOut) } });
    const { user } = renderApp(api);
    await user.type(await screen.findByTestId('join-email'), 'ana@example.com');
    await user.type(screen.getByTestId('join-name'), 'Ana Lima');
    await user.type(screen.getByTestId('join-password'), 'MyPassword123');
    await waitFor(() => expect(screen.getByTestId('join-submit')).toBeEnabled());
    await user.click(screen.getByTestId('join-submit'));
    expect(await screen.findByTestId('account-email')).toHaveTextContent(sampleAccount.email);
    expect(localStorage.getItem('cara.signedInBefore')).toBe('1');
  });

  it('goes back to Sign in with Go\'s message when a data call finds the session expired, keeping the draft', async () => {
    const api = fakeApi({
      history: { list: () => Promise.reject(new CaraError('unauthorized', SESSION_EXPIRED_MESSAGE)) },
    });
    const { user } = renderApp(api);
    await user.type(await screen.findByTestId('review-input'), 'Half-written note');
    await user.click(screen.getByTestId('nav-history'));

    const alert = await screen.findByTestId('auth-error');
    expect(alert).toHaveTextContent(SESSION_EXPIRED_MESSAGE);
    expect(alert).toHaveAttribute('role', 'alert');
    expect(screen.getByTestId('auth-signin-tab')).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByTestId('signin-email')).toHaveValue(sampleAccount.email);
    expect(screen.getByTestId('signin-password')).toHaveFocus();
    expect(screen.queryByRole('navigation', { name: 'Main' })).not.toBeInTheDocument();

    await user.type(screen.getByTestId('signin-password'), 'MyPassword123');
    await user.click(screen.getByTestId('signin-submit'));
    expect(api.auth.login).toHaveBeenCalledWith(sampleAccount.email, 'MyPassword123');
    expect(await screen.findByTestId('review-input')).toHaveValue('Half-written note');
  });

  it('goes back to Sign in when Go reports the session expired in the background', async () => {
    const api = fakeApi();
    renderApp(api);
    await screen.findByTestId('account-email');
    act(() => api.expireSession(SESSION_EXPIRED_MESSAGE));
    expect(await screen.findByTestId('auth-error')).toHaveTextContent(SESSION_EXPIRED_MESSAGE);
    // A second event while signed out changes nothing.
    act(() => api.expireSession('again'));
    expect(screen.getByTestId('auth-error')).toHaveTextContent(SESSION_EXPIRED_MESSAGE);
  });

  it('signs out of this device from the Account screen', async () => {
    const api = fakeApi();
    const { user } = renderApp(api);
    await user.click(await screen.findByTestId('nav-account'));
    await user.click(screen.getByTestId('signout'));
    expect(api.auth.logout).toHaveBeenCalledOnce();
    expect(await screen.findByTestId('auth-signin-tab')).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByText('You signed out.')).toBeInTheDocument();
    expect(screen.queryByTestId('auth-error')).not.toBeInTheDocument();
    // The next person on this computer does not see the last one's email.
    expect(screen.getByTestId('signin-email')).toHaveValue('');
  });

  it('shows the keychain notice once, dismissibly, across signing in', async () => {
    const api = fakeApi({
      auth: {
        state: () => Promise.resolve({ ...signedOut, notice: KEYCHAIN }),
        login: () => Promise.resolve({ ...signedIn, notice: KEYCHAIN }),
      },
    });
    const { user } = renderApp(api);
    const notice = await screen.findByTestId('auth-notice');
    expect(notice).toHaveTextContent(KEYCHAIN);
    expect(screen.getAllByTestId('auth-notice')).toHaveLength(1);
    await user.click(within(notice).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('auth-notice')).not.toBeInTheDocument();

    await user.click(screen.getByTestId('auth-signin-tab'));
    await user.type(screen.getByTestId('signin-email'), 'ana@example.com');
    await user.type(screen.getByTestId('signin-password'), 'MyPassword123');
    await user.click(screen.getByTestId('signin-submit'));
    await screen.findByTestId('account-email');
    expect(screen.queryByTestId('auth-notice')).not.toBeInTheDocument();
  });

  it('shows a notice that arrives with sign-in inside the app', async () => {
    const { user } = renderApp(fakeApi({ auth: { state: () => Promise.resolve({ ...signedIn, notice: KEYCHAIN }) } }));
    const notice = await screen.findByTestId('auth-notice');
    expect(notice).toHaveTextContent(KEYCHAIN);
    expect(screen.getByTestId('review-input')).toBeInTheDocument();
    await user.click(within(notice).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('auth-notice')).not.toBeInTheDocument();
  });

  it('falls back to the sign-in screen with the error when State fails', async () => {
    localStorage.setItem('cara.signedInBefore', '1');
    renderApp(fakeApi({ auth: { state: () => Promise.reject(new CaraError('internal', 'Something went wrong')) } }));
    expect(await screen.findByTestId('auth-error')).toHaveTextContent('Something went wrong');
    expect(screen.getByTestId('auth-signin-tab')).toHaveAttribute('aria-selected', 'true');
  });
});

describe('App when Go could not start', () => {
  beforeEach(() => localStorage.clear());

  const failedInfo = (startupError: string, dataDir = '/home/ana/.config/Cara') => () =>
    Promise.resolve({ version: '0.1.0', dataDir, os: 'linux/amd64', startupError });

  it('shows why, where the data is and a Quit button, and calls nothing else', async () => {
    const api = fakeApi({ system: { info: failedInfo('Cara is already running') } });
    const { user } = renderApp(api);

    const heading = await screen.findByRole('heading', { level: 1, name: "Cara can't start" });
    expect(heading).toHaveFocus();
    expect(screen.getByRole('main')).toHaveAccessibleName("Cara can't start");
    expect(screen.getByRole('alert')).toHaveTextContent('Cara is already running');
    expect(screen.getByTestId('startup-error-data-dir')).toHaveTextContent('/home/ana/.config/Cara');
    expect(screen.getByText('Data folder')).toBeInTheDocument();
    expect(document.title).toBe("Cara can't start — Cara");
    expect(screen.queryByTestId('splash')).not.toBeInTheDocument();
    expect(screen.queryByRole('navigation', { name: 'Main' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Quit' }));
    expect(api.system.quit).toHaveBeenCalledOnce();

    expect(api.system.info).toHaveBeenCalledOnce();
    expect(api.auth.state).not.toHaveBeenCalled();
    expect(api.review).not.toHaveBeenCalled();
    expect(api.history.list).not.toHaveBeenCalled();
  });

  it('shows a message of several lines one per line, and no folder when Go gave none', async () => {
    const api = fakeApi({
      system: { info: failedInfo("Cara can't read its data file\nMove it aside and open Cara again", '') },
    });
    renderApp(api);
    const alert = await screen.findByRole('alert');
    expect(within(alert).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      "Cara can't read its data file",
      'Move it aside and open Cara again',
    ]);
    expect(screen.queryByTestId('startup-error-data-dir')).not.toBeInTheDocument();
    expect(api.auth.state).not.toHaveBeenCalled();
  });

  it('says to close the window when Quit fails', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const api = fakeApi({
      system: {
        info: failedInfo('Cara is already running'),
        quit: () => Promise.reject(new CaraError('internal', 'Something went wrong')),
      },
    });
    const { user } = renderApp(api);
    await user.click(await screen.findByRole('button', { name: 'Quit' }));
    expect(await screen.findByText("Cara couldn't close itself. Close its window instead.")).toHaveAttribute(
      'role',
      'alert',
    );
    spy.mockRestore();
  });

  it('asks Info before Auth, and Auth once, under StrictMode', async () => {
    const api = fakeApi();
    render(
      <StrictMode>
        <ApiProvider value={api}>
          <App />
        </ApiProvider>
      </StrictMode>,
    );
    expect(await screen.findByTestId('review-input')).toBeInTheDocument();
    expect(api.auth.state).toHaveBeenCalledOnce();
    expect(api.system.info.mock.invocationCallOrder[0]).toBeLessThan(api.auth.state.mock.invocationCallOrder[0]!);
  });

  it('goes on to sign in as before when Info itself fails', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    renderApp(fakeApi({ system: { info: () => Promise.reject(new CaraError('internal', 'Something went wrong')) } }));
    expect(await screen.findByTestId('review-input')).toBeInTheDocument();
    expect(screen.queryByText("Cara can't start")).not.toBeInTheDocument();
    spy.mockRestore();
  });
});
