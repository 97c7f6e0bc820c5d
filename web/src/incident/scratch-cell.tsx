import { useState } from 'preact/hooks';
import { LiveCell, type LiveCellProps } from '../cells/live-cell.js';
import { QueryError } from '../cells/query-error.js';
import { firstSyntaxError } from '../promql/syntax-errors.js';

/**
 * An ad-hoc PromQL cell: syntax errors appear as you type (Prometheus' own
 * grammar, in the browser); Run (or Ctrl/⌘+Enter) makes it a live cell.
 */
export function ScratchCell(
  props: Pick<LiveCellProps, 'marker' | 'syncKey' | 'prometheusBase'> & {
    onPin(query: string, window: { start: number; end: number; step: number }): Promise<void>;
  },
) {
  const [draft, setDraft] = useState('');
  const [running, setRunning] = useState<string | null>(null);
  const problem = firstSyntaxError(draft);
  const run = () => {
    if (draft.trim() && !problem) setRunning(draft.trim());
  };
  return (
    <section class="panel scratch" aria-labelledby="scratch-heading">
      <h2 id="scratch-heading">Scratch query</h2>
      <textarea
        class="mono"
        rows={2}
        spellcheck={false}
        aria-label="PromQL query"
        aria-invalid={problem !== null}
        placeholder="e.g. sum by (code) (rate(http_requests_total[5m]))"
        value={draft}
        onInput={(e) => setDraft(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            run();
          }
        }}
      />
      <div class="form-row">
        <button type="button" disabled={!draft.trim() || problem !== null} onClick={run}>
          Run
        </button>
        <span class="muted small">Ctrl+Enter</span>
      </div>
      {problem && <QueryError message={`Syntax error: ${problem.message}`} query={draft} position={problem} />}
      {running && (
        <LiveCell
          key={running}
          target={{ query: running }}
          title="Scratch query"
          query={running}
          instant={false}
          unit={null}
          threshold={null}
          defaultRange={3600}
          defaultRangeLabel=""
          fixedWindow={false}
          marker={props.marker}
          syncKey={props.syncKey}
          prometheusBase={props.prometheusBase}
          onPin={(window) => props.onPin(running, window)}
        />
      )}
    </section>
  );
}
