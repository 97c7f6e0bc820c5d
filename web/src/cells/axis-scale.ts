/**
 * The y axis of a cell chart: its range and, for bytes, tick steps in powers
 * of 1024, so a byte axis reads 0 / 256 MiB / 512 MiB rather than 477 MiB / 954 MiB.
 */

const BINARY_INCRS = Array.from({ length: 7 }, (_, power) =>
  [1, 2, 4, 8, 16, 32, 64, 128, 256, 512].map((m) => m * 1024 ** power),
).flat();

/** Tick steps for a unit's axis; undefined: uPlot's own (1·2·5 × 10ⁿ). */
export function axisIncrements(unit: string | null): number[] | undefined {
  return unit === 'bytes' ? BINARY_INCRS : undefined;
}

/**
 * [min, max] of the y axis for data in [min, max] (NaN: no data) and an
 * optional threshold that must stay in view. Data from 0 (or near it)
 * starts the axis at exactly 0 (so a tick sits there); a flat series gets a
 * small range around it (all zeros: 0–1), not uPlot's 0–100.
 */
export function yRange(dataMin: number, dataMax: number, threshold: number | null): [number, number] {
  const values = [dataMin, dataMax, threshold ?? Number.NaN].filter(Number.isFinite);
  if (values.length === 0) return [0, 1];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (lo === hi) {
    if (lo === 0) return [0, 1];
    const pad = Math.abs(lo) * 0.1;
    return lo > 0 ? [Math.max(0, lo - pad), lo + pad] : [lo - pad, Math.min(0, lo + pad)];
  }
  const pad = (hi - lo) * 0.1;
  // Data at or near 0 (its low end under a quarter of its high end): the axis starts at exactly 0, the
  // baseline a reader compares against. Data far from 0 (latency around 0.2 s) keeps its own range.
  const min = lo >= 0 && (lo <= hi / 4 || lo - pad < 0) ? 0 : lo - pad;
  const max = hi <= 0 && (hi >= lo / 4 || hi + pad > 0) ? 0 : hi + pad;
  return [min, max];
}
