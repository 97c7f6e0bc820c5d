import type { Labels } from '../api/types.js';
import type { DataFrame, WireValue } from './protocol.js';

export interface LiveSeries {
  id: number;
  metric: Labels;
  /** [unix seconds, value], oldest first. NaN and ±Inf kept as such. */
  points: [number, number][];
}

/** What a live cell holds: the window and its series, rebuilt from a full frame and the deltas after it. */
export interface SeriesState {
  from: number;
  to: number;
  step: number;
  series: LiveSeries[];
  truncated: boolean;
  totalSeries: number;
  warnings: string[];
}

const SPECIAL: Record<string, number> = { NaN: NaN, '+Inf': Infinity, '-Inf': -Infinity };

function toNumber(value: WireValue): number {
  return typeof value === 'number' ? value : (SPECIAL[value] ?? NaN);
}

/** Wire points as numbers: NaN and ±Inf arrive spelled out (JSON has none). */
export function parsePoints(values: [number, WireValue][]): [number, number][] {
  return values.map(([t, v]) => [t, toNumber(v)]);
}

/**
 * Applies one data frame. A full frame replaces everything; a delta adds new
 * series, merges new or corrected points into known ones (points are keyed by
 * timestamp), drops removed series, and slides the window: points older than
 * `from` go.
 */
export function applyDataFrame(previous: SeriesState | null, frame: DataFrame): SeriesState {
  const base = {
    from: frame.from,
    to: frame.to,
    step: frame.step,
    truncated: frame.truncated,
    totalSeries: frame.totalSeries,
    warnings: frame.warnings ?? [],
  };
  if (!frame.delta || !previous) {
    return {
      ...base,
      series: frame.series.map((s) => ({ id: s.id, metric: s.metric ?? {}, points: parsePoints(s.values) })),
    };
  }
  const removed = new Set(frame.removed ?? []);
  const changes = new Map(frame.series.map((s) => [s.id, s]));
  const series: LiveSeries[] = [];
  for (const known of previous.series) {
    if (removed.has(known.id)) continue;
    const change = changes.get(known.id);
    changes.delete(known.id);
    const points = change ? mergePoints(known.points, parsePoints(change.values)) : known.points;
    series.push({ ...known, points: dropBefore(points, frame.from) });
  }
  for (const added of changes.values()) {
    series.push({
      id: added.id,
      metric: added.metric ?? {},
      points: dropBefore(parsePoints(added.values), frame.from),
    });
  }
  return { ...base, series };
}

/** Both sorted by time; a point of `incoming` replaces the one with its timestamp. */
function mergePoints(existing: [number, number][], incoming: [number, number][]): [number, number][] {
  const last = existing[existing.length - 1]?.[0] ?? -Infinity;
  // The usual case: every new point is past the end, and no sort is needed.
  if ((incoming[0]?.[0] ?? Infinity) > last) return [...existing, ...incoming];
  const byTime = new Map(existing.map((p) => [p[0], p]));
  for (const point of incoming) byTime.set(point[0], point);
  return [...byTime.values()].sort((a, b) => a[0] - b[0]);
}

function dropBefore(points: [number, number][], from: number): [number, number][] {
  const firstKept = points.findIndex((p) => p[0] >= from);
  if (firstKept === 0) return points;
  return firstKept < 0 ? [] : points.slice(firstKept);
}

/** A snapshot kept on the timeline (`cell.snapshot`), as a static chart's data. */
export function stateFromSnapshot(snapshot: {
  start: number;
  end: number;
  step: number | null;
  series: { metric: Labels; values: [number, WireValue][] }[];
  truncated?: boolean;
  totalSeries?: number;
  warnings?: string[];
}): SeriesState {
  return {
    from: snapshot.start,
    to: snapshot.end,
    step: snapshot.step ?? 0,
    series: snapshot.series.map((s, index) => ({ id: index + 1, metric: s.metric, points: parsePoints(s.values) })),
    truncated: snapshot.truncated ?? false,
    totalSeries: snapshot.totalSeries ?? snapshot.series.length,
    warnings: snapshot.warnings ?? [],
  };
}
