import { validate } from '../validate.js';
import { z } from 'zod';
import type { DatasourceLookup } from '../../prometheus/datasources.js';
import { PrometheusError } from '../../prometheus/errors.js';
import { toDomainError } from '../../prometheus/run-query.js';
import { DomainError, ValidationError } from '../errors.js';
import { parsePrometheusDuration } from '../../prometheus/duration.js';
import { backtest } from './backtest.js';
import { formatThreshold } from './format-duration.js';
import type { KnownRule } from './known-rules.js';
import type { Episode } from './replay-alerting-rule.js';
import { summarizeEpisodes, type EpisodeSummary } from './suggest.js';

const duration = z
  .string()
  .refine((text) => parsePrometheusDuration(text) !== null, 'expected a Prometheus duration such as 7d or 10m');
const MAX_CANDIDATES = 10;

const backtestRequest = z.object({
  window: duration.default('7d'),
  datasource: z.string().optional(),
  candidates: z
    .array(
      z.object({
        thresholdIndex: z.number().int().min(0).optional(),
        threshold: z.number().optional(),
        for: duration.optional(),
        keepFiringFor: duration.optional(),
        expr: z.string().min(1).optional(),
      }),
    )
    .max(MAX_CANDIDATES)
    .default([]),
});

export interface RuleBacktest extends EpisodeSummary {
  definition: { expr: string; forSeconds: number; keepFiringForSeconds: number };
  episodes: Episode[];
  heldBack: number;
}

/**
 * `POST /rules/:alertname/backtest`: the rule as it is and each candidate,
 * replayed over the same window. A candidate's threshold is written into the
 * expression in place of the literal; Prometheus being unreachable is a 503.
 */
export async function backtestRule(input: {
  rule: KnownRule;
  body: unknown;
  datasources: DatasourceLookup;
  now: number;
  defaultIntervalSeconds: number;
  signal?: AbortSignal;
}) {
  const request = validate(backtestRequest, input.body ?? {});
  const { rule } = input;
  const interval = rule.intervalSeconds ?? input.defaultIntervalSeconds;
  const window = { start: input.now - parsePrometheusDuration(request.window)!, end: input.now, interval };
  const definitions = [
    { expr: rule.expr, forSeconds: rule.forSeconds, keepFiringForSeconds: rule.keepFiringForSeconds },
    ...request.candidates.map((candidate, index) => {
      const threshold = rule.thresholds[candidate.thresholdIndex ?? 0];
      if (candidate.threshold !== undefined && !threshold?.patchable) {
        throw new ValidationError(
          `candidates[${index}].threshold`,
          rule.noThreshold ? `no_threshold: ${rule.noThreshold}` : 'that threshold is not a single literal',
        );
      }
      const expr =
        candidate.expr ??
        (candidate.threshold === undefined
          ? rule.expr
          : rule.expr.slice(0, threshold!.span.from) +
            formatThreshold(candidate.threshold) +
            rule.expr.slice(threshold!.span.to));
      return {
        expr,
        forSeconds: candidate.for === undefined ? rule.forSeconds : parsePrometheusDuration(candidate.for)!,
        keepFiringForSeconds:
          candidate.keepFiringFor === undefined
            ? rule.keepFiringForSeconds
            : parsePrometheusDuration(candidate.keepFiringFor)!,
      };
    }),
  ];
  try {
    const client = input.datasources.get(request.datasource);
    const results = await Promise.all(
      definitions.map((definition) => backtest(client, definition, window, { signal: input.signal })),
    );
    const [current, ...candidates] = results.map(
      (result, index): RuleBacktest => ({
        definition: definitions[index]!,
        ...summarizeEpisodes(result.episodes, window.end),
        episodes: result.episodes,
        heldBack: result.heldBack,
      }),
    );
    return { window, current: current!, candidates };
  } catch (error) {
    if (!(error instanceof PrometheusError)) throw error;
    // Prometheus out of reach is worth a retry (503), like its own "later".
    if (error.kind === 'network') throw new DomainError('unavailable', error.message);
    throw toDomainError(error);
  }
}
