import type { QueryClient } from '../../prometheus/client.js';
import { rangeOverWindow } from './range-over-window.js';
import { presenceGrid, replayGrid, type PresenceGrid, type Replay } from './replay-alerting-rule.js';

export interface RuleDefinition {
  expr: string;
  forSeconds: number;
  keepFiringForSeconds: number;
}

export interface BacktestWindow {
  /** Unix seconds. The first evaluation is the first multiple of `interval` at or after `start`. */
  start: number;
  end: number;
  /** The group's evaluation interval, seconds. */
  interval: number;
}

export interface Backtest extends Replay {
  /** Evaluation times replayed. */
  evaluations: number;
  truncated: boolean;
  /** What was replayed: replaying it again with another `for` needs no new query. */
  grid: PresenceGrid;
}

/**
 * What an alerting rule would have done over a window of history: its
 * expression evaluated by Prometheus at every evaluation time (one range query
 * at the group's interval, in chunks), then the rule's states replayed.
 * Evaluation times are multiples of the interval; a real group is offset from
 * them by a fixed per-group jitter, which moves every transition by the same
 * amount (less than one interval).
 */
export async function backtest(
  client: QueryClient,
  rule: RuleDefinition,
  window: BacktestWindow,
  options: { concurrency?: number; signal?: AbortSignal } = {},
): Promise<Backtest> {
  const start = Math.ceil(window.start / window.interval) * window.interval;
  const end = Math.floor(window.end / window.interval) * window.interval;
  const { series, truncated } = await rangeOverWindow(
    client,
    rule.expr,
    { start, end, step: window.interval },
    options,
  );
  const grid = presenceGrid({
    start,
    end,
    interval: window.interval,
    series: series.map((s) => ({ labels: s.metric, present: s.times })),
  });
  const replay = replayGrid(grid, rule);
  return { ...replay, evaluations: Math.max(0, (end - start) / window.interval + 1), truncated, grid };
}
