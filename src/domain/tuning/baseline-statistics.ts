import type { ComparisonOperator } from './extract-thresholds.js';
import type { Labels } from './replay-alerting-rule.js';

export interface Period {
  start: number;
  /** null: still open. */
  end: number | null;
}

export interface Statistics {
  samples: number;
  p5: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
  /** Share of samples on the matching side of the threshold (null without one). */
  beyondThreshold: number | null;
  /** Share of the evaluation times of the window (excluded periods left out) that had a sample. */
  coverage: number;
}

export interface Baseline {
  overall: Statistics;
  series: (Statistics & { labels: Labels })[];
  /** Evaluation times considered: the window's, less those inside excluded periods. */
  evaluations: number;
}

export interface BaselineInput {
  /** The observed expression's range-query result at `step` over [start, end], as columns of equal length. */
  series: { labels: Labels; times: ArrayLike<number>; values: ArrayLike<number> }[];
  start: number;
  end: number;
  step: number;
  threshold?: { operator: ComparisonOperator; value: number };
  /** Periods left out, e.g. when an incident of the alert was open: what is left is "normal traffic". */
  exclude?: Period[];
}

const COMPARE: Record<ComparisonOperator, (a: number, b: number) => boolean> = {
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

/**
 * What the observed expression did over a window: per series and over all
 * series' samples pooled. Quantiles interpolate between the two nearest ranks,
 * as Prometheus' `quantile` does; NaN samples count for coverage but not for
 * the figures.
 */
export function baselineStatistics(input: BaselineInput): Baseline {
  const exclude = input.exclude ?? [];
  const excluded = (time: number) => exclude.some((p) => time >= p.start && (p.end === null || time < p.end));
  // Evaluation times are start + k·step; a time off that grid (not from a range query) is kept in a set.
  const grid: number[] = [];
  let evaluations = 0;
  for (let time = input.start; time <= input.end; time += input.step) {
    grid.push(time);
    if (!excluded(time)) evaluations++;
  }
  const coveredOnGrid = new Uint8Array(grid.length);
  const coveredOffGrid = new Set<number>();
  let covered = 0;
  const cover = (time: number) => {
    const k = (time - input.start) / input.step;
    if (Number.isInteger(k) && grid[k] === time) {
      if (coveredOnGrid[k] === 0) covered++;
      coveredOnGrid[k] = 1;
    } else if (!coveredOffGrid.has(time)) {
      coveredOffGrid.add(time);
      covered++;
    }
  };

  let total = 0;
  for (const { values } of input.series) total += values.length;
  const pooled = new Float64Array(total);
  let pooledLength = 0;
  const series = input.series.map(({ labels, times, values }) => {
    const numbers = new Float64Array(values.length);
    let kept = 0;
    let length = 0;
    for (let i = 0; i < times.length; i++) {
      const time = times[i]!;
      if (exclude.length && excluded(time)) continue;
      kept++;
      cover(time);
      const value = values[i]!;
      if (!Number.isNaN(value)) numbers[length++] = value;
    }
    const own = numbers.subarray(0, length);
    pooled.set(own, pooledLength);
    pooledLength += length;
    return { labels, ...figures(own, input.threshold), coverage: evaluations ? kept / evaluations : 0 };
  });
  const overall = {
    ...figures(pooled.subarray(0, pooledLength), input.threshold),
    coverage: evaluations ? covered / evaluations : 0,
  };
  return { overall, series, evaluations };
}

/** Sorts `values` in place (the caller's scratch columns), then reads the figures off it. */
function figures(values: Float64Array, threshold: BaselineInput['threshold']): Omit<Statistics, 'coverage'> {
  const sorted = values.sort();
  const n = sorted.length;
  let sum = 0;
  let beyond = 0;
  for (const value of sorted) {
    sum += value;
    if (threshold && COMPARE[threshold.operator](value, threshold.value)) beyond++;
  }
  const quantile = (q: number) => {
    if (n === 0) return null;
    const rank = q * (n - 1);
    const lower = Math.floor(rank);
    const upper = Math.min(lower + 1, n - 1);
    return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (rank - lower);
  };
  return {
    samples: n,
    p5: quantile(0.05),
    p50: quantile(0.5),
    p90: quantile(0.9),
    p95: quantile(0.95),
    p99: quantile(0.99),
    max: n ? sorted[n - 1]! : null,
    mean: n ? sum / n : null,
    beyondThreshold: threshold && n ? beyond / n : null,
  };
}
