import { useEffect, useId, useMemo, useRef, useState, type DragEvent, type FormEvent, type KeyboardEvent } from 'react';
import { errorMessage, MAX_CHARS, type Review } from '../api';
import { useApi } from '../api/ApiContext';
import { FileOpenButton } from '../components/FileOpenButton';
import { Spinner } from '../components/Spinner';
import { readFileBytes } from '../lib/base64';
import type { Draft } from '../lib/draft';
import { formatCount } from '../lib/format';
import { countChars } from '../lib/text';

const ACCEPT = '.txt,.md,.eml,text/plain,message/rfc822';
const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

interface ImportNotice {
  name: string;
  repaired: boolean;
  previous: Draft;
  extraFiles: number;
}

export interface ReviewScreenProps {
  draft: Draft;
  onDraftChange: (draft: Draft) => void;
  onReviewed: (review: Review) => void;
}

export function ReviewScreen({ draft, onDraftChange, onReviewed }: ReviewScreenProps) {
  const api = useApi();
  const ids = useId();
  const textId = `${ids}-text`;
  const titleId = `${ids}-title`;
  const countId = `${ids}-count`;
  const hintId = `${ids}-hint`;
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const [busy, setBusy] = useState(false);
  // Set synchronously, so clicks and shortcuts in the same tick (before
  // `busy` re-renders the button as disabled) start one review, not several.
  const inFlight = useRef(false);
  const [opening, setOpening] = useState(false);
  const [error, setErrorText] = useState('');
  const [errorKey, setErrorKey] = useState(0);
  const setError = (message: string) => {
    setErrorText(message);
    if (message) setErrorKey((k) => k + 1);
  };
  const [notice, setNotice] = useState<ImportNotice | null>(null);
  const [dragging, setDragging] = useState(false);

  const chars = useMemo(() => countChars(draft.text), [draft.text]);
  const tooLong = chars > MAX_CHARS;

  useEffect(() => {
    textareaRef.current?.focus();
  }, []);

  const submit = async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setError('');
    try {
      const review = await api.review({
        title: draft.title,
        text: draft.text,
        source: draft.source || 'paste',
        repaired: draft.repaired === true,
      });
      // The report replaces this screen; until then the button stays busy.
      onReviewed(review);
    } catch (e) {
      inFlight.current = false;
      setError(errorMessage(e));
      setBusy(false);
      textareaRef.current?.focus();
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void submit();
    }
  };

  const openFiles = async (files: FileList | File[] | null) => {
    const list = files ? Array.from(files) : [];
    const file = list[0];
    if (!file || opening) return;
    setOpening(true);
    setError('');
    try {
      const bytes = await readFileBytes(file);
      const imported = await api.importFile(file.name, bytes);
      const previous = draft;
      onDraftChange({ title: imported.title, text: imported.text, source: file.name, repaired: imported.repaired });
      setNotice({ name: file.name, repaired: imported.repaired, previous, extraFiles: list.length - 1 });
      textareaRef.current?.focus();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setOpening(false);
    }
  };

  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');

  const onDragOver = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    if (!dragging) setDragging(true);
  };

  const onDragLeave = (e: DragEvent) => {
    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
  };

  const onDrop = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    setDragging(false);
    void openFiles(e.dataTransfer.files);
  };

  const undoImport = () => {
    if (!notice) return;
    onDraftChange(notice.previous);
    setNotice(null);
    textareaRef.current?.focus();
  };

  return (
    <section className="screen review-screen" aria-labelledby={`${ids}-heading`}>
      <header className="screen-header">
        <p className="eyebrow">Review</p>
        <h1 id={`${ids}-heading`}>What would you like to send?</h1>
        <p className="lede">
          Paste an email, a chat message or notes for a talk. Cara checks clarity, concision, confidence and
          warmth, shows exactly what to change — offline, on your computer. Your text goes to Gemini only if you press Ask Cara.
        </p>
      </header>

      <form className="review-form" onSubmit={onSubmit} onKeyDown={onKeyDown} aria-busy={busy}>
        <div className="field">
          <label htmlFor={titleId}>
            Title <span className="optional">(optional)</span>
          </label>
          <input
            id={titleId}
            className="input"
            type="text"
            value={draft.title}
            maxLength={200}
            autoComplete="off"
            placeholder="e.g. Moving Thursday's sync"
            onChange={(e) => onDraftChange({ ...draft, title: e.target.value })}
          />
        </div>

        <div className="field">
          <label htmlFor={textId}>Your text</label>
          <div
            className="editor"
            data-dragging={dragging || undefined}
            onDragOver={onDragOver}
            onDragEnter={onDragOver}
            onDragLeave={onDragLeave}
            onDrop={onDrop}
          >
            <textarea
              id={textId}
              ref={textareaRef}
              className="editor-input"
              data-testid="review-input"
              value={draft.text}
              placeholder="Paste a message, email or talk…"
              spellCheck
              aria-describedby={`${countId} ${hintId}`}
              aria-invalid={tooLong || undefined}
              onChange={(e) => {
                // The message was about the text as it was.
                if (error) setError('');
                // Clearing the editor starts a new, pasted text: forget the file it came from.
                onDraftChange(
                  e.target.value === ''
                    ? { ...draft, text: '', source: '', repaired: false }
                    : { ...draft, text: e.target.value },
                );
              }}
            />
            {dragging && (
              <div className="drop-overlay" aria-hidden="true">
                <span>Drop to open — .txt, .md or .eml</span>
              </div>
            )}
          </div>
          <div className="editor-bar">
            <div className="editor-tools">
              <FileOpenButton
                label="Open file…"
                opening={opening}
                accept={ACCEPT}
                inputLabel="Open a text or email file"
                inputTestId="file-input"
                onFiles={(files) => void openFiles(files)}
              />
              <span id={hintId} className="hint">
                or drop a .txt, .md or .eml file here
              </span>
            </div>
            <span id={countId} className="char-count" data-over={tooLong || undefined}>
              {formatCount(chars)} / {formatCount(MAX_CHARS)} characters
              {tooLong && <span className="sr-only"> — too long</span>}
            </span>
          </div>
        </div>

        {notice && (
          <div className="notice" role="status">
            <p>
              Opened <strong>{notice.name}</strong>.
              {notice.extraFiles > 0 && ' Cara reviews one file at a time, so only the first was opened.'}
              {notice.repaired &&
                ' Some bytes in it were not valid text (UTF-8) and were replaced with “�” — check those spots.'}
            </p>
            <div className="notice-actions">
              <button type="button" className="button-link" onClick={undoImport}>
                Undo
              </button>
              <button type="button" className="button-link" onClick={() => setNotice(null)}>
                Dismiss
              </button>
            </div>
          </div>
        )}

        {error && (
          <p key={errorKey} className="error" role="alert" data-testid="review-error">
            {error}
          </p>
        )}

        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary button-large"
            data-testid="review-submit"
            disabled={busy}
            aria-busy={busy}
            aria-keyshortcuts="Control+Enter Meta+Enter"
          >
            {busy ? (
              <>
                <Spinner /> Reviewing…
              </>
            ) : (
              'Review'
            )}
          </button>
          <span className="shortcut" aria-hidden="true">
            <kbd>{isMac ? '⌘' : 'Ctrl'}</kbd> + <kbd>Enter</kbd>
          </span>
          <span className="sr-only" role="status">
            {busy ? 'Reviewing your text…' : ''}
          </span>
        </div>
      </form>
    </section>
  );
}
