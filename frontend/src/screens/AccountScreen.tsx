import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { errorMessage, toCaraError, type Account, type SessionInfo } from '../api';
import { useApi } from '../api/ApiContext';
import { ErrorMessage } from '../components/ErrorMessage';
import { PasswordChecklist } from '../components/PasswordChecklist';
import { PasswordField } from '../components/PasswordField';
import { Spinner } from '../components/Spinner';
import { formatFull, formatWhen, parseTime } from '../lib/format';
import { usePasswordChecklist } from '../lib/usePasswordChecklist';

export interface AccountScreenProps {
  account: Account;
  /** This device is signed out: back to the Sign in screen. */
  onSignedOut: () => void;
  announce: (message: string) => void;
}

const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });

function memberSince(createdAt: string): string {
  const d = parseTime(createdAt);
  return d ? dateOnly.format(d) : '';
}

export function AccountScreen({ account, onSignedOut, announce }: AccountScreenProps) {
  const ids = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [reloadSessions, setReloadSessions] = useState(0);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  return (
    <section className="screen account-screen" aria-labelledby={`${ids}-heading`}>
      <header className="screen-header">
        <p className="eyebrow">Account</p>
        <h1 id={`${ids}-heading`} ref={headingRef} tabIndex={-1}>
          {account.name || 'Your account'}
        </h1>
        <p className="lede">Your profile, your password, and every place you are signed in to Cara.</p>
      </header>

      <section className="panel account-section" aria-labelledby={`${ids}-profile`}>
        <h2 id={`${ids}-profile`}>Profile</h2>
        <dl className="profile">
          <div>
            <dt>Name</dt>
            <dd>{account.name || '—'}</dd>
          </div>
          <div>
            <dt>Email</dt>
            <dd className="profile-email">{account.email}</dd>
          </div>
          <div>
            <dt>Role</dt>
            <dd>{account.role || <span className="muted">Not set</span>}</dd>
          </div>
          <div>
            <dt>Member since</dt>
            <dd>
              <time dateTime={account.createdAt} title={formatFull(account.createdAt)}>
                {memberSince(account.createdAt)}
              </time>
            </dd>
          </div>
        </dl>
      </section>

      <ChangePassword email={account.email} onChanged={() => setReloadSessions((n) => n + 1)} />

      <Sessions reload={reloadSessions} onSignedOut={onSignedOut} announce={announce} />

      <SignOut onSignedOut={onSignedOut} />
    </section>
  );
}

function ChangePassword({ email, onChanged }: { email: string; onChanged: () => void }) {
  const api = useApi();
  const ids = useId();
  const currentRef = useRef<HTMLInputElement>(null);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [errorKey, setErrorKey] = useState(0);
  const [success, setSuccess] = useState(false);
  const checklist = usePasswordChecklist(api, next, email);

  const mismatch = confirm !== '' && confirm !== next;
  const canSubmit = !busy && current !== '' && checklist.passes && confirm === next;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!canSubmit) return;
    setBusy(true);
    setError('');
    setSuccess(false);
    try {
      await api.auth.changePassword(current, next);
      setCurrent('');
      setNext('');
      setConfirm('');
      setSuccess(true);
      onChanged();
    } catch (reason) {
      const err = toCaraError(reason);
      setError(err.message);
      setErrorKey((k) => k + 1);
      if (err.code === 'unauthorized') {
        currentRef.current?.focus();
        currentRef.current?.select();
      }
    } finally {
      setBusy(false);
    }
  };

  const edit = (setter: (v: string) => void) => (value: string) => {
    setter(value);
    setSuccess(false);
  };

  return (
    <section className="panel account-section" aria-labelledby={`${ids}-title`}>
      <div className="panel-head">
        <h2 id={`${ids}-title`}>Change password</h2>
        <p className="panel-sub">
          After the change, every other device signed in to this account is signed out; this one stays signed in.
        </p>
      </div>
      <form className="account-form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
        <PasswordField
          id={`${ids}-current`}
          inputRef={currentRef}
          label="Current password"
          value={current}
          onChange={edit(setCurrent)}
          autoComplete="current-password"
          testId="change-current"
        />
        <PasswordField
          id={`${ids}-new`}
          label="New password"
          value={next}
          onChange={edit(setNext)}
          autoComplete="new-password"
          testId="change-new"
          describedBy={`${ids}-rules`}
          toggle
        />
        <PasswordChecklist
          id={`${ids}-rules`}
          rules={checklist.rules}
          unavailable={checklist.unavailable}
          untouched={next === ''}
        />
        <PasswordField
          id={`${ids}-confirm`}
          label="Confirm new password"
          value={confirm}
          onChange={edit(setConfirm)}
          autoComplete="new-password"
          testId="change-confirm"
          describedBy={`${ids}-match`}
          invalid={mismatch}
        />
        <p id={`${ids}-match`} className={mismatch ? 'field-problem' : 'sr-only'} aria-live="polite">
          {mismatch ? 'The two new passwords don’t match yet.' : ''}
        </p>

        {error && <ErrorMessage key={errorKey} message={error} testId="change-error" />}
        {success && (
          <p className="success" role="status" data-testid="change-success">
            Password changed. Every other session was signed out — sign in there again with the new password.
          </p>
        )}

        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            data-testid="change-submit"
            disabled={!canSubmit}
            aria-busy={busy}
          >
            {busy ? (
              <>
                <Spinner /> Changing…
              </>
            ) : (
              'Change password'
            )}
          </button>
        </div>
      </form>
    </section>
  );
}

