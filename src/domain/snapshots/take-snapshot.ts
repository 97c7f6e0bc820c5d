import { z } from 'zod';
import { DEFAULT_DATASOURCE } from '../../prometheus/datasources.js';
import { durationSchema, unixTimeSchema } from '../../prometheus/query-params.js';
import { promqlSchema } from '../../prometheus/query-request.js';
import { runQuery } from '../../prometheus/run-query.js';
import { ValidationError } from '../errors.js';
import { drawnThreshold } from '../incidents/drawn-threshold.js';
import { getIncidentRunbook } from '../incidents/incident-runbook.js';
import { validate } from '../validate.js';
import { incidentWindow } from './incident-window.js';
import { planSnapshot, recordSnapshot } from './record-snapshot.js';
import type { SnapshotContext } from './snapshot-context.js';

const bodySchema = z.strictObject({
  cellId: z.string().min(1).optional(),
  query: promqlSchema.optional(),
  datasource: z.string().min(1).optional(),
  start: unixTimeSchema.optional(),
  end: unixTimeSchema.optional(),
  step: durationSchema.optional(),
});

/**
 * Runs a query now and keeps its result on the incident's timeline
 * (`cell.snapshot`), so the evidence outlives Prometheus' retention. The query
 * is a cell of the incident's runbook (rendered with its labels) or given
 * as is; the window defaults to the incident's [start − 1 h, resolution or now].
 */
export async function takeSnapshot({
  ctx,
  input,
}: {
  ctx: SnapshotContext;
  input: { id: number; actor: string; body: unknown; signal?: AbortSignal };
}) {
  const body = validate(bodySchema, input.body);
  if (body.cellId !== undefined && body.query !== undefined)
    throw new ValidationError('query', 'give cellId or query, not both');
  const window = await incidentWindow(ctx, input.id);
  const target = body.cellId === undefined ? adHocTarget(body.query) : await runbookCell(ctx, input.id, body.cellId);
  if (target.instant && (body.start !== undefined || body.step !== undefined)) {
    throw new ValidationError(
      body.step !== undefined ? 'step' : 'start',
      `cell "${body.cellId}" is an instant query: give only end, the time to evaluate it at`,
    );
  }
  const { request, recorded } = planSnapshot({
    ...target,
    datasource: body.datasource ?? target.datasource,
    start: body.start ?? window.start,
    end: body.end ?? window.end,
    step: body.step,
  });
  const result = await runQuery(ctx.datasources, request, input.signal);
  return recordSnapshot(ctx, { incidentId: input.id, actor: input.actor, query: recorded, result });
}

function adHocTarget(query: string | undefined) {
  if (query === undefined)
    throw new ValidationError('query', "give the query to snapshot, or the cellId of a cell of the incident's runbook");
  return { query, datasource: DEFAULT_DATASOURCE, instant: false, preferredStep: null, threshold: null };
}

async function runbookCell(ctx: SnapshotContext, incidentId: number, cellId: string) {
  const { runbook } = await getIncidentRunbook({ ctx, input: { id: incidentId } });
  if (!runbook) throw new ValidationError('cellId', `incident ${incidentId} has no runbook, so no cell "${cellId}"`);
  const cell = runbook.cells.find((c) => c.id === cellId);
  if (!cell) {
    const known = runbook.cells.map((c) => c.id).join(', ') || 'none';
    throw new ValidationError('cellId', `runbook "${runbook.id}" has no cell "${cellId}" (cells: ${known})`);
  }
  if (cell.renderedQuery === null) {
    throw new ValidationError(
      'cellId',
      `cell "${cellId}" cannot be filled in for this incident: ${cell.error?.message}`,
    );
  }
  return {
    cellId,
    query: cell.renderedQuery,
    datasource: runbook.datasource,
    instant: cell.instant,
    preferredStep: cell.step,
    threshold: drawnThreshold(cell),
  };
}
