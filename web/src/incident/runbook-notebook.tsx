import { render } from 'preact';
import { api } from '../api/client.js';
import type { IncidentCell, IncidentDetail, IncidentRunbook, IncidentStep, TimelineEvent } from '../api/types.js';
import { LiveCell } from '../cells/live-cell.js';
import { QueryError } from '../cells/query-error.js';
import { ServerHtml } from '../components/server-html.js';
import { TimeAgo } from '../components/time-ago.js';
import { useResource } from '../hooks/use-resource.js';
import { cellRuns } from '../script-cells/cell-runs.js';
import { ScriptCell } from '../script-cells/script-cell.js';
import { liveThreshold } from './drawn-threshold.js';
import { ThresholdMovedNote } from './threshold-moved-note.js';

type PinnedRunbook = NonNullable<IncidentRunbook['runbook']>;

export interface NotebookProps {
  incident: IncidentDetail['incident'];
  runbook: PinnedRunbook;
  prometheusBase: string | null;
  /** The incident's timeline: script cells show their runs from it. */
  timeline: TimelineEvent[];
  /** Records a tick; rejects when it could not be recorded. */
  onStep(stepId: string, checked: boolean): Promise<void>;
  onPin(cellId: string, window: { start: number; end: number; step: number } | null): Promise<void>;
}

/** The pinned runbook: its cell placeholders become live cells or script cells, its task checkboxes steps. */
export function RunbookNotebook(props: NotebookProps) {
  const scriptsDisabled = useScriptCellsDisabled(props.incident.id, props.runbook);
  const mountIslands = (root: HTMLElement) => {
    const cells = new Map(props.runbook.cells.map((c) => [c.id, c]));
    const scriptCells = new Map(props.runbook.scriptCells.map((c) => [c.id, c]));
    for (const placeholder of root.querySelectorAll<HTMLElement>('.ab-cell')) {
      const id = placeholder.dataset.cellId ?? '';
      const cell = cells.get(id);
      const script = scriptCells.get(id);
      render(
        cell ? (
          <NotebookCell {...props} cell={cell} />
        ) : script ? (
          <ScriptCell
            incidentId={props.incident.id}
            cell={script}
            permissions={props.runbook.permissions}
            disabledReason={scriptsDisabled}
            runs={cellRuns(props.timeline, script.id)}
          />
        ) : null,
        placeholder,
      );
    }
    const steps = new Map(props.runbook.steps.map((s) => [s.id, s]));
    for (const box of root.querySelectorAll<HTMLInputElement>('input[data-step-id]')) {
      const step = steps.get(box.dataset.stepId ?? '');
      if (step) mountStep(box, step, props.onStep);
    }
  };
  return <ServerHtml class="runbook-body" html={props.runbook.html} mountIslands={mountIslands} />;
}

/** Why the runbook's script cells cannot run here (the server decides: Deno, permissions, ceiling), or null. */
function useScriptCellsDisabled(incidentId: number, runbook: PinnedRunbook): string | null {
  const hasScripts = runbook.scriptCells.length > 0;
  const answer = useResource(`script-cells:${incidentId}:${runbook.version.sha}`, () =>
    hasScripts
      ? api.get<{ disabledReason: string | null }>(`/incidents/${incidentId}/script-cells`)
      : Promise.resolve({ disabledReason: null }),
  );
  if (answer.error) return `could not ask the server whether they may run: ${answer.error.message}`;
  return answer.data ? answer.data.disabledReason : 'checking whether script cells may run…';
}

function NotebookCell({ incident, runbook, prometheusBase, onPin, cell }: NotebookProps & { cell: IncidentCell }) {
  const title = cell.title ?? cell.id;
  if (cell.renderedQuery === null) {
    return (
      <section class="cell" aria-label={title}>
        <h4 class="cell-title">{title}</h4>
        <pre class="cell-query">
          <code>{cell.query}</code>
        </pre>
        <QueryError
          message={`Cannot run this cell for this incident: ${cell.error?.message ?? 'unknown error'}`}
          query={null}
        />
      </section>
    );
  }
  const resolved = incident.status === 'resolved';
  return (
    <LiveCell
      target={{ incidentId: incident.id, cellId: cell.id }}
      title={title}
      query={cell.renderedQuery}
      instant={cell.instant}
      unit={cell.unit}
      {...liveThreshold(cell)}
      thresholdNote={
        cell.ruleThreshold?.movedSince && <ThresholdMovedNote threshold={cell.ruleThreshold} unit={cell.unit} />
      }
      // First the incident in the picture (the server's incident window), the runbook's range one click away.
      defaultRange={null}
      cellRange={cell.range}
      rangeKey={`alertbook.cellRange.${runbook.id}.${cell.id}`}
      defaultRangeLabel="incident window"
      fixedWindow={resolved}
      marker={new Date(incident.startedAt).getTime() / 1000}
      syncKey={`incident-${incident.id}`}
      prometheusBase={prometheusBase}
      onPin={(window) => onPin(cell.id, cell.instant ? null : window)}
    />
  );
}

/**
 * Turns the server's inert checkbox into a step: enabled, in the recorded
 * state, with who ticked it. The recorded state is applied only when it
 * changes, so a re-render while a tick is being saved does not undo the tick.
 */
function mountStep(box: HTMLInputElement, step: IncidentStep, onStep: NotebookProps['onStep']): void {
  box.disabled = false;
  if (box.dataset.recorded !== String(step.checked)) {
    box.checked = step.checked;
    box.dataset.recorded = String(step.checked);
  }
  box.setAttribute('aria-label', `Step: ${step.text}`);
  box.onchange = () => {
    const checked = box.checked;
    onStep(step.id, checked).catch(() => {
      box.checked = !checked;
    });
  };
  const holder = box.parentElement!;
  let attribution = holder.querySelector<HTMLElement>(':scope > .step-by');
  if (!attribution) {
    attribution = document.createElement('span');
    attribution.className = 'step-by';
    holder.append(attribution);
  }
  render(<StepAttribution step={step} />, attribution);
}

function StepAttribution({ step }: { step: IncidentStep }) {
  if (!step.checked || !step.checkedBy || !step.checkedAt) return null;
  return (
    <>
      {' '}
      — {step.checkedBy}, <TimeAgo at={step.checkedAt} show="age" />
    </>
  );
}
