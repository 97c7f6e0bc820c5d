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
  /** The observed expression's range-query result at `step` over [start, end]. */
  series: { labels: Labels; values: [number, number][] }[];
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
  const excluded = (time: number) =>
    (input.exclude ?? []).some((p) => time >= p.start && (p.end === null || time < p.end));
  let evaluations = 0;
  for (let time = input.start; time <= input.end; time += input.step) if (!excluded(time)) evaluations++;

  const covered = new Set<number>();
  const pooled: number[] = [];
  const series = input.series.map(({ labels, values }) => {
    const kept = input.exclude?.length ? values.filter(([time]) => !excluded(time)) : values;
    for (const [time] of kept) covered.add(time);
    const numbers = kept.map(([, value]) => value).filter((value) => !Number.isNaN(value));
    pooled.push(...numbers);
    return { labels, ...figures(numbers, input.threshold), coverage: evaluations ? kept.length / evaluations : 0 };
  });
  const overall = { ...figures(pooled, input.threshold), coverage: evaluations ? covered.size / evaluations : 0 };
  return { overall, series, evaluations };
}

function figures(values: number[], threshold: BaselineInput['threshold']): Omit<Statistics, 'coverage'> {
  const sorted = Float64Array.from(values).sort();
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
