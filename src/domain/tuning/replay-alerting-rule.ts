export type Labels = Record<string, string>;

/** One series of the alert expression: the evaluation times (unix seconds, ascending) at which it was in the result. */
export interface EvaluatedSeries {
  labels: Labels;
  present: ArrayLike<number>;
}

export interface ReplayInput {
  /** First and last evaluation time (inclusive), unix seconds; `end` is rounded down onto the interval. */
  start: number;
  end: number;
  /** The group's evaluation interval, seconds. */
  interval: number;
  forSeconds: number;
  keepFiringForSeconds: number;
  series: EvaluatedSeries[];
}

/** An alert that reached firing: `activeAt` when it went pending, `firedAt`, and `resolvedAt` (null: still firing at `end`). */
export interface Episode {
  labels: Labels;
  activeAt: number;
  firedAt: number;
  resolvedAt: number | null;
}

export interface Replay {
  /** Ordered by `firedAt`, then labels. */
  episodes: Episode[];
  /** Alerts that went pending and were dropped before `for` elapsed: what `for` held back. */
  heldBack: number;
}

/** The evaluation times of a window and, per alert, whether its expression returned it at each: what every replay reads. */
export interface PresenceGrid {
  start: number;
  end: number;
  interval: number;
  alerts: { labels: Labels; order: string; present: Uint8Array }[];
}

type State =
  | { kind: 'inactive' }
  | { kind: 'pending'; activeAt: number }
  | { kind: 'firing'; activeAt: number; firedAt: number; keepFiringSince: number | null };

/**
 * Prometheus' alerting-rule state machine (rules/alerting.go, AlertingRule.Eval)
 * over the results of the rule's expression at each evaluation time. Presence
 * comes from Prometheus itself (a range query at the group's interval evaluates
 * the expression exactly as each rule evaluation would, lookback and staleness
 * included), so only the states are replayed here: pending when first seen,
 * firing once `ts − activeAt ≥ for`, held by `keep_firing_for` from the first
 * missed evaluation, resolved at the first evaluation that no longer matches.
 */
export function replayAlertingRule(input: ReplayInput): Replay {
  return replayGrid(presenceGrid(input), input);
}

/**
 * Presence per alert at each evaluation time, computed once: replaying the
 * same evaluations under another `for` (the suggestion's search) is then a
 * linear scan of bytes. Series are merged by alert identity.
 */
export function presenceGrid(input: Pick<ReplayInput, 'start' | 'end' | 'interval' | 'series'>): PresenceGrid {
  const times: number[] = [];
  for (let ts = input.start; ts <= input.end; ts += input.interval) times.push(ts);
  const byIdentity = new Map<string, PresenceGrid['alerts'][number]>();
  for (const series of input.series) {
    const labels = alertIdentity(series.labels);
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
    let alert = byIdentity.get(key);
    if (!alert) {
      alert = { labels, order: JSON.stringify(Object.entries(labels).sort()), present: new Uint8Array(times.length) };
      byIdentity.set(key, alert);
    }
    markPresent(alert.present, times, ascending(series.present));
  }
  return { start: input.start, end: input.end, interval: input.interval, alerts: [...byIdentity.values()] };
}

/** Both ascending: a merge marks each evaluation time the series has exactly. */
function markPresent(present: Uint8Array, times: number[], seen: ArrayLike<number>): void {
  let j = 0;
  for (let i = 0; i < times.length && j < seen.length; i++) {
    const ts = times[i]!;
    while (j < seen.length && seen[j]! < ts) j++;
    if (j < seen.length && seen[j] === ts) present[i] = 1;
  }
}

function ascending(times: ArrayLike<number>): ArrayLike<number> {
  for (let i = 1; i < times.length; i++) {
    if (times[i - 1]! > times[i]!) return Float64Array.from(times).sort();
  }
  return times;
}

/** The state machine over a presence grid, under one `for` and `keep_firing_for`. */
export function replayGrid(grid: PresenceGrid, rule: { forSeconds: number; keepFiringForSeconds: number }): Replay {
  const episodes: (Episode & { order: string })[] = [];
  let heldBack = 0;
  for (const { labels, order, present } of grid.alerts) {
    let state: State = { kind: 'inactive' };
    let i = 0;
    for (let ts = grid.start; ts <= grid.end; ts += grid.interval, i++) {
      if (present[i] === 1) {
        if (state.kind === 'inactive') state = { kind: 'pending', activeAt: ts };
        else if (state.kind === 'firing') state.keepFiringSince = null;
      } else if (state.kind === 'pending') {
        heldBack++;
        state = { kind: 'inactive' };
      } else if (state.kind === 'firing') {
        state.keepFiringSince ??= ts;
        if (rule.keepFiringForSeconds === 0 || ts - state.keepFiringSince >= rule.keepFiringForSeconds) {
          episodes.push({ labels, order, activeAt: state.activeAt, firedAt: state.firedAt, resolvedAt: ts });
          state = { kind: 'inactive' };
        }
      }
      if (state.kind === 'pending' && ts - state.activeAt >= rule.forSeconds) {
        state = { kind: 'firing', activeAt: state.activeAt, firedAt: ts, keepFiringSince: null };
      }
    }
    if (state.kind === 'firing')
      episodes.push({ labels, order, activeAt: state.activeAt, firedAt: state.firedAt, resolvedAt: null });
  }
  episodes.sort((a, b) => a.firedAt - b.firedAt || (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
  return { episodes: episodes.map(({ order: _order, ...episode }) => episode), heldBack };
}

/** An alert is identified by its series' labels without the metric name. */
function alertIdentity(labels: Labels): Labels {
  const { __name__: _name, ...rest } = labels;
  return rest;
}
