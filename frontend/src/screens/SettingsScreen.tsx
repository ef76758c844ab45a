import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { toCaraError, type GeminiModel, type GeminiStatus } from '../api';
import { useApi } from '../api/ApiContext';
import { QueuePanel, UsagePanel } from '../components/AIUsagePanels';
import { ErrorMessage } from '../components/ErrorMessage';
import { PasswordField } from '../components/PasswordField';
import { Spinner } from '../components/Spinner';

export interface SettingsScreenProps {
  announce: (message: string) => void;
}

export function SettingsScreen({ announce }: SettingsScreenProps) {
  const ids = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  return (
    <section className="screen settings-screen" aria-labelledby={`${ids}-heading`}>
      <header className="screen-header">
        <p className="eyebrow">Settings</p>
        <h1 id={`${ids}-heading`} ref={headingRef} tabIndex={-1}>
          Settings
        </h1>
        <p className="lede">How Cara works for you on this computer.</p>
      </header>
      <GeminiPanel announce={announce} />
      <UsagePanel announce={announce} />
      <QueuePanel announce={announce} />
    </section>
  );
}

type Busy = '' | 'loading' | 'saving' | 'model' | 'removing';

/** The models to offer: the key's list, or at least the chosen model while the list is unknown. */
function modelOptions(status: GeminiStatus): GeminiModel[] {
  if (status.models.length > 0) return status.models;
  return status.model ? [{ id: status.model, displayName: status.model }] : [];
}

