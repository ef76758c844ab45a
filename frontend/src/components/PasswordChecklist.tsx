import type { PasswordRule } from '../api';

/**
 * What each rule asks for, worded so it reads right next to a tick or a cross
 * (Go's messages are errors: "Password is too common" would read backwards
 * when met). Unknown ids fall back to Go's message.
 */
const RULE_LABELS: Record<string, string> = {
  min_length: 'At least 8 characters',
  upper: 'An uppercase letter',
  lower: 'A lowercase letter',
  digit: 'A number',
  max_bytes: 'At most 72 bytes (about 72 plain letters)',
  not_common: 'Not a common password',
  not_email: "Doesn't contain your email address",
};

export function ruleLabel(rule: PasswordRule): string {
  return RULE_LABELS[rule.id] ?? rule.message;
}

export interface PasswordChecklistProps {
  id: string;
  rules: PasswordRule[];
  /** The checklist could not be fetched. */
  unavailable?: boolean;
  /** Nothing typed yet: unmet rules are "to do", not errors. */
  untouched?: boolean;
}

/**
 * Every password rule with a tick or a cross. The list is read on demand;
 * the summary below it is a polite live region, so a screen reader hears
 * "5 of 7 password rules met" after a pause in typing rather than every rule.
 */
export function PasswordChecklist({ id, rules, unavailable = false, untouched = false }: PasswordChecklistProps) {
  const met = rules.filter((r) => r.ok).length;
  const summary = unavailable
    ? 'The password rules could not be checked here; Cara will check them when you submit.'
    : rules.length === 0
      ? ''
      : met === rules.length
        ? 'All password rules met.'
        : `${met} of ${rules.length} password rules met.`;

  return (
    <div className="checklist" data-untouched={untouched || undefined}>
      {rules.length > 0 && (
        <ul className="rule-list" aria-label="Password rules">
          {rules.map((rule) => (
            <li
              key={rule.id}
              className="rule"
              data-testid="password-rule"
              data-rule={rule.id}
              data-ok={rule.ok ? 'true' : 'false'}
            >
              <span className="rule-icon" aria-hidden="true">
                {rule.ok ? '✓' : '✕'}
              </span>
              <span className="rule-text">{ruleLabel(rule)}</span>
              <span className="sr-only">{rule.ok ? ' (met)' : ' (not met yet)'}</span>
            </li>
          ))}
        </ul>
      )}
      <p id={id} className={unavailable ? 'hint' : 'sr-only'} aria-live="polite" aria-atomic="true">
        {summary}
      </p>
    </div>
  );
}
