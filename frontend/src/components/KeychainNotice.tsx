/** Go's one-time word that the system keychain is out of reach. */
export function KeychainNotice({ message, onDismiss }: { message: string; onDismiss: () => void }) {
  return (
    <div className="notice notice-keychain" role="status" data-testid="auth-notice">
      <p>{message}</p>
      <div className="notice-actions">
        <button type="button" className="button-link" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
