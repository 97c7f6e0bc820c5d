import { validate } from '../validate.js';
import { z } from 'zod';
import type { QueryClient } from '../../prometheus/client.js';
import { NoThresholdError, ValidationError } from '../errors.js';
import { parsePrometheusDuration } from '../../prometheus/duration.js';
import { baselineStatistics, type Period } from './baseline-statistics.js';
import type { KnownRule } from './known-rules.js';
import type { LocatedThreshold } from './locate-thresholds.js';
import { rangeOverWindow, type Window } from './range-over-window.js';
import { countIncidents, type RecordedIncident } from './recorded-incidents.js';
import { replayGrid } from './replay-alerting-rule.js';
import {
  askingPrometheus,
  currentDefinition,
  describeCandidate,
  exprWithThreshold,
  replayDefinitions,
  toRuleBacktest,
} from './replay-candidates.js';
import { duration } from './request-fields.js';
import type { RuleEvaluation } from './rule-evaluation.js';
import { DEFAULT_BUFFER, smallestForWithoutFlaps, suggestThreshold } from './suggest.js';

const baselineRequest = z.object({
  window: duration.default('7d'),
  step: duration.optional(),
  datasource: z.string().optional(),
  thresholdIndex: z.number().int().min(0).default(0),
  buffer: z.number().min(0).max(10).default(DEFAULT_BUFFER),
  excludeIncidents: z.boolean().default(true),
});

/**
 * `POST /rules/:alertname/baseline`: the observed side of one threshold over
 * the window (step: the group's evaluation interval unless given) outside the
 * alert's recorded incidents, its figures, and the threshold and `for` the
 * seeds' method suggests, already backtested against the rule as it is.
 */
export async function baselineRule(input: RuleEvaluation) {
  const request = validate(baselineRequest, input.body ?? {});
  const { rule } = input;
  if (rule.noThreshold) throw new NoThresholdError('thresholdIndex', rule.noThreshold);
  const threshold = rule.thresholds[request.thresholdIndex];
  if (!threshold) throw new ValidationError('thresholdIndex', `the rule has ${rule.thresholds.length} thresholds`);
  const step = request.step
    ? parsePrometheusDuration(request.step)!
    : (rule.intervalSeconds ?? input.defaultIntervalSeconds);
  const windowSeconds = parsePrometheusDuration(request.window)!;
  const end = Math.floor(input.now / step) * step;
  const start = end - Math.floor(windowSeconds / step) * step;
  const incidents = await input.incidents.incidentsOf(rule.alertname, { start, end });

  return askingPrometheus(async () => {
    const client = input.datasources.get(request.datasource);
    const { baseline, truncated } = await observe(client, threshold, {
      window: { start, end, step },
      exclude: request.excludeIncidents ? incidents : [],
      signal: input.signal,
    });
    const suggested = suggestThreshold(baseline.overall, threshold.direction, request.buffer);
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
      excludedIncidents: request.excludeIncidents ? incidents.length : 0,
      suggestion: {
        threshold: suggested,
        buffer: request.buffer,
        ...(suggested !== null && threshold.patchable
          ? await backtestSuggestion(client, {
              rule,
              thresholdIndex: threshold.index,
              threshold: suggested,
              window: { start, end, interval: rule.intervalSeconds ?? input.defaultIntervalSeconds },
              incidents,
              signal: input.signal,
            })
          : { for: null, backtest: null }),
      },
    };
  });
}

/** The baseline figures of the observed side; its samples are let go before the suggestion's backtest runs. */
async function observe(
  client: QueryClient,
  threshold: LocatedThreshold,
  input: { window: Window; exclude: Period[]; signal?: AbortSignal },
) {
  const { series, truncated } = await rangeOverWindow(client, threshold.observed, input.window, {
    signal: input.signal,
  });
  const baseline = baselineStatistics({
    series: series.map((s) => ({ labels: s.metric, times: s.times, values: s.values })),
    ...input.window,
    threshold: { operator: threshold.operator, value: threshold.value },
    exclude: input.exclude,
  });
  return { baseline, truncated };
}

/**
 * The suggested threshold replayed beside the rule as it is, with the smallest
 * `for` that removes its flaps (found by replaying the same evaluations again).
 */
async function backtestSuggestion(
  client: QueryClient,
  input: {
    rule: KnownRule;
    thresholdIndex: number;
    threshold: number;
    window: { start: number; end: number; interval: number };
    incidents: RecordedIncident[];
    signal?: AbortSignal;
  },
) {
  const current = currentDefinition(input.rule);
  const withThreshold = { ...current, expr: exprWithThreshold(input.rule, input.thresholdIndex, input.threshold) };
  const [currentReplay, suggestedReplay] = await replayDefinitions(
    client,
    [current, withThreshold],
    input.window,
    input.signal,
  );
  const forSeconds = smallestForWithoutFlaps(suggestedReplay!.grid, withThreshold) ?? current.forSeconds;
  const suggested = { ...withThreshold, forSeconds };
  const replay = replayGrid(suggestedReplay!.grid, suggested);
  const backtests = {
    current: toRuleBacktest(current, currentReplay!, input.incidents, input.window.end),
    suggested: toRuleBacktest(suggested, replay, input.incidents, input.window.end),
  };
  return {
    for: forSeconds,
    backtest: {
      incidents: countIncidents(input.incidents),
      ...backtests,
      summary: describeCandidate(
        backtests.current,
        backtests.suggested,
        input.incidents,
        input.window.end - input.window.start,
      ),
    },
  };
}