type SessionsLoad =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; items: SessionInfo[] };

/** This device first, then the most recently used. */
function ordered(items: SessionInfo[]): SessionInfo[] {
  const used = (s: SessionInfo) => parseTime(s.lastUsedAt)?.getTime() ?? 0;
  return [...items].sort((a, b) => Number(b.current) - Number(a.current) || used(b) - used(a));
}

function Sessions({
  reload,
  onSignedOut,
  announce,
}: {
  reload: number;
  onSignedOut: () => void;
  announce: (message: string) => void;
}) {
  const api = useApi();
  const ids = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [load, setLoad] = useState<SessionsLoad>({ state: 'loading' });
  const [busyId, setBusyId] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ id: string; message: string } | null>(null);

  const fetchSessions = useCallback(() => {
    let live = true;
    api.auth
      .sessions()
      .then((items) => live && setLoad({ state: 'ready', items: ordered(items) }))
      .catch((e: unknown) => live && setLoad({ state: 'error', message: errorMessage(e) }));
    return () => {
      live = false;
    };
  }, [api]);

  useEffect(() => fetchSessions(), [fetchSessions, reload]);

  const revoke = async (session: SessionInfo) => {
    if (busyId) return;
    setBusyId(session.id);
    setRowError(null);
    try {
      const state = await api.auth.revokeSession(session.id);
      if (!state.signedIn) {
        onSignedOut();
        return;
      }
      setLoad((cur) => (cur.state === 'ready' ? { ...cur, items: cur.items.filter((s) => s.id !== session.id) } : cur));
      announce(`Signed out of ${session.device || 'that device'}.`);
      headingRef.current?.focus();
    } catch (e) {
      setRowError({ id: session.id, message: errorMessage(e) });
    } finally {
      setBusyId(null);
    }
  };

  return (
    <section className="panel account-section" aria-labelledby={`${ids}-title`}>
      <div className="panel-head">
        <h2 id={`${ids}-title`} ref={headingRef} tabIndex={-1}>
          Signed-in sessions
        </h2>
        <p className="panel-sub">Each copy of Cara you signed in to. Sign out of any you no longer use.</p>
      </div>

      {load.state === 'loading' && (
        <p className="muted loading" role="status">
          <Spinner /> Loading sessions…
        </p>
      )}
      {load.state === 'error' && (
        <p className="error" role="alert">
          {load.message}
        </p>
      )}
      {load.state === 'ready' && load.items.length === 0 && <p className="muted">No other sessions.</p>}
      {load.state === 'ready' && load.items.length > 0 && (
        <ul className="session-list" aria-label="Sessions">
          {load.items.map((s) => {
            const device = s.device || 'Unknown device';
            const busy = busyId === s.id;
            return (
              <li key={s.id} className="session-item" data-testid="session-item" data-current={s.current ? 'true' : 'false'}>
                <div className="session-main">
                  <p className="session-device">
                    {device}
                    {s.current && <span className="badge">This device</span>}
                  </p>
                  <p className="session-meta">
                    Signed in{' '}
                    <time dateTime={s.createdAt} title={formatFull(s.createdAt)}>
                      {formatWhen(s.createdAt)}
                    </time>
                    {' · '}Last used{' '}
                    <time dateTime={s.lastUsedAt} title={formatFull(s.lastUsedAt)}>
                      {formatWhen(s.lastUsedAt)}
                    </time>
                  </p>
                </div>
                <button
                  type="button"
                  className="button button-secondary button-small"
                  data-testid="session-signout"
                  aria-label={s.current ? `Sign out of ${device} (this device)` : `Sign out of ${device}`}
                  disabled={busy}
                  aria-busy={busy}
                  onClick={() => void revoke(s)}
                >
                  {busy ? (
                    <>
                      <Spinner /> Signing out…
                    </>
                  ) : (
                    'Sign out'
                  )}
                </button>
                {rowError?.id === s.id && (
                  <p className="error session-row-error" role="alert">
                    {rowError.message}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function SignOut({ onSignedOut }: { onSignedOut: () => void }) {
  const api = useApi();
  const ids = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const signOut = async () => {
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      await api.auth.logout();
      onSignedOut();
    } catch (reason) {
      const err = toCaraError(reason);
      // A session that has already ended is signed out all the same.
      if (err.code === 'unauthorized') {
        onSignedOut();
        return;
      }
      setError(err.message);
      setBusy(false);
    }
  };

  return (
    <section className="panel account-section account-signout" aria-labelledby={`${ids}-title`}>
      <div>
        <h2 id={`${ids}-title`}>Sign out of this device</h2>
        <p className="panel-sub">Your reviews stay on this computer, and your draft waits for your next sign-in.</p>
      </div>
      <button
        type="button"
        className="button button-secondary"
        data-testid="signout"
        disabled={busy}
        aria-busy={busy}
        onClick={() => void signOut()}
      >
        {busy ? (
          <>
            <Spinner /> Signing out…
          </>
        ) : (
          'Sign out'
        )}
      </button>
      {error && (
        <p className="error account-signout-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
