import { useState, type DragEvent } from 'react';
import type { ContextDoc } from '../api';
import { formatCount } from '../lib/format';
import { FileOpenButton } from './FileOpenButton';

const CONTEXT_ACCEPT = '.txt,.md,text/plain,text/markdown';

/** A file the user picked that Cara did not attach, and why. */
export interface RefusedFile {
  name: string;
  message: string;
}

export interface ContextFieldProps {
  /** The attached file, if any. */
  context: ContextDoc | null;
  /** The last file refused, shown beside the picker until another is picked. */
  refused: RefusedFile | null;
  /** Id of the refusal's message, for controls that should point at it. */
  refusedId: string;
  opening: boolean;
  onFiles: (files: FileList | File[] | null) => void;
  onRemove: () => void;
}

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');

/**
 * The optional context file of a conversation: a picker and a drop zone, the
 * attached file with Remove, or the reason the last file was refused (which
 * stays until another file is picked, so nobody starts without noticing).
 *
 * Test ids: practice-context-input (file input), practice-context-open,
 * practice-context (name, with practice-context-remove), practice-context-error.
 */
export function ContextField({ context, refused, refusedId, opening, onFiles, onRemove }: ContextFieldProps) {
  const [dragging, setDragging] = useState(false);
  return (
    <div
      className="context-drop"
      data-dragging={dragging || undefined}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDragging(false);
        onFiles(e.dataTransfer.files);
      }}
    >
      {context ? (
        <p className="context-file" data-testid="practice-context">
          <span>
            <strong>{context.name}</strong>{' '}
            <span className="muted">({formatCount([...context.text].length)} characters)</span>
          </span>
          <button
            type="button"
            className="button-link"
            data-testid="practice-context-remove"
            aria-label={`Remove ${context.name}`}
            onClick={onRemove}
          >
            Remove
          </button>
        </p>
      ) : (
        <p className="context-empty">
          <FileOpenButton
            label={refused ? 'Choose another file…' : 'Add context file…'}
            opening={opening}
            accept={CONTEXT_ACCEPT}
            inputLabel="Add a context file"
            inputTestId="practice-context-input"
            buttonTestId="practice-context-open"
            onFiles={onFiles}
          />
          <span className="hint">or drop a .txt or .md file here — e.g. the job description</span>
        </p>
      )}
      {refused && !context && (
        <p className="error context-error" role="alert" id={refusedId} data-testid="practice-context-error">
          <strong>{refused.name}</strong> was not added: {refused.message}
        </p>
      )}
    </div>
  );
}
