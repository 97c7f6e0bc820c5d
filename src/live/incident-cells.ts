import type { Db } from '../db/client.js';
import { getIncidentRunbook } from '../domain/incidents/incident-runbook.js';
import { incidentTimes } from '../domain/snapshots/incident-window.js';
import type { IncidentCellWindow, ResolveIncidentCell } from './subscription-target.js';
import { LiveError } from './live-error.js';

type IncidentCells = Awaited<ReturnType<typeof loadIncidentCells>>;

/**
 * Resolves `{incidentId, cellId}` to the query the hub runs: the cell of the
 * incident's pinned runbook version, templated with the incident's labels, with
 * the incident's start and, once resolved, its end (subscriptionTarget makes the window).
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
    const { times, runbook } = await load(incidentId);
    if (!runbook) throw new LiveError('not_found', `incident ${incidentId} has no runbook`);
    const cell = runbook.cells.find((c) => c.id === cellId);
    if (!cell) throw new LiveError('not_found', `the runbook of incident ${incidentId} has no cell "${cellId}"`);
    if (cell.renderedQuery === null) {
      throw new LiveError(
        'cell_unavailable',
        `cell "${cellId}" cannot be filled in for this incident: ${cell.error?.message}`,
      );
    }
    return {
      query: cell.renderedQuery,
      datasource: runbook.datasource,
      incidentStart: times.startedAt.getTime() / 1000,
      // A resolved incident's window is fixed (not polled); an open one runs to now.
      end: times.resolvedAt ? times.resolvedAt.getTime() / 1000 : null,
      step: cell.step,
      refresh: cell.refresh,
    };
  };
}

async function loadIncidentCells(ctx: { db: Db }, incidentId: number) {
  const [times, { runbook }] = await Promise.all([
    incidentTimes(ctx.db, incidentId),
    getIncidentRunbook({ ctx, input: { id: incidentId } }),
  ]);
  return { times, runbook };
}
