import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { PinnedRunbook } from '../api/types.js';
import { TimeAgo } from '../components/time-ago.js';
import type { CellRun } from './cell-runs.js';
import { highlightTs } from './highlight-ts.js';
import { RunOutputs } from './run-outputs.js';
import './script-cell.css';

export type ScriptCellSpec = PinnedRunbook['scriptCells'][number];
type Permissions = PinnedRunbook['permissions'];

export interface ScriptCellProps {
  incidentId: number;
  cell: ScriptCellSpec;
  permissions: Permissions;
  /** Why the runbook's script cells may not run here, or null. */
  disabledReason: string | null;
  /** This cell's runs from the timeline, newest first; a new one arrives with the incident's live updates. */
  runs: CellRun[];
}

/** A script cell of an incident's runbook: its code, the permissions it runs with, a Run button and its runs. */
export function ScriptCell({ incidentId, cell, permissions, disabledReason, runs }: ScriptCellProps) {
  const [running, setRunning] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const title = cell.title ?? cell.id;
  const run = async () => {
    setRunning(true);
    setRefusal(null);
    try {
      // The run reaches this cell as a timeline event, like anyone else's run.
      await api.post(`/incidents/${incidentId}/cells/${encodeURIComponent(cell.id)}/run`);
    } catch (error) {
      setRefusal((error as Error).message);
    } finally {
      setRunning(false);
    }
  };
  const [latest, ...previous] = runs;
  const syncKey = `incident-${incidentId}`;
  return (
    <section class="cell script-cell" aria-label={title} data-script-cell={cell.id}>
      <header class="cell-head">
        <h4 class="cell-title">{title}</h4>
        <div class="cell-controls">
          <span class="muted small">
            {cell.run === 'auto' ? 'runs when an incident opens · ' : ''}timeout {cell.timeout}s
          </span>
          <button
            type="button"
            onClick={() => void run()}
            disabled={running || disabledReason !== null}
            title={disabledReason ?? undefined}
          >
            {running ? 'Running…' : 'Run'}
          </button>
        </div>
      </header>
      <PermissionBadges permissions={permissions} />
      {disabledReason && <p class="inline-error">Disabled: {disabledReason}</p>}
      {refusal && <p class="inline-error">{refusal}</p>}
      <pre class="cell-query script-code">
        <code>
          {highlightTs(cell.code).map((token, i) =>
            token.kind === 'plain' ? (
              token.text
            ) : (
              <span key={i} class={`ts-${token.kind}`}>
                {token.text}
              </span>
            ),
          )}
        </code>
      </pre>
      {latest ? (
        <div class="script-run">
          <RunLine run={latest} />
          <RunOutputs data={latest.data} syncKey={syncKey} />
        </div>
      ) : (
        <p class="muted small">Not run on this incident yet.</p>
      )}
      {previous.length > 0 && (
        <details class="script-previous">
          <summary class="small">{previous.length} earlier runs</summary>
          {previous.map((earlier) => (
            <div key={earlier.id} class="script-run">
              <RunLine run={earlier} />
              <RunOutputs data={earlier.data} syncKey={syncKey} />
            </div>
          ))}
        </details>
      )}
    </section>
  );
}

/** What the cell may do besides querying through Alertbook: one badge per granted entry. */
function PermissionBadges({ permissions }: { permissions: Permissions }) {
  const grants = (['net', 'env', 'read'] as const).flatMap((kind) =>
    permissions[kind].map((entry) => ({ kind, entry })),
  );
  return (
    <div class="script-permissions" title="What the cell may do">
      <span class="permission-badge">queries via Alertbook</span>
      {grants.map(({ kind, entry }) => (
        <span key={`${kind}:${entry}`} class={`permission-badge permission-${kind}`}>
          {kind} {entry}
        </span>
      ))}
      {grants.length === 0 && <span class="muted small">nothing else</span>}
    </div>
  );
}

function RunLine({ run }: { run: CellRun }) {
  const { data } = run;
  return (
    <p class="script-run-line small">
      <span class={data.ok ? 'run-ok' : 'run-failed'}>{data.ok ? 'ran' : 'failed'}</span> · {run.actor} ·{' '}
      <TimeAgo at={run.at} /> · {data.durationMs} ms · version <code>{data.runbook.sha.slice(0, 7)}</code>
    </p>
  );
}
