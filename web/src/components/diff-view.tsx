/** A unified diff, each line coloured by what it does; text only, never HTML. */
export function DiffView({ diff }: { diff: string }) {
  const lines = diff.replace(/\n$/, '').split('\n');
  return (
    // biome-ignore lint/a11y/useAriaPropsSupportedByRole: the label names the block for screen readers; axe (the browser tests) accepts it
    <pre class="diff" aria-label="Changes">
      {lines.map((line, i) => {
        const kind =
          line.startsWith('+++') || line.startsWith('---')
            ? 'file'
            : line.startsWith('@@')
              ? 'hunk'
              : line[0] === '+'
                ? 'add'
                : line[0] === '-'
                  ? 'del'
                  : 'ctx';
        return (
          <span key={i} class={`diff-${kind}`}>
            {line}
            {'\n'}
          </span>
        );
      })}
    </pre>
  );
}
