import type { WireSampleValue, WireSeries } from '../../../prometheus/sample-value.js';
import type { SnapshotData } from '../../snapshots/record-snapshot.js';

/** Series of a snapshot as plotted or tabled: a name from its labels and its finite points. */
export interface NamedSeries {
  name: string;
  points: [number, number][];
}

export function snapshotSeries(snapshot: SnapshotData): NamedSeries[] {
  if (!('series' in snapshot)) return [];
  return snapshot.series.map((s: WireSeries) => ({
    name: seriesName(s.metric),
    points: s.values.filter((v): v is [number, number] => finite(v[1])),
  }));
}

export function seriesName(metric: Record<string, string>): string {
  const { __name__: name = '', ...labels } = metric;
  const inner = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  return inner ? `${name}{${inner}}` : name || '{}';
}

function finite(value: WireSampleValue): value is number {
  return typeof value === 'number';
}
