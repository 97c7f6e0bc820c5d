import { validate } from '../validate.js';
import { z } from 'zod';
import { NoThresholdError, ValidationError } from '../errors.js';
import { parsePrometheusDuration } from '../../prometheus/duration.js';
import { countIncidents } from './recorded-incidents.js';
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

export type { RuleBacktest } from './replay-candidates.js';

const MAX_CANDIDATES = 10;

const backtestRequest = z.object({
  window: duration.default('7d'),
  /**
   * Unix seconds the window ends at; now when left out. The tune panel sends its baseline's `window.end`, so that
   * every backtest of an edit covers the span its chart shows: against "now", a candidate left unchanged could
   * read another figure a minute later.
   */
  end: z.number().finite().optional(),
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

/**
 * `POST /rules/:alertname/backtest`: the rule as it is and each candidate,
 * replayed over the same window, beside the incidents Alertbook recorded for
 * the alert then. A candidate's threshold is written into the expression in
 * place of the literal; Prometheus being unreachable is a 503.
 */
export async function backtestRule(input: RuleEvaluation) {
  const request = validate(backtestRequest, input.body ?? {});
  const { rule } = input;
  const interval = rule.intervalSeconds ?? input.defaultIntervalSeconds;
  const windowSeconds = parsePrometheusDuration(request.window)!;
  const end = request.end ?? input.now;
  if (end > input.now) throw new ValidationError('end', 'the window cannot end after now: there is no history there');
  const window = { start: end - windowSeconds, end, interval };
  const definitions = [
    currentDefinition(rule),
    ...request.candidates.map((candidate, index) => {
      const thresholdIndex = candidate.thresholdIndex ?? 0;
      if (candidate.threshold !== undefined) {
        const field = `candidates[${index}].threshold`;
        if (rule.noThreshold) throw new NoThresholdError(field, rule.noThreshold);
        if (!rule.thresholds[thresholdIndex]?.patchable) {
          throw new ValidationError(field, `threshold ${thresholdIndex} of the rule is not a single literal`);
        }
      }
      return {
        expr:
          candidate.expr ??
          (candidate.threshold === undefined
            ? rule.expr
            : exprWithThreshold(rule, thresholdIndex, candidate.threshold)),
        forSeconds: candidate.for === undefined ? rule.forSeconds : parsePrometheusDuration(candidate.for)!,
        keepFiringForSeconds:
          candidate.keepFiringFor === undefined
            ? rule.keepFiringForSeconds
            : parsePrometheusDuration(candidate.keepFiringFor)!,
      };
    }),
  ];
  const [replays, incidents] = await Promise.all([
    askingPrometheus(() =>
      replayDefinitions(input.datasources.get(request.datasource), definitions, window, input.signal),
    ),
    input.incidents.incidentsOf(rule.alertname, window),
  ]);
  const [current, ...candidates] = replays.map((replay, index) =>
    toRuleBacktest(definitions[index]!, replay, incidents, window.end),
  );
  return {
    window,
    incidents: { ...countIncidents(incidents), list: incidents },
    current: current!,
    candidates: candidates.map((candidate) => ({
      ...candidate,
      summary: describeCandidate(current!, candidate, incidents, windowSeconds),
    })),
  };
}
