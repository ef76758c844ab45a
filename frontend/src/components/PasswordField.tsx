import { useState, type ReactNode, type Ref } from 'react';

export interface PasswordFieldProps {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  autoComplete: 'new-password' | 'current-password' | 'off';
  testId: string;
  describedBy?: string;
  invalid?: boolean;
  required?: boolean;
  inputRef?: Ref<HTMLInputElement>;
  /** Offer a show/hide toggle. */
  toggle?: boolean;
  /** What the toggle shows, for screen readers: "password" unless said (e.g. "key"). */
  secretName?: string;
}

/** A labelled password input, optionally with a show/hide toggle. */
export function PasswordField({
  id,
  label,
  value,
  onChange,
  autoComplete,
  testId,
  describedBy,
  invalid,
  required = true,
  inputRef,
  toggle = false,
  secretName = 'password',
}: PasswordFieldProps) {
  const [shown, setShown] = useState(false);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="password-input">
        <input
          id={id}
          ref={inputRef}
          className="input"
          type={shown ? 'text' : 'password'}
          value={value}
          autoComplete={autoComplete}
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          required={required}
          data-testid={testId}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          onChange={(e) => onChange(e.target.value)}
        />
        {toggle && (
          <button
            type="button"
            className="password-toggle"
            aria-controls={id}
            aria-pressed={shown}
            onClick={() => setShown((s) => !s)}
          >
            {shown ? 'Hide' : 'Show'}
            <span className="sr-only"> {secretName}</span>
          </button>
        )}
      </div>
    </div>
  );
}
