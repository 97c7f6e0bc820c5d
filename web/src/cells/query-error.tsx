/**
 * An error shown where the cell's chart would be. A PromQL parse error points
 * at its place in the query with a caret, the way promtool prints it.
 */
export function QueryError({
  message,
  query,
  position,
  retrying,
}: {
  message: string;
  query: string | null;
  position?: { line: number; column: number } | undefined;
  retrying?: boolean | undefined;
}) {
  const line = position && query !== null ? query.split('\n')[position.line - 1] : undefined;
  return (
    <div class="cell-error" role="alert">
      <p class="cell-error-message">{message}</p>
      {line !== undefined && position && (
        <pre class="cell-error-caret">
          {line}
          {'\n'}
          {' '.repeat(Math.max(0, position.column - 1))}^ line {position.line}, column {position.column}
        </pre>
      )}
      {retrying && <p class="muted">Retrying with backoff…</p>}
    </div>
  );
}
