import { useEffect, useId, useRef, useState } from 'react';
import type { ConnectionState } from '../api';
import { useApi } from '../api/ApiContext';

/**
 * ConnectionLost covers the page when Cara's app has closed under it (a
 * browser on wails dev: the page outlives the process), so nobody waits on
 * a reply that cannot come; and says so again when Cara is back, since the
 * page then needs a reload. Renders nothing while Cara answers.
 *
 * Test ids: connection-lost (data-state "closed" | "back"), connection-reload.
 */
export function ConnectionLost({ reload = () => window.location.reload() }: { reload?: () => void }) {
  const api = useApi();
  const ids = useId();
  const [state, setState] = useState<ConnectionState>('open');
  const buttonRef = useRef<HTMLButtonElement>(null);
  useEffect(() => api.onConnection(setState), [api]);
  useEffect(() => {
    if (state !== 'open') buttonRef.current?.focus();
  }, [state]);
  if (state === 'open') return null;
  const closed = state === 'closed';
  return (
    <div className="connection-lost" data-testid="connection-lost" data-state={state}>
      <div className="connection-lost-box" role="alertdialog" aria-modal="true" aria-labelledby={`${ids}-title`} aria-describedby={`${ids}-text`}>
        <h2 id={`${ids}-title`}>{closed ? 'Cara has closed — reopen it' : 'Cara is running again'}</h2>
        <p id={`${ids}-text`}>
          {closed
            ? 'The Cara app stopped, so this page can’t save or send anything. Start Cara again, then reload this page. What you had saved is kept.'
            : 'Reload this page to go on where you left off.'}
        </p>
        <button type="button" ref={buttonRef} className="button button-primary" data-testid="connection-reload" onClick={reload}>
          Reload
        </button>
      </div>
    </div>
  );
}
