import type { SubscribeMessage } from './client-messages.js';
import { LiveError } from './live-error.js';
import type { LiveLimits } from './live-limits.js';
import type { RangeQueries } from './upstream-poller.js';
import { chooseStep } from '../prometheus/step.js';
import { liveStep, upstreamQuery, type LiveWindow, type UpstreamQuery } from './upstream-query.js';

/** An incident's runbook cell, rendered for the incident; unix seconds. */
export interface IncidentCellWindow {
  query: string;
  datasource: string;
  /** When the incident started; its charts begin incidentLookback() before. */
  incidentStart: number;
  /** Null while the incident fires (the window grows); set once it is resolved (the window is fixed). */
  end: number | null;
  step?: number | null;
  refresh?: number | null;
}

/**
 * How far before an incident's start its charts begin: max(30 min, 3 × how
 * long it has fired), so the incident is in the picture, with its lead-up,
 * however long or short it is.
 */
export function incidentLookback(firedSeconds: number): number {
  return Math.max(30 * 60, 3 * Math.max(0, firedSeconds));
}

/** Fewer points than this at a cell's own step (5 min over a 10-minute incident): the step is chosen for the window. */
const MIN_POINTS_AT_CELL_STEP = 100;
/** About as many points as a chart has pixels to spare for them. */
const INCIDENT_DISPLAY_POINTS = 300;

export type ResolveIncidentCell = (incidentId: number, cellId: string) => Promise<IncidentCellWindow>;

/** The configured datasources; `get` throws a PrometheusError `unknown_datasource` for a name it lacks. */
export interface LiveDatasources {
  get(name?: string): RangeQueries;
  /** The configured names, when known: their metrics then start at zero. */
  names?(): string[];
}

/** What a subscription asks the upstream for, and how often it wants an answer. */
export interface SubscriptionTarget {
  query: UpstreamQuery;
  refreshMs: number;
}

/**
 * Turns a subscribe message into its upstream query: an ad-hoc query over a
 * sliding window, or an incident's cell over the incident's window. Throws what
 * the client is to be told (unknown datasource, cell not found…).
 */
export async function subscriptionTarget(
  request: SubscribeMessage,
  ctx: {
    datasources: LiveDatasources;
    resolveIncidentCell?: ResolveIncidentCell | undefined;
    limits: Pick<LiveLimits, 'maxPointsPerSeries' | 'defaultRangeSeconds' | 'defaultRefreshSeconds'>;
    nowSeconds: number;
  },
): Promise<SubscriptionTarget> {
  const { cell } = request;
  const { limits } = ctx;
  const refreshMs = (cellRefresh: number | null | undefined) =>
    1000 * (request.refresh ?? cellRefresh ?? limits.defaultRefreshSeconds);
  if ('query' in cell) {
    const datasource = cell.datasource ?? 'default';
    ctx.datasources.get(datasource);
    const range = request.range ?? limits.defaultRangeSeconds;
    const step = liveStep(range, request.step, limits.maxPointsPerSeries);
    return {
      query: upstreamQuery({ datasource, query: cell.query, step, window: { kind: 'sliding', range } }),
      refreshMs: refreshMs(null),
    };
  }
  if (!ctx.resolveIncidentCell) throw new LiveError('not_found', 'incident cells are not available on this server');
  const resolved = await ctx.resolveIncidentCell(cell.incidentId, cell.cellId);
  ctx.datasources.get(resolved.datasource);
  const start = resolved.incidentStart - incidentLookback((resolved.end ?? ctx.nowSeconds) - resolved.incidentStart);
  const window: LiveWindow =
    resolved.end !== null
      ? { kind: 'fixed', start, end: resolved.end }
      : request.range !== undefined
        ? { kind: 'sliding', range: request.range }
        : { kind: 'since', start };
  const range =
    window.kind === 'fixed'
      ? window.end - window.start
      : window.kind === 'sliding'
        ? window.range
        : ctx.nowSeconds - window.start;
  const span = Math.max(range, 0);
  const cellStep =
    resolved.step != null && span / resolved.step >= MIN_POINTS_AT_CELL_STEP
      ? resolved.step
      : chooseStep(span, null, INCIDENT_DISPLAY_POINTS);
  const step = liveStep(span, request.step ?? cellStep, limits.maxPointsPerSeries);
  return {
    query: upstreamQuery({ datasource: resolved.datasource, query: resolved.query, step, window }),
    refreshMs: refreshMs(resolved.refresh),
  };
}
