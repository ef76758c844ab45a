import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { toCaraError, type AuthState } from '../api';
import { useApi } from '../api/ApiContext';
import { EmailField } from '../components/EmailField';
import { ErrorMessage } from '../components/ErrorMessage';
import { PasswordChecklist } from '../components/PasswordChecklist';
import { PasswordField } from '../components/PasswordField';
import { Spinner } from '../components/Spinner';
import { usePasswordChecklist } from '../lib/usePasswordChecklist';

export type AuthTab = 'join' | 'signin';

export type SignedInState = Extract<AuthState, { signedIn: true }>;

export interface AuthScreenProps {
  initialTab: AuthTab;
  /** Pre-filled on the Sign in form (the account whose session expired). */
  initialEmail?: string;
  /** An error for the first tab shown, e.g. "Session expired. Please log in again." */
  initialError?: string;
  /** A calm word for the first tab shown, e.g. after signing out. */
  initialInfo?: string;
  /** The keychain notice, when there is one to show. */
  notice?: ReactNode;
  onSignedIn: (state: SignedInState) => void;
}

interface JoinForm {
  email: string;
  name: string;
  role: string;
  password: string;
}

const TABS: Array<{ id: AuthTab; label: string }> = [
  { id: 'join', label: 'Join Cara' },
  { id: 'signin', label: 'Sign in' },
];

