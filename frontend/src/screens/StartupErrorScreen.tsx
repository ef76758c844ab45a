import { useEffect, useId, useRef, useState } from 'react';
import { useApi } from '../api/ApiContext';
import { ErrorMessage } from '../components/ErrorMessage';

export interface StartupErrorScreenProps {
  /** Go's words for what went wrong (AppInfo.startupError). */
  message: string;
  /** Where Cara keeps its data (AppInfo.dataDir); may be empty. */
  dataDir: string;
}

/**
 * What shows when Go could not start (Cara already running, a damaged data
 * file, a folder it cannot write to). Only the System service is bound then,
 * so this screen calls nothing but Quit.
 */
export function StartupErrorScreen({ message, dataDir }: StartupErrorScreenProps) {
  const api = useApi();
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [quitError, setQuitError] = useState('');

  useEffect(() => {
    document.title = "Cara can't start — Cara";
    headingRef.current?.focus();
  }, []);

  const quit = () => {
    setQuitError('');
    api.system.quit().catch((e: unknown) => {
      console.error('cara: quit failed', e);
      setQuitError("Cara couldn't close itself. Close its window instead.");
    });
  };

  return (
    <main className="startup-error" aria-labelledby={headingId} data-testid="startup-error">
      <div className="startup-error-card">
        <span className="brand-mark" aria-hidden="true">
          C
        </span>
        <h1 id={headingId} ref={headingRef} tabIndex={-1}>
          Cara can't start
        </h1>
        <ErrorMessage message={message} testId="startup-error-message" />
        {dataDir && (
          <dl className="startup-error-facts">
            <dt>Data folder</dt>
            <dd className="about-path" data-testid="startup-error-data-dir">
              {dataDir}
            </dd>
          </dl>
        )}
        <div className="startup-error-actions">
          <button type="button" className="button button-primary button-large" onClick={quit} data-testid="quit">
            Quit
          </button>
        </div>
        {quitError && (
          <p className="error" role="alert">
            {quitError}
          </p>
        )}
      </div>
    </main>
  );
}
