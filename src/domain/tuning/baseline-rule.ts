import { validate } from '../validate.js';
import { z } from 'zod';
import type { DatasourceLookup } from '../../prometheus/datasources.js';
import { PrometheusError } from '../../prometheus/errors.js';
import { toDomainError } from '../../prometheus/run-query.js';
import { DomainError, ValidationError } from '../errors.js';
import { parsePrometheusDuration } from '../../prometheus/duration.js';
import { baselineStatistics } from './baseline-statistics.js';
import type { KnownRule } from './known-rules.js';
import { rangeOverWindow } from './range-over-window.js';
import { DEFAULT_BUFFER, suggestThreshold } from './suggest.js';

const duration = z
  .string()
  .refine((text) => parsePrometheusDuration(text) !== null, 'expected a Prometheus duration such as 7d or 1m');

const baselineRequest = z.object({
  window: duration.default('7d'),
  step: duration.optional(),
  datasource: z.string().optional(),
  thresholdIndex: z.number().int().min(0).default(0),
  buffer: z.number().min(0).max(10).default(DEFAULT_BUFFER),
});

/**
 * `POST /rules/:alertname/baseline`: the observed side of one threshold over
 * the window (step: the group's evaluation interval unless given), its
 * figures, and the threshold the seeds' method suggests.
 */
export async function baselineRule(input: {
  rule: KnownRule;
  body: unknown;
  datasources: DatasourceLookup;
  now: number;
  defaultIntervalSeconds: number;
  signal?: AbortSignal;
}) {
  const request = validate(baselineRequest, input.body ?? {});
  const threshold = input.rule.thresholds[request.thresholdIndex];
  if (!threshold) {
    throw new ValidationError(
      'thresholdIndex',
      input.rule.noThreshold
        ? `no_threshold: ${input.rule.noThreshold}`
        : `the rule has ${input.rule.thresholds.length} thresholds`,
    );
  }
  const step = request.step
    ? parsePrometheusDuration(request.step)!
    : (input.rule.intervalSeconds ?? input.defaultIntervalSeconds);
  const end = Math.floor(input.now / step) * step;
  const start = end - Math.floor(parsePrometheusDuration(request.window)! / step) * step;
  try {
    const client = input.datasources.get(request.datasource);
    const { series, truncated } = await rangeOverWindow(
      client,
      threshold.observed,
      { start, end, step },
      { signal: input.signal },
    );
    const baseline = baselineStatistics({
      series: series.map((s) => ({ labels: s.metric, values: s.values })),
      start,
      end,
      step,
      threshold: { operator: threshold.operator, value: threshold.value },
    });
    return {
      window: { start, end, step },
      threshold: {
        index: threshold.index,
        operator: threshold.operator,
        value: threshold.value,
        observed: threshold.observed,
      },
      ...baseline,
      truncated,
      suggestion: {
        threshold: suggestThreshold(baseline.overall, threshold.direction, request.buffer),
        buffer: request.buffer,
      },
    };
  } catch (error) {
    if (!(error instanceof PrometheusError)) throw error;
    if (error.kind === 'network') throw new DomainError('unavailable', error.message);
    throw toDomainError(error);
  }
}
