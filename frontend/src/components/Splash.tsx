/** What shows while Go signs in silently from the keychain. */
export function Splash() {
  return (
    <div className="splash" data-testid="splash">
      <span className="brand-mark splash-mark" aria-hidden="true">
        C
      </span>
      <p className="splash-name">Cara</p>
      <p className="splash-status" role="status">
        Opening…
      </p>
      <span className="splash-bar" aria-hidden="true" />
    </div>
  );
}
