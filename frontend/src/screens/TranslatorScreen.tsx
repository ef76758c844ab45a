import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { toCaraError, type Translation } from '../api';
import { useApi } from '../api/ApiContext';
import { CallError } from '../components/CallError';
import { BudgetNotice } from '../components/BudgetNotice';
import { Spinner } from '../components/Spinner';

/** The longest phrase offered to the translator: a sentence or two. */
export const MAX_PHRASE_CHARS = 500;

export interface TranslatorScreenProps {
  announce: (message: string) => void;
  onOpenSettings?: (() => void) | undefined;
}

/**
 * The cultural translator: a phrase → how it is heard in a US workplace,
 * what it hides, and three better ways to say it with when to use each.
 *
 * Test ids: translator-input, translator-submit, translator-error (+
 * -retry, -settings), translator-result, translator-perception,
 * translator-hidden, translator-alternative (×3).
 */
export function TranslatorScreen({ announce, onOpenSettings }: TranslatorScreenProps) {
  const api = useApi();
  const ids = useId();
  const [phrase, setPhrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [failedAt, setFailedAt] = useState(0);
  const [result, setResult] = useState<Translation | null>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  const tooLong = [...phrase].length > MAX_PHRASE_CHARS;

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy || phrase.trim() === '' || tooLong) return;
    setBusy(true);
    setError(null);
    setResult(null); // an error must not sit above the last phrase's answer
    try {
      const t = await api.translate(phrase.trim());
      setResult(t);
      announce(`How “${t.phrase}” lands: ${t.perception}`);
      window.setTimeout(() => resultRef.current?.focus(), 0);
    } catch (err) {
      setError(err);
      setFailedAt(Date.now());
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="screen translator-screen" aria-labelledby={`${ids}-heading`}>
      <header className="screen-header">
        <p className="eyebrow">Cultural translator</p>
        <h1 id={`${ids}-heading`}>How will this sound?</h1>
        <p className="lede">
          Type a phrase you’d use at work. Cara asks Gemini how it is likely to be heard in a US workplace, what it
          may quietly say, and three ways to say it instead.
        </p>
      </header>

      {!(error !== null && toCaraError(error).code === 'budget') && (
        <BudgetNotice paused="translations are paused" onOpenSettings={onOpenSettings} />
      )}
      <form className="translator-form" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor={`${ids}-phrase`}>Your phrase</label>
          <textarea
            id={`${ids}-phrase`}
            ref={inputRef}
            className="input translator-input"
            data-testid="translator-input"
            rows={2}
            value={phrase}
            placeholder="e.g. With all due respect, I think we should revisit this."
            aria-invalid={tooLong || undefined}
            aria-describedby={`${ids}-count`}
            onChange={(e) => {
              setPhrase(e.target.value);
              // The last error was about the phrase as it was.
              if (!busy) setError(null);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                void submit();
              }
            }}
          />
          <p id={`${ids}-count`} className="hint" data-over={tooLong || undefined}>
            {tooLong ? `Too long — keep it under ${MAX_PHRASE_CHARS} characters.` : 'Enter to translate · Shift+Enter for a new line'}
          </p>
        </div>
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            data-testid="translator-submit"
            disabled={busy || phrase.trim() === '' || tooLong}
            aria-busy={busy}
          >
            {busy ? (
              <>
                <Spinner /> Translating…
              </>
            ) : (
              'Translate'
            )}
          </button>
        </div>
      </form>

      {error !== null && (
        <CallError
          error={error}
          testId="translator-error"
          onOpenSettings={onOpenSettings}
          onRetry={() => void submit()}
          failedAt={failedAt}
        />
      )}

      {result && (
        <article className="panel translator-result" data-testid="translator-result" aria-labelledby={`${ids}-result`}>
          <h2 id={`${ids}-result`} ref={resultRef} tabIndex={-1}>
            “{result.phrase}”
          </h2>
          <dl className="translator-facts">
            <div>
              <dt>How it’s heard</dt>
              <dd data-testid="translator-perception">{result.perception}</dd>
            </div>
            <div>
              <dt>What it may really say</dt>
              <dd data-testid="translator-hidden">{result.hiddenMeaning}</dd>
            </div>
          </dl>
          <h3>Say it instead</h3>
          <ol className="alternatives">
            {result.alternatives.map((a, i) => (
              <li key={i} className="alternative" data-testid="translator-alternative">
                <p className="alternative-text">“{a.text}”</p>
                {a.when && (
                  <p className="alternative-when">
                    <span className="score-label">When</span> {a.when.replace(/^when\s+/i, '')}
                  </p>
                )}
              </li>
            ))}
          </ol>
        </article>
      )}
    </section>
  );
}
