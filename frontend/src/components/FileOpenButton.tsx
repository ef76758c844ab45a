import { useRef } from 'react';
import { Spinner } from './Spinner';

export interface FileOpenButtonProps {
  /** The button's words, e.g. "Open file…". */
  label: string;
  /** A file is being read: the button says so and waits. */
  opening: boolean;
  /** The file input's accept list, e.g. ".txt,.md". */
  accept: string;
  /** The hidden file input's accessible name. */
  inputLabel: string;
  inputTestId: string;
  buttonTestId?: string;
  onFiles: (files: FileList | null) => void;
}

/**
 * A button that opens the system's file picker through a hidden file input
 * (out of the tab order: the button is the control). The input is cleared
 * after each pick, so the same file can be opened again.
 */
export function FileOpenButton({ label, opening, accept, inputLabel, inputTestId, buttonTestId, onFiles }: FileOpenButtonProps) {
  const fileRef = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className="button button-secondary"
        data-testid={buttonTestId}
        onClick={() => fileRef.current?.click()}
        disabled={opening}
        aria-busy={opening}
      >
        {opening ? (
          <>
            <Spinner /> Opening…
          </>
        ) : (
          label
        )}
      </button>
      <input
        ref={fileRef}
        type="file"
        accept={accept}
        className="file-input"
        data-testid={inputTestId}
        aria-label={inputLabel}
        tabIndex={-1}
        onChange={(e) => {
          onFiles(e.target.files);
          e.target.value = '';
        }}
      />
    </>
  );
}