/** "Join Cara" and "Sign in", each keeping what was typed when the other is shown or a call fails. */
export function AuthScreen({ initialTab, initialEmail = '', initialError = '', initialInfo = '', notice, onSignedIn }: AuthScreenProps) {
  const ids = useId();
  const [tab, setTab] = useState<AuthTab>(initialTab);
  const [join, setJoin] = useState<JoinForm>({ email: '', name: '', role: '', password: '' });
  const [signin, setSignin] = useState({ email: initialEmail, password: '' });
  const [joinError, setJoinError] = useState(initialTab === 'join' ? initialError : '');
  const [signinError, setSigninError] = useState(initialTab === 'signin' ? initialError : '');
  const [info, setInfo] = useState(initialInfo);
  // The form first shown takes focus; after that, focus stays where the user puts it.
  const [switched, setSwitched] = useState(false);
  const tabRefs = useRef<Record<AuthTab, HTMLButtonElement | null>>({ join: null, signin: null });

  useEffect(() => {
    document.title = `${tab === 'join' ? 'Join Cara' : 'Sign in'} — Cara`;
  }, [tab]);

  const show = (next: AuthTab, focusTab = false) => {
    if (next === tab) return;
    setInfo('');
    // Carry the e-mail across when the other form has none yet.
    if (next === 'signin' && signin.email === '' && join.email !== '') setSignin((s) => ({ ...s, email: join.email }));
    if (next === 'join' && join.email === '' && signin.email !== '') setJoin((j) => ({ ...j, email: signin.email }));
    setTab(next);
    setSwitched(true);
    if (focusTab) tabRefs.current[next]?.focus();
  };

  const onTabKey = (e: KeyboardEvent) => {
    const order = TABS.map((t) => t.id);
    const at = order.indexOf(tab);
    let next: AuthTab | undefined;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = order[(at + 1) % order.length];
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = order[(at - 1 + order.length) % order.length];
    else if (e.key === 'Home') next = order[0];
    else if (e.key === 'End') next = order[order.length - 1];
    if (!next) return;
    e.preventDefault();
    show(next, true);
  };

  return (
    <div className="auth">
      <a className="skip-link" href={`#${ids}-card`}>
        Skip to the form
      </a>
      <section className="auth-intro" aria-labelledby={`${ids}-title`}>
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            C
          </span>
          <div>
            <p className="brand-name">Cara</p>
            <p className="brand-tag">Communication coach</p>
          </div>
        </div>
        <h1 id={`${ids}-title`} className="auth-title">
          Say what you mean, and be heard.
        </h1>
        <p className="lede">
          Practise the messages, emails and talks that matter at work. Cara scores them, shows exactly what to change,
          and keeps your words on this computer.
        </p>
        <ul className="auth-points">
          <li>Works offline — no key, no network needed</li>
          <li>Your reviews stay on this device</li>
          <li>Several people can each have an account here</li>
        </ul>
      </section>

      <main className="auth-card" id={`${ids}-card`} tabIndex={-1}>
        {notice}
        <div className="tabs" role="tablist" aria-label="Your account" onKeyDown={onTabKey}>
          {TABS.map((t) => (
            <button
              key={t.id}
              ref={(el) => {
                tabRefs.current[t.id] = el;
              }}
              type="button"
              role="tab"
              id={`${ids}-tab-${t.id}`}
              className="tab"
              data-testid={t.id === 'join' ? 'auth-join-tab' : 'auth-signin-tab'}
              aria-selected={tab === t.id}
              aria-controls={`${ids}-panel-${t.id}`}
              tabIndex={tab === t.id ? 0 : -1}
              onClick={() => show(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>

        {info && (
          <p className="auth-info" role="status">
            {info}
          </p>
        )}

        <div role="tabpanel" id={`${ids}-panel-${tab}`} aria-labelledby={`${ids}-tab-${tab}`} className="tab-panel">
          {tab === 'join' ? (
            <JoinPanel
              form={join}
              onChange={setJoin}
              error={joinError}
              setError={setJoinError}
              onSignedIn={onSignedIn}
              onSignInInstead={() => {
                setSignin((s) => ({ ...s, email: join.email }));
                setJoinError('');
                // Straight to the password, as if the screen had opened on Sign in.
                setSwitched(false);
                setTab('signin');
              }}
              autoFocus={!switched}
            />
          ) : (
            <SignInPanel
              form={signin}
              onChange={setSignin}
              error={signinError}
              setError={setSigninError}
              onSignedIn={onSignedIn}
              autoFocus={!switched}
            />
          )}
        </div>
      </main>
    </div>
  );
}

/** Runs a sign-in call: busy while it runs, the error (re-announced each time) when it fails. */
function useSubmit(setError: (message: string) => void) {
  const [busy, setBusy] = useState(false);
  const [errorKey, setErrorKey] = useState(0);
  const run = async <T,>(call: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; code: string }> => {
    setBusy(true);
    setError('');
    try {
      const value = await call();
      return { ok: true, value };
    } catch (reason) {
      const err = toCaraError(reason);
      setError(err.message);
      setErrorKey((k) => k + 1);
      setBusy(false);
      return { ok: false, code: err.code };
    }
  };
  return { busy, setBusy, errorKey, run };
}

interface JoinPanelProps {
  form: JoinForm;
  onChange: (form: JoinForm) => void;
  error: string;
  setError: (message: string) => void;
  onSignedIn: (state: SignedInState) => void;
  onSignInInstead: () => void;
  /** Focus the first field (when the screen opens, not when a tab is chosen). */
  autoFocus: boolean;
}

function JoinPanel({ form, onChange, error, setError, onSignedIn, onSignInInstead, autoFocus }: JoinPanelProps) {
  const api = useApi();
  const ids = useId();
  const emailRef = useRef<HTMLInputElement>(null);
  const [roles, setRoles] = useState<string[]>([]);
  const [errorCode, setErrorCode] = useState('');
  const checklist = usePasswordChecklist(api, form.password, form.email);
  const { busy, setBusy, errorKey, run } = useSubmit(setError);

  useEffect(() => {
    let live = true;
    api.auth
      .roleSuggestions()
      .then((r) => live && setRoles(r))
      .catch(() => {
        // Suggestions are a convenience; the role is free text.
      });
    return () => {
      live = false;
    };
  }, [api]);

  useEffect(() => {
    if (autoFocus) emailRef.current?.focus();
    // Only when the screen opens; typing must not move focus.
  }, []);

  const set = (field: keyof JoinForm) => (value: string) => onChange({ ...form, [field]: value });
  const canSubmit = checklist.passes && !busy;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!canSubmit) return;
    const result = await run(() => api.auth.register({ ...form }));
    if (!result.ok) {
      setErrorCode(result.code);
      if (result.code === 'conflict') emailRef.current?.focus();
      return;
    }
    if (result.value.signedIn) onSignedIn(result.value);
    else setBusy(false);
  };

  return (
    <form className="auth-form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
      <h2 className="auth-form-title">Create your account</h2>
      <EmailField id={`${ids}-email`} inputRef={emailRef} value={form.email} onChange={set('email')} testId="join-email" />
      <div className="field">
        <label htmlFor={`${ids}-name`}>Name</label>
        <input
          id={`${ids}-name`}
          className="input"
          type="text"
          value={form.name}
          autoComplete="name"
          required
          data-testid="join-name"
          onChange={(e) => set('name')(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-role`}>
          Role <span className="optional">(optional)</span>
        </label>
        <input
          id={`${ids}-role`}
          className="input"
          type="text"
          value={form.role}
          autoComplete="organization-title"
          list={`${ids}-roles`}
          aria-describedby={`${ids}-role-hint`}
          data-testid="join-role"
          onChange={(e) => set('role')(e.target.value)}
        />
        <datalist id={`${ids}-roles`}>
          {roles.map((r) => (
            <option key={r} value={r} />
          ))}
        </datalist>
        <p id={`${ids}-role-hint`} className="hint">
          Pick a suggestion or type your own.
        </p>
      </div>
      <PasswordField
        id={`${ids}-password`}
        label="Password"
        value={form.password}
        onChange={set('password')}
        autoComplete="new-password"
        testId="join-password"
        describedBy={`${ids}-rules`}
        toggle
      />
      <PasswordChecklist
        id={`${ids}-rules`}
        rules={checklist.rules}
        unavailable={checklist.unavailable}
        untouched={form.password === ''}
      />

      {error && (
        <div className="auth-error-wrap" key={errorKey}>
          <ErrorMessage message={error} testId="auth-error" />
          {errorCode === 'conflict' && (
            <button type="button" className="button-link" onClick={onSignInInstead}>
              Sign in with this email instead
            </button>
          )}
        </div>
      )}

      <button
        type="submit"
        className="button button-primary button-large auth-submit"
        data-testid="join-submit"
        disabled={!canSubmit}
        aria-busy={busy}
      >
        {busy ? (
          <>
            <Spinner /> Creating your account…
          </>
        ) : (
          'Create account'
        )}
      </button>
      {!checklist.passes && !busy && (
        <p className="hint auth-gate-hint">The button turns on when the password meets every rule.</p>
      )}
    </form>
  );
}

interface SignInPanelProps {
  form: { email: string; password: string };
  onChange: (form: { email: string; password: string }) => void;
  error: string;
  setError: (message: string) => void;
  onSignedIn: (state: SignedInState) => void;
  /** Focus the first empty field (when the screen opens, not when a tab is chosen). */
  autoFocus: boolean;
}

function SignInPanel({ form, onChange, error, setError, onSignedIn, autoFocus }: SignInPanelProps) {
  const api = useApi();
  const ids = useId();
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const { busy, setBusy, errorKey, run } = useSubmit(setError);

  useEffect(() => {
    if (autoFocus) (form.email === '' ? emailRef : passwordRef).current?.focus();
    // Only when the screen opens; typing must not move focus.
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const result = await run(() => api.auth.login(form.email, form.password));
    if (!result.ok) {
      // Keep both fields as typed; put the caret back in the password.
      passwordRef.current?.focus();
      passwordRef.current?.select();
      return;
    }
    if (result.value.signedIn) onSignedIn(result.value);
    else setBusy(false);
  };

  return (
    <form className="auth-form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
      <h2 className="auth-form-title">Welcome back</h2>
      <EmailField
        id={`${ids}-email`}
        inputRef={emailRef}
        value={form.email}
        onChange={(email) => onChange({ ...form, email })}
        testId="signin-email"
      />
      <PasswordField
        id={`${ids}-password`}
        inputRef={passwordRef}
        label="Password"
        value={form.password}
        onChange={(password) => onChange({ ...form, password })}
        autoComplete="current-password"
        testId="signin-password"
        toggle
      />

      {error && <ErrorMessage key={errorKey} message={error} testId="auth-error" />}

      <button
        type="submit"
        className="button button-primary button-large auth-submit"
        data-testid="signin-submit"
        disabled={busy}
        aria-busy={busy}
      >
        {busy ? (
          <>
            <Spinner /> Signing in…
          </>
        ) : (
          'Sign in'
        )}
      </button>
    </form>
  );
}
