export type Labels = Record<string, string>;

/** One series of the alert expression: the evaluation times (unix seconds, ascending) at which it was in the result. */
export interface EvaluatedSeries {
  labels: Labels;
  present: number[];
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
  const byIdentity = new Map<string, { labels: Labels; present: Set<number> }>();
  for (const series of input.series) {
    const labels = alertIdentity(series.labels);
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
    const entry = byIdentity.get(key) ?? { labels, present: new Set<number>() };
    for (const time of series.present) entry.present.add(time);
    byIdentity.set(key, entry);
  }

  const episodes: Episode[] = [];
  let heldBack = 0;
  for (const { labels, present } of byIdentity.values()) {
    let state: State = { kind: 'inactive' };
    for (let ts = input.start; ts <= input.end; ts += input.interval) {
      if (present.has(ts)) {
        if (state.kind === 'inactive') state = { kind: 'pending', activeAt: ts };
        else if (state.kind === 'firing') state.keepFiringSince = null;
      } else if (state.kind === 'pending') {
        heldBack++;
        state = { kind: 'inactive' };
      } else if (state.kind === 'firing') {
        state.keepFiringSince ??= ts;
        if (input.keepFiringForSeconds === 0 || ts - state.keepFiringSince >= input.keepFiringForSeconds) {
          episodes.push({ labels, activeAt: state.activeAt, firedAt: state.firedAt, resolvedAt: ts });
          state = { kind: 'inactive' };
        }
      }
      if (state.kind === 'pending' && ts - state.activeAt >= input.forSeconds) {
        state = { kind: 'firing', activeAt: state.activeAt, firedAt: ts, keepFiringSince: null };
      }
    }
    if (state.kind === 'firing')
      episodes.push({ labels, activeAt: state.activeAt, firedAt: state.firedAt, resolvedAt: null });
  }
  episodes.sort((a, b) => a.firedAt - b.firedAt || compareLabels(a.labels, b.labels));
  return { episodes, heldBack };
}

/** An alert is identified by its series' labels without the metric name. */
function alertIdentity(labels: Labels): Labels {
  const { __name__: _name, ...rest } = labels;
  return rest;
}

function compareLabels(a: Labels, b: Labels): number {
  const left = JSON.stringify(Object.entries(a).sort());
  const right = JSON.stringify(Object.entries(b).sort());
  return left < right ? -1 : left > right ? 1 : 0;
}
