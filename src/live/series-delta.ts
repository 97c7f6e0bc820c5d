import { encodeSampleValue, type WireSampleValue } from '../prometheus/sample-value.js';
import type { Series } from '../prometheus/types.js';
import type { FrameSeries } from './server-messages.js';

type Point = [number, WireSampleValue];

interface TrackedSeries {
  id: number;
  metric: Record<string, string>;
  values: Point[];
}

export interface SeriesUpdate {
  /** Every series with every point: what a new or lagging subscriber needs. */
  full: FrameSeries[];
  /** Only what changed since the previous update: new or changed points, and series that appeared. */
  changed: FrameSeries[];
  /** Ids of series that vanished since the previous update. */
  removed: number[];
}

/**
 * Follows the successive results of one upstream query and says what changed
 * between two of them, so a subscriber that has the previous result receives
 * only the difference. Series keep an id for as long as they stay in the result.
 */
export class SeriesTracker {
  private nextId = 1;
  private readonly byLabels = new Map<string, TrackedSeries>();

  update(series: Series[]): SeriesUpdate {
    const seen = new Set<string>();
    const full: FrameSeries[] = [];
    const changed: FrameSeries[] = [];
    for (const { metric, values } of series) {
      const labels = labelKey(metric);
      seen.add(labels);
      const points = values.map(([t, v]): Point => [t, encodeSampleValue(v)]);
      const previous = this.byLabels.get(labels);
      if (previous) {
        const fresh = newPoints(previous.values, points);
        if (fresh.length > 0) changed.push({ id: previous.id, values: fresh });
        previous.values = points;
        full.push({ id: previous.id, metric, values: points });
      } else {
        const tracked = { id: this.nextId++, metric, values: points };
        this.byLabels.set(labels, tracked);
        changed.push(tracked);
        full.push(tracked);
      }
    }
    const removed: number[] = [];
    for (const [labels, tracked] of this.byLabels) {
      if (!seen.has(labels)) {
        removed.push(tracked.id);
        this.byLabels.delete(labels);
      }
    }
    return { full, changed, removed };
  }
}

/** Label sets as a map key; Prometheus sends labels in any order. */
function labelKey(metric: Record<string, string>): string {
  return JSON.stringify(Object.entries(metric).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Points of `next` that `previous` lacks or holds with another value: the new end
 * of the window, and any older point a late sample changed. Both are sorted by time.
 */
function newPoints(previous: Point[], next: Point[]): Point[] {
  const fresh: Point[] = [];
  let i = 0;
  for (const point of next) {
    while (i < previous.length && previous[i]![0] < point[0]) i++;
    const old = previous[i];
    if (!old || old[0] !== point[0] || old[1] !== point[1]) fresh.push(point);
  }
  return fresh;
}
