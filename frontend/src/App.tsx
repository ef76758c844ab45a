import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { errorMessage, withSessionGuard, type Account, type AuthState } from './api';
import { ApiProvider, useApi } from './api/ApiContext';
import { ConnectionLost } from './components/ConnectionLost';
import { KeychainNotice } from './components/KeychainNotice';
import { Splash } from './components/Splash';
import { AuthScreen, type AuthTab } from './screens/AuthScreen';
import { StartupErrorScreen } from './screens/StartupErrorScreen';
import { Workspace } from './Workspace';

type Phase =
  | { name: 'starting' }
  | { name: 'failed'; message: string; dataDir: string }
  | { name: 'signedOut'; tab: AuthTab; email: string; error: string; info: string; visit: number }
  | { name: 'signedIn'; account: Account; session: number };

/** Set once someone has signed in here, so later launches open on "Sign in" rather than "Join Cara". No personal data. */
const KNOWN_KEY = 'cara.signedInBefore';

function signedInBefore(): boolean {
  try {
    return window.localStorage.getItem(KNOWN_KEY) === '1';
  } catch {
    return false;
  }
}

function rememberSignedIn(): void {
  try {
    window.localStorage.setItem(KNOWN_KEY, '1');
  } catch {
    // Only picks the first tab next time.
  }
}

/**
 * The app's root: a splash while Go signs in silently, then the Join / Sign in
 * screen or the signed-in workspace. If Go could not start, it binds only the
 * System service and says why in Info: that is shown with a Quit button, and
 * nothing else is called. Any call that finds the session gone, and
 * Go's "auth:expired" event, lead back to Sign in with Go's message; the
 * draft is saved per account, so signing back in finds it.
 */
export function App() {
  return (
    <>
      <Screens />
      <ConnectionLost />
    </>
  );
}

/** The screen for where the app is: starting, failed, signed out or in. */
function Screens() {
  const api = useApi();
  const [phase, setPhase] = useState<Phase>({ name: 'starting' });
  const [notice, setNotice] = useState<{ text: string; dismissed: boolean } | null>(null);
  const phaseRef = useRef(phase);
  phaseRef.current = phase;
  const counter = useRef(0);

  /** The keychain notice is shown once: the same words again are not shown again, even after Dismiss. */
  const takeNotice = useCallback((state: AuthState) => {
    const text = state.notice.trim();
    if (text) setNotice((cur) => (cur?.text === text ? cur : { text, dismissed: false }));
  }, []);

  const signedOut = useCallback((tab: AuthTab, email = '', error = '', info = '') => {
    counter.current += 1;
    setPhase({ name: 'signedOut', tab, email, error, info, visit: counter.current });
  }, []);

  const signIn = useCallback(
    (state: AuthState) => {
      takeNotice(state);
      if (!state.signedIn) {
        signedOut(signedInBefore() ? 'signin' : 'join');
        return;
      }
      rememberSignedIn();
      counter.current += 1;
      setPhase({ name: 'signedIn', account: state.account, session: counter.current });
    },
    [signedOut, takeNotice],
  );

  /** The session behind `session` has ended: back to Sign in, unless that session is already gone. */
  const expire = useCallback(
    (message: string, session?: number) => {
      const cur = phaseRef.current;
      if (cur.name !== 'signedIn' || (session !== undefined && cur.session !== session)) return;
      signedOut('signin', cur.account.email, message);
    },
    [signedOut],
  );

  // Ask once per launch: Go hands its notice out only once, so an answer must
  // never be dropped (React's StrictMode runs effects twice in development).
  // Info comes first: when Go could not start, Auth is not bound at all.
  const asked = useRef(false);
  useEffect(() => {
    if (asked.current) return;
    asked.current = true;
    const askAuth = () => {
      api.auth
        .state()
        .then(signIn)
        .catch((e: unknown) => signedOut(signedInBefore() ? 'signin' : 'join', '', errorMessage(e)));
    };
    api.system.info().then(
      (info) => {
        if (info.startupError) setPhase({ name: 'failed', message: info.startupError, dataDir: info.dataDir });
        else askAuth();
      },
      // No answer about starting up is no news of a failure: Auth reports its own errors.
      askAuth,
    );
  }, [api, signIn, signedOut]);

  useEffect(() => api.onSessionExpired((message) => expire(message)), [api, expire]);

  const session = phase.name === 'signedIn' ? phase.session : 0;
  const guarded = useMemo(() => withSessionGuard(api, (message) => expire(message, session)), [api, expire, session]);

  const noticeNode =
    notice && !notice.dismissed ? (
      <KeychainNotice message={notice.text} onDismiss={() => setNotice({ ...notice, dismissed: true })} />
    ) : null;

  if (phase.name === 'starting') return <Splash />;

  if (phase.name === 'failed') return <StartupErrorScreen message={phase.message} dataDir={phase.dataDir} />;

  if (phase.name === 'signedOut') {
    return (
      <AuthScreen
        key={phase.visit}
        initialTab={phase.tab}
        initialEmail={phase.email}
        initialError={phase.error}
        initialInfo={phase.info}
        notice={noticeNode}
        onSignedIn={signIn}
      />
    );
  }

  return (
    <ApiProvider value={guarded}>
      <Workspace
        key={phase.session}
        account={phase.account}
        notice={noticeNode}
        onSignedOut={() => signedOut('signin', '', '', 'You signed out.')}
      />
    </ApiProvider>
  );
}
