import { runQuery } from '../../prometheus/run-query.js';
import { chooseStep } from '../../prometheus/step.js';
import { DomainError } from '../errors.js';
import { drawnThreshold } from '../incidents/drawn-threshold.js';
import { getIncidentRunbook } from '../incidents/incident-runbook.js';
import { incidentWindow } from './incident-window.js';
import { planSnapshot, recordSnapshot, recordSnapshotFailure } from './record-snapshot.js';
import type { SnapshotContext } from './snapshot-context.js';

/**
 * Points a resolve-time snapshot keeps per series, whatever the cell's live step:
 * a 5-minute incident drawn at a 5-minute step would be two points.
 */
const SNAPSHOT_POINTS = 300;

export type CellSnapshotOutcome = { cellId: string; eventId: number } & ({ ok: true } | { ok: false; error: string });

/**
 * Snapshots every cell of the incident's pinned runbook over the incident's
 * window, one cell after the other (gentle on Prometheus when many incidents
 * resolve at once). A cell that cannot be snapshotted gets `cell.snapshot_failed`
 * saying why; the others still run. Stops early when `signal` aborts.
 */
export async function snapshotRunbookCells({
  ctx,
  input,
}: {
  ctx: SnapshotContext;
  input: { id: number; actor: string; signal?: AbortSignal };
}): Promise<CellSnapshotOutcome[]> {
  const window = await incidentWindow(ctx, input.id);
  const { runbook } = await getIncidentRunbook({ ctx, input: { id: input.id } });
  if (!runbook) return [];

  const step = chooseStep(window.end - window.start, null, SNAPSHOT_POINTS);
  // Evaluations fall on start + k·step: start a little earlier so that the last one is the resolution itself.
  const start = window.end - Math.ceil((window.end - window.start) / step) * step;
  const outcomes: CellSnapshotOutcome[] = [];
  for (const cell of runbook.cells) {
    input.signal?.throwIfAborted();
    const { request, recorded } = planSnapshot({
      cellId: cell.id,
      threshold: drawnThreshold(cell),
      query: cell.renderedQuery ?? cell.query,
      datasource: runbook.datasource,
      instant: cell.instant,
      start,
      end: window.end,
      step,
    });
    const record = { incidentId: input.id, actor: input.actor, query: recorded };
    try {
      if (cell.renderedQuery === null) {
        throw new DomainError(
          'invalid_input',
          `cell "${cell.id}" cannot be filled in for this incident: ${cell.error?.message}`,
        );
      }
      const result = await runQuery(ctx.datasources, request, input.signal);
      const event = await recordSnapshot(ctx, { ...record, result });
      outcomes.push({ cellId: cell.id, eventId: event.id, ok: true });
    } catch (error) {
      // Only the query's own failures are recorded; an abort or a database error ends the run.
      if (!(error instanceof DomainError) || input.signal?.aborted) throw error;
      const event = await recordSnapshotFailure(ctx, {
        ...record,
        error: { code: error.code, message: error.message },
      });
      outcomes.push({ cellId: cell.id, eventId: event.id, ok: false, error: error.message });
    }
  }
  return outcomes;
}
