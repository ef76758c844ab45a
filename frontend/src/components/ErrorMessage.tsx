/**
 * An error Go sent, shown as it said it. A message of several lines (e.g. every
 * password rule a password breaks) becomes one line each.
 */
export function ErrorMessage({ message, testId }: { message: string; testId: string }) {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return (
    <div className="error" role="alert" data-testid={testId}>
      {lines.length > 1 ? (
        <ul className="error-lines">
          {lines.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      ) : (
        <p>{lines[0] ?? message}</p>
      )}
    </div>
  );
}
