// The live password checklist: Go's own rules, asked again shortly after the
// user stops typing, so the UI never disagrees with what Register and
// ChangePassword will accept.
import { useEffect, useRef, useState } from 'react';
import type { CaraApi, PasswordRule } from '../api';

export const CHECKLIST_DEBOUNCE_MS = 150;

export interface PasswordChecklistState {
  /** Every rule, met or not; empty until Go first answers. */
  rules: PasswordRule[];
  /** True when the rules shown were checked against exactly this password and email, and all pass. */
  passes: boolean;
  /** True when the checklist could not be fetched: Go's answer to the submit decides instead. */
  unavailable: boolean;
}

interface Checked {
  rules: PasswordRule[];
  password: string;
  email: string;
}

export function usePasswordChecklist(api: CaraApi, password: string, email: string): PasswordChecklistState {
  const [checked, setChecked] = useState<Checked | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const seq = useRef(0);
  const first = checked === null;

  useEffect(() => {
    let live = true;
    const id = ++seq.current;
    // The first check runs at once, so every rule shows before any typing.
    const t = window.setTimeout(
      () => {
        api.auth
          .passwordChecklist(password, email)
          .then((rules) => {
            // A slow answer to an older password must not overwrite a newer one.
            if (!live || id !== seq.current) return;
            setChecked({ rules, password, email });
            setUnavailable(false);
          })
          .catch(() => {
            if (live && id === seq.current) setUnavailable(true);
          });
      },
      first ? 0 : CHECKLIST_DEBOUNCE_MS,
    );
    return () => {
      live = false;
      window.clearTimeout(t);
    };
    // `first` only picks the delay; re-running when it flips would ask twice.
  }, [api, password, email]);

  const rules = checked?.rules ?? [];
  const current = checked !== null && checked.password === password && checked.email === email;
  const passes = unavailable ? password !== '' : current && rules.length > 0 && rules.every((r) => r.ok);
  return { rules, passes, unavailable };
}
