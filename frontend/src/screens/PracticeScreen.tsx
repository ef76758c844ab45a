import { useEffect, useId, useRef, useState } from 'react';
import { errorMessage, type Chat, type ContextDoc } from '../api';
import { useApi } from '../api/ApiContext';
import { ContextField, type RefusedFile } from '../components/ContextField';
import { Spinner } from '../components/Spinner';
import { readFileBytes } from '../lib/base64';
import { useCatalog } from '../lib/useCatalog';
import { ChatView } from './ChatView';

export interface PracticeScreenProps {
  announce: (message: string) => void;
  onOpenSettings?: (() => void) | undefined;
  /** Ids of practices deleted (in History) while this screen kept one open. */
  deletedIds?: ReadonlySet<string>;
}

/**
 * The conversation simulator: choose a scenario and a persona, optionally
 * attach a .txt/.md file as context, Start; then the chat (ChatView). A
 * finished or abandoned chat stays in History.
 *
 * Test ids: practice-picker, practice-scenario-<id>, practice-persona-<id>
 * (the radio inputs), practice-start, practice-error; ContextField's and
 * ChatView's ids.
 */
export function PracticeScreen({ announce, onOpenSettings, deletedIds }: PracticeScreenProps) {
  const api = useApi();
  const ids = useId();
  const catalog = useCatalog(api);
  const [scenarioId, setScenarioId] = useState('');
  const [personaId, setPersonaId] = useState('');
  const [context, setContext] = useState<ContextDoc | null>(null);
  const [refused, setRefused] = useState<RefusedFile | null>(null);
  const [opening, setOpening] = useState(false);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState('');
  const [chat, setChat] = useState<Chat | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // Preselect the first of each, so Start is one click away.
  useEffect(() => {
    if (catalog.state !== 'ready') return;
    setScenarioId((cur) => cur || catalog.catalog.scenarios[0]?.id || '');
    setPersonaId((cur) => cur || catalog.catalog.personas[0]?.id || '');
  }, [catalog]);

  useEffect(() => {
    if (!chat) headingRef.current?.focus();
  }, [chat]);

  // The open chat was deleted in History: close it rather than show text
  // that is gone.
  useEffect(() => {
    if (chat && deletedIds?.has(chat.id)) setChat(null);
  }, [chat, deletedIds]);

  const openContext = async (files: FileList | File[] | null) => {
    const file = files ? Array.from(files)[0] : undefined;
    if (!file || opening || catalog.state !== 'ready') return;
    setOpening(true);
    setRefused(null);
    try {
      const doc = await api.practice.importContext(file.name, await readFileBytes(file), catalog.catalog.limits.context);
      setContext(doc);
      announce(`Context added: ${doc.name}.`);
    } catch (e) {
      setContext(null);
      setRefused({ name: file.name, message: errorMessage(e) });
    } finally {
      setOpening(false);
    }
  };

  const start = async () => {
    if (starting || !scenarioId || !personaId) return;
    setStarting(true);
    setError('');
    try {
      const next = await api.practice.start({ scenarioId, personaId, ...(context ? { context } : {}) });
      setChat(next);
      announce('Conversation started.');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setStarting(false);
    }
  };

  if (chat) {
    return (
      <ChatView
        key={chat.id}
        chat={chat}
        catalog={catalog}
        onChange={setChat}
        announce={announce}
        onOpenSettings={onOpenSettings}
        back={{ label: 'New conversation', onClick: () => setChat(null) }}
      />
    );
  }

  return (
    <section className="screen practice-screen" aria-labelledby={`${ids}-heading`} data-testid="practice-picker">
      <header className="screen-header">
        <p className="eyebrow">Conversation</p>
        <h1 id={`${ids}-heading`} ref={headingRef} tabIndex={-1}>
          Practise a conversation
        </h1>
        <p className="lede">
          Pick a situation and who you’ll talk to. The reply streams in as Gemini writes it; end the session for
          scored feedback. Your turns are saved as you go.
        </p>
      </header>

      {catalog.state === 'loading' && (
        <p className="muted loading" role="status">
          <Spinner /> Loading scenarios…
        </p>
      )}
      {catalog.state === 'error' && (
        <p className="error" role="alert" data-testid="practice-error">
          {catalog.message}
        </p>
      )}

      {catalog.state === 'ready' && (
        <form
          className="practice-form"
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          <fieldset className="choice-group">
            <legend>Scenario</legend>
            <div className="choice-cards">
              {catalog.catalog.scenarios.map((s) => (
                <label key={s.id} className="choice-card" data-checked={s.id === scenarioId || undefined}>
                  <input
                    type="radio"
                    name={`${ids}-scenario`}
                    value={s.id}
                    checked={s.id === scenarioId}
                    data-testid={`practice-scenario-${s.id}`}
                    aria-describedby={`${ids}-s-${s.id}`}
                    onChange={() => setScenarioId(s.id)}
                  />
                  <span className="choice-title">{s.title}</span>
                  <span className="choice-about" id={`${ids}-s-${s.id}`}>
                    {s.description}
                  </span>
                </label>
              ))}
            </div>
          </fieldset>

          <fieldset className="choice-group">
            <legend>Talk to</legend>
            <div className="choice-cards choice-cards-small">
              {catalog.catalog.personas.map((p) => (
                <label key={p.id} className="choice-card" data-checked={p.id === personaId || undefined}>
                  <input
                    type="radio"
                    name={`${ids}-persona`}
                    value={p.id}
                    checked={p.id === personaId}
                    data-testid={`practice-persona-${p.id}`}
                    aria-describedby={`${ids}-p-${p.id}`}
                    onChange={() => setPersonaId(p.id)}
                  />
                  <span className="choice-title">{p.name}</span>
                  <span className="choice-about" id={`${ids}-p-${p.id}`}>
                    {p.description}
                  </span>
                </label>
              ))}
            </div>
          </fieldset>

          <fieldset className="choice-group">
            <legend>
              Context <span className="optional">(optional)</span>
            </legend>
            <ContextField
              context={context}
              refused={refused}
              refusedId={`${ids}-refused`}
              opening={opening}
              onFiles={(files) => void openContext(files)}
              onRemove={() => setContext(null)}
            />
          </fieldset>

          {error && (
            <p className="error" role="alert" data-testid="practice-error">
              {error}
            </p>
          )}

          <div className="form-actions">
            <button
              type="submit"
              className="button button-primary button-large"
              data-testid="practice-start"
              disabled={starting || !scenarioId || !personaId}
              aria-busy={starting}
              aria-describedby={refused && !context ? `${ids}-refused` : undefined}
            >
              {starting ? (
                <>
                  <Spinner /> Starting…
                </>
              ) : refused && !context ? (
                `Start without ${refused.name}`
              ) : (
                'Start'
              )}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
