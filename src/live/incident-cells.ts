import type { Db } from '../db/client.js';
import { getIncident } from '../domain/incidents/get-incident.js';
import { getIncidentRunbook } from '../domain/incidents/incident-runbook.js';
import type { IncidentCellWindow, ResolveIncidentCell } from './subscription-target.js';
import { LiveError } from './live-error.js';

/** How far before the incident started its cells look: the lead-up is usually the interesting part. */
const LOOKBACK_SECONDS = 3_600;

type IncidentCells = Awaited<ReturnType<typeof loadIncidentCells>>;

/**
 * Resolves `{incidentId, cellId}` to the query the hub runs: the cell of the
 * incident's pinned runbook version, templated with the incident's labels, over
 * [incident start − 1 h, now] while it fires and [start − 1 h, resolved at] after.
 * Viewers opening a notebook together ask for the same incident at once; they
 * share one database read.
 */
export function incidentCellResolver(ctx: { db: Db }): ResolveIncidentCell {
  const loading = new Map<number, Promise<IncidentCells>>();
  const load = (incidentId: number) => {
    let pending = loading.get(incidentId);
    if (!pending) {
      pending = loadIncidentCells(ctx, incidentId).finally(() => loading.delete(incidentId));
      loading.set(incidentId, pending);
    }
    return pending;
  };

  return async (incidentId, cellId): Promise<IncidentCellWindow> => {
    const { incident, runbook } = await load(incidentId);
    if (!runbook) throw new LiveError('not_found', `incident ${incidentId} has no runbook`);
    const cell = runbook.cells.find((c) => c.id === cellId);
    if (!cell) throw new LiveError('not_found', `the runbook of incident ${incidentId} has no cell "${cellId}"`);
    if (cell.renderedQuery === null) {
      throw new LiveError('cell_unavailable', `cell "${cellId}" cannot be filled in for this incident: ${cell.error?.message}`);
    }
    const seconds = (date: Date) => date.getTime() / 1000;
    return {
      query: cell.renderedQuery,
      datasource: runbook.datasource,
      start: seconds(incident.startedAt) - LOOKBACK_SECONDS,
      end: incident.status === 'resolved' && incident.resolvedAt ? seconds(incident.resolvedAt) : null,
      step: cell.step,
      refresh: cell.refresh,
    };
  };
}

async function loadIncidentCells(ctx: { db: Db }, incidentId: number) {
  const [{ incident }, { runbook }] = await Promise.all([
    getIncident({ ctx, input: { id: incidentId } }),
    getIncidentRunbook({ ctx, input: { id: incidentId } }),
  ]);
  return { incident, runbook };
}
