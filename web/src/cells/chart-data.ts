import type { AlignedData } from 'uplot';
import type { LiveSeries } from '../live/series-state.js';

/**
 * Series as uPlot's columns: one x column (the union of the timestamps) and
 * one y column per series, null where a series has no point or a value that
 * cannot be drawn (NaN, ±Inf) — a gap rather than a spike.
 */
export function toAlignedData(series: readonly LiveSeries[]): AlignedData {
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const column = new Map(times.map((t, i) => [t, i]));
  const ys = series.map((s) => {
    const y: (number | null)[] = new Array<number | null>(times.length).fill(null);
    for (const [t, v] of s.points) y[column.get(t)!] = Number.isFinite(v) ? v : null;
    return y;
  });
  return [times, ...ys];
}

/** The newest value of each series, for instant cells and legends of static charts. */
export function latestValues(series: readonly LiveSeries[]): { series: LiveSeries; at: number; value: number }[] {
  return series.flatMap((s) => {
    const last = s.points[s.points.length - 1];
    return last ? [{ series: s, at: last[0], value: last[1] }] : [];
  });
}
