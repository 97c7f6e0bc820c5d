import { chooseStep } from '../prometheus/step.js';

/** Which stretch of time a live cell shows. Every bound is aligned to the step (see windowAt). */
export type LiveWindow =
  /** The last `range` seconds: an ad-hoc query, or a cell given an explicit range. */
  | { kind: 'sliding'; range: number }
  /** From `start` until now: a firing incident's cell ([incident start − 1 h, now]). */
  | { kind: 'since'; start: number }
  /** A resolved incident's cell: the data cannot change, so it is queried once. */
  | { kind: 'fixed'; start: number; end: number };

/** One range query against a datasource; subscriptions with equal queries share it. */
export interface UpstreamQuery {
  datasource: string;
  /** Already rendered: an incident cell's placeholders are filled in. */
  query: string;
  step: number;
  window: LiveWindow;
}

/** The query with its window's bounds moved onto the step grid, so equal windows give equal keys. */
export function upstreamQuery(query: UpstreamQuery): UpstreamQuery {
  const { step, window } = query;
  if (window.kind === 'sliding') return query;
  if (window.kind === 'since') return { ...query, window: { kind: 'since', start: alignDown(window.start, step) } };
  return { ...query, window: { kind: 'fixed', start: alignDown(window.start, step), end: alignUp(window.end, step) } };
}

/** Equal for exactly the subscriptions that may share one upstream query. */
export function upstreamKey(query: UpstreamQuery): string {
  return JSON.stringify([query.datasource, query.step, query.window, query.query]);
}

export function isPolled(query: UpstreamQuery): boolean {
  return query.window.kind !== 'fixed';
}

/**
 * The step for a window of `rangeSeconds`: the requested one or a round one for
 * about 600 points, raised so a series never has more than `maxPoints` points.
 */
export function liveStep(rangeSeconds: number, requested: number | null | undefined, maxPoints: number): number {
  return Math.max(chooseStep(rangeSeconds, requested), roundMs(Math.ceil((rangeSeconds / maxPoints) * 1000) / 1000));
}

/**
 * The window of a query built by upstreamQuery() at `nowSeconds`. Both ends sit on multiples of the step, so
 * Prometheus evaluates at the same timestamps on every tick: a point, once sent,
 * keeps its timestamp, and a new tick only adds points at the end. A `since`
 * window that has grown past `maxPoints` keeps its newest part.
 */
export function windowAt(query: UpstreamQuery, nowSeconds: number, maxPoints: number): { start: number; end: number } {
  const { step, window } = query;
  if (window.kind === 'fixed') return { start: window.start, end: window.end };
  const end = alignDown(nowSeconds, step);
  const start =
    window.kind === 'sliding'
      ? roundMs(end - Math.ceil(window.range / step - 1e-9) * step)
      : Math.max(window.start, roundMs(end - (maxPoints - 1) * step));
  return { start: Math.min(start, end), end };
}

// The epsilon absorbs float error (0.3 / 0.1 = 2.9999999999999996); results keep millisecond precision.
function alignDown(seconds: number, step: number): number {
  return roundMs(Math.floor(seconds / step + 1e-9) * step);
}

function alignUp(seconds: number, step: number): number {
  return roundMs(Math.ceil(seconds / step - 1e-9) * step);
}

function roundMs(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
