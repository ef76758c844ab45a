import type { Ref } from 'react';

export interface EmailFieldProps {
  id: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  inputRef?: Ref<HTMLInputElement>;
}

/** The labelled email input of the Join and Sign in forms. */
export function EmailField({ id, value, onChange, testId, inputRef }: EmailFieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>Email</label>
      <input
        id={id}
        ref={inputRef}
        className="input"
        type="email"
        value={value}
        autoComplete="email"
        autoCapitalize="off"
        spellCheck={false}
        required
        data-testid={testId}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}