function GeminiPanel({ announce }: { announce: (message: string) => void }) {
  const api = useApi();
  const ids = useId();
  const [status, setStatus] = useState<GeminiStatus | null>(null);
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState<Busy>('loading');
  const [error, setError] = useState('');
  const [errorKey, setErrorKey] = useState(0);
  const [confirming, setConfirming] = useState(false);
  // The model just saved, said beside the picker until the next change.
  const [savedModel, setSavedModel] = useState('');
  // Gemini refused the saved key when the model list was refreshed (revoked,
  // or from another project): the key is kept, but it is not "connected".
  // The facade keeps this fact for every screen (onGeminiStatus).
  const [keyRefused, setKeyRefused] = useState(false);
  useEffect(() => api.onGeminiStatus((_status, refused) => setKeyRefused(refused)), [api]);

  const fail = (reason: unknown) => {
    setError(toCaraError(reason).message);
    setErrorKey((k) => k + 1);
  };

  useEffect(() => {
    let live = true;
    (async () => {
      try {
        const st = await api.settings.geminiStatus();
        if (!live) return;
        setStatus(st);
        if (st.hasKey) {
          // The picker's list comes from Gemini; without it the chosen model still shows.
          const fresh = await api.settings.geminiModels();
          if (live) setStatus(fresh);
        }
      } catch (reason) {
        if (live) fail(reason);
      } finally {
        if (live) setBusy('');
      }
    })();
    return () => {
      live = false;
    };
  }, [api]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (busy !== '' || key.trim() === '') return;
    setBusy('saving');
    setError('');
    setConfirming(false);
    setSavedModel('');
    try {
      const st = await api.settings.setGeminiKey(key);
      setStatus(st);
      setKey('');
      announce(`Gemini connected. Model ${st.model}.`);
    } catch (reason) {
      fail(reason);
    } finally {
      setBusy('');
    }
  };

  const chooseModel = async (model: string) => {
    if (busy !== '' || !status || model === status.model) return;
    setBusy('model');
    setError('');
    setSavedModel('');
    try {
      const st = await api.settings.setGeminiModel(model);
      setStatus(st);
      const name = modelOptions(st).find((m) => m.id === st.model)?.displayName || st.model;
      setSavedModel(name);
      announce(`Saved. Cara will use ${name}.`);
    } catch (reason) {
      fail(reason);
    } finally {
      setBusy('');
    }
  };

  const remove = async () => {
    if (busy !== '') return;
    setBusy('removing');
    setError('');
    try {
      const st = await api.settings.removeGeminiKey();
      setStatus(st);
      setConfirming(false);
      announce('Gemini key removed.');
    } catch (reason) {
      fail(reason);
    } finally {
      setBusy('');
    }
  };

  const connected = status?.hasKey === true && !keyRefused;
  const options = status ? modelOptions(status) : [];

  return (
    <section className="panel settings-section" aria-labelledby={`${ids}-title`} aria-busy={busy !== ''}>
      <div className="panel-head">
        <h2 id={`${ids}-title`}>Gemini</h2>
        <p className="panel-sub">
          Cara’s AI coaching calls Google’s Gemini directly from this computer, with your own API key (create one in
          Google AI Studio). The key stays in your system keychain: it is never saved in Cara’s data, never shown again,
          and only ever sent to Gemini. Without a key, the offline coach still works.
        </p>
      </div>

      <p className="settings-status" data-testid="gemini-status" data-connected={connected || undefined}>
        {busy === 'loading' && !status ? (
          <>
            <Spinner /> Checking…
          </>
        ) : connected ? (
          `Connected — key ${status.keyHint}`
        ) : keyRefused && status?.hasKey ? (
          `Key ${status.keyHint} saved, but Gemini refused it — replace it below`
        ) : (
          'Not connected — no Gemini key saved'
        )}
      </p>

      {connected && (
        <div className="field">
          <label htmlFor={`${ids}-model`}>Model</label>
          <select
            id={`${ids}-model`}
            className="input"
            data-testid="gemini-model"
            value={status.model}
            disabled={busy !== ''}
            onChange={(e) => void chooseModel(e.target.value)}
            aria-describedby={savedModel ? `${ids}-model-saved` : undefined}
          >
            {options.map((m) => (
              <option key={m.id} value={m.id}>
                {m.displayName === m.id ? m.id : `${m.displayName} (${m.id})`}
              </option>
            ))}
          </select>
          <p className="hint field-saved" id={`${ids}-model-saved`} role="status" data-testid="gemini-model-saved">
            {busy === 'model' ? 'Saving…' : savedModel ? `✓ Saved — Cara will use ${savedModel}.` : ''}
          </p>
        </div>
      )}

      <form className="account-form" onSubmit={(e) => void save(e)} noValidate>
        <PasswordField
          id={`${ids}-key`}
          label={status?.hasKey ? 'Replace the key' : 'Gemini API key'}
          value={key}
          onChange={setKey}
          autoComplete="off"
          testId="gemini-key-input"
          secretName="key"
          required={false}
          toggle
        />
        {error && <ErrorMessage key={errorKey} message={error} testId="gemini-error" />}
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            data-testid="gemini-key-save"
            disabled={busy !== '' || key.trim() === ''}
            aria-busy={busy === 'saving'}
          >
            {busy === 'saving' ? (
              <>
                <Spinner /> Checking your key…
              </>
            ) : (
              'Save key'
            )}
          </button>
          {status?.hasKey &&
            (confirming ? (
              <span className="confirm" role="group" aria-label="Confirm removing the Gemini key">
                <span className="confirm-text">Remove your Gemini key?</span>
                <button
                  type="button"
                  className="button button-danger"
                  data-testid="gemini-key-remove-confirm"
                  disabled={busy !== ''}
                  aria-busy={busy === 'removing'}
                  onClick={() => void remove()}
                >
                  {busy === 'removing' ? (
                    <>
                      <Spinner /> Removing…
                    </>
                  ) : (
                    'Remove'
                  )}
                </button>
                <button
                  type="button"
                  className="button button-secondary"
                  data-testid="gemini-key-remove-cancel"
                  onClick={() => setConfirming(false)}
                >
                  Keep
                </button>
              </span>
            ) : (
              <button
                type="button"
                className="button button-secondary"
                data-testid="gemini-key-remove"
                disabled={busy !== ''}
                onClick={() => setConfirming(true)}
              >
                Remove key
              </button>
            ))}
        </div>
      </form>
    </section>
  );
}
