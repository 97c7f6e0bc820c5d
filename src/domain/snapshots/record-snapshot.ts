import { timelineEventFields, timelineEvents } from '../../db/schema/index.js';
import { checkedRangeWindow } from '../../prometheus/query-params.js';
import type { QueryRequest } from '../../prometheus/query-request.js';
import { encodeQueryResult, type WireQueryResult } from '../../prometheus/sample-value.js';
import type { QueryResult } from '../../prometheus/types.js';
import type { ErrorCode } from '../errors.js';
import type { DrawnThreshold } from '../incidents/drawn-threshold.js';
import type { SnapshotContext } from './snapshot-context.js';

/** What was asked: the rendered query, where, and the window (unix seconds; an instant query has start = end, step null). */
export interface SnapshotQuery {
  cellId?: string;
  query: string;
  datasource: string;
  start: number;
  end: number;
  step: number | null;
  /**
   * The threshold line the cell's chart drew when the snapshot was taken (null: none), so that the snapshot keeps
   * it after a tuning decision moves the rule's. Absent from snapshots recorded before it was kept.
   */
  threshold?: DrawnThreshold | null;
}

/** `cell.snapshot`: the query and its result (finite values as numbers, else "NaN" / "+Inf" / "-Inf"). */
export type SnapshotData = SnapshotQuery & WireQueryResult;

/** `cell.snapshot_failed`: a snapshot that could not be taken, so the timeline says why it is missing. */
export type SnapshotFailureData = SnapshotQuery & { error: { code: ErrorCode; message: string } };

export interface SnapshotPlan {
  request: QueryRequest;
  /** What the timeline will say was asked. */
  recorded: SnapshotQuery;
}

/**
 * The query a snapshot runs: instant at `end`, or over [start, end] with the
 * caller's step (checked) or one chosen from `preferredStep` and the range.
 */
export function planSnapshot(input: {
  cellId?: string;
  threshold: DrawnThreshold | null;
  query: string;
  datasource: string;
  instant: boolean;
  start: number;
  end: number;
  step?: number | undefined;
  preferredStep?: number | null;
}): SnapshotPlan {
  const { query, datasource, start, end } = input;
  const asked = { ...(input.cellId ? { cellId: input.cellId } : {}), query, datasource, threshold: input.threshold };
  if (input.instant) {
    return {
      request: { kind: 'instant', datasource, query, time: end },
      recorded: { ...asked, start: end, end, step: null },
    };
  }
  const window = checkedRangeWindow({ start, end, step: input.step }, input.preferredStep);
  return { request: { kind: 'range', datasource, query, ...window }, recorded: { ...asked, ...window } };
}

/** Appends `cell.snapshot` to the incident's timeline and tells live viewers. */
export async function recordSnapshot(
  ctx: SnapshotContext,
  input: { incidentId: number; actor: string; query: SnapshotQuery; result: QueryResult },
) {
  const data: SnapshotData = { ...input.query, ...encodeQueryResult(input.result) };
  return appendEvent(ctx, { incidentId: input.incidentId, actor: input.actor, type: 'cell.snapshot', data });
}

export async function recordSnapshotFailure(
  ctx: SnapshotContext,
  input: { incidentId: number; actor: string; query: SnapshotQuery; error: { code: ErrorCode; message: string } },
) {
  const data: SnapshotFailureData = { ...input.query, error: input.error };
  return appendEvent(ctx, { incidentId: input.incidentId, actor: input.actor, type: 'cell.snapshot_failed', data });
}

async function appendEvent(
  ctx: SnapshotContext,
  input: {
    incidentId: number;
    actor: string;
    type: 'cell.snapshot' | 'cell.snapshot_failed';
    data: SnapshotData | SnapshotFailureData;
  },
) {
  const [event] = await ctx.db
    .insert(timelineEvents)
    .values({
      incidentId: input.incidentId,
      type: input.type,
      at: ctx.clock(),
      actor: input.actor,
      data: { ...input.data },
    })
    .returning(timelineEventFields);
  ctx.bus?.publish({ incidentId: input.incidentId, types: [input.type] });
  return event!;
}
