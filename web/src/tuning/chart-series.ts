import type { WireSeries } from '../../../src/prometheus/sample-value.js';
import { type LiveSeries, parsePoints } from '../live/series-state.js';

/** Enough points for a chart as wide as a screen, few enough to fetch a week of many series quickly. */
export const MAX_CHART_POINTS = 2000;

/**
 * The chart's step: the rule's evaluation interval (what the backtest replays),
 * or the smallest multiple of it that keeps the window under MAX_CHART_POINTS.
 */
export function chartStep(windowSeconds: number, intervalSeconds: number): number {
  return Math.max(1, Math.ceil(windowSeconds / intervalSeconds / MAX_CHART_POINTS)) * intervalSeconds;
}

/** A range query's series as the charts' series (ids by position: the set is fixed per answer). */
export function chartSeries(series: readonly WireSeries[]): LiveSeries[] {
  return series.map((s, id) => ({ id, metric: s.metric, points: parsePoints(s.values) }));
}
