import { z } from 'zod';
import type { TuningValues } from '../../../db/schema/tuning.js';
import { parsePrometheusDuration } from '../../../prometheus/duration.js';
import { DomainError, ValidationError } from '../../errors.js';
import { validate } from '../../validate.js';
import { formatDuration } from '../format-duration.js';
import type { KnownRule } from '../known-rules.js';

const duration = z
  .string()
  .refine((text) => parsePrometheusDuration(text) !== null, 'expected a Prometheus duration such as 10m or 7d');

/** Evidence ids as the baseline and backtest routes answer them: `baseline-12`, `backtest-7`. */
export const EVIDENCE_ID = /^(baseline|backtest)-([1-9]\d{0,15})$/;

export const DEFAULT_VERIFY_AFTER = '7d';

export const decisionRequest = z.object({
  alertname: z.string().min(1),
  group: z.string().min(1).optional(),
  file: z.string().min(1).optional(),
  line: z.number().int().positive().optional(),
  thresholdIndex: z.number().int().min(0).default(0),
  to: z
    .object({
      threshold: z.number().finite().optional(),
      for: duration.optional(),
      keepFiringFor: duration.optional(),
      expr: z.string().trim().min(1).optional(),
    })
    .strict()
    .refine(
      (to) => Object.values(to).some((value) => value !== undefined),
      'give at least one of threshold, for, keepFiringFor, expr',
    )
    .refine((to) => to.threshold === undefined || to.expr === undefined, 'threshold and expr exclude each other'),
  reason: z.string().trim().min(1, 'must not be empty').max(20_000),
  incidentId: z.number().int().positive().optional(),
  verifyAfter: duration.default(DEFAULT_VERIFY_AFTER),
  evidence: z
    .object({
      baselineId: z
        .string()
        .regex(EVIDENCE_ID, 'expected an id answered by POST /rules/:alertname/baseline')
        .optional(),
      backtestId: z
        .string()
        .regex(EVIDENCE_ID, 'expected an id answered by POST /rules/:alertname/backtest')
        .optional(),
    })
    .strict()
    .default({}),
});

export type DecisionRequest = z.output<typeof decisionRequest>;

export function parseDecisionRequest(body: unknown): DecisionRequest {
  return validate(decisionRequest, body);
}

/** What the rule holds now, in the decision's terms. */
export type FromValues = TuningValues & { operator: string | null; expr: string };

/** A duration the API shows: null for none (0). */
function shownDuration(seconds: number): string | null {
  return seconds === 0 ? null : formatDuration(seconds);
}

/**
 * The from-values (the rule as it is) and to-values (what changes; null: left
 * as is) of a decision. A threshold change needs that threshold to be a single
 * literal (422 `no_threshold` otherwise: arithmetic or a comparison with a
 * series is never patched), and a decision that changes nothing is a 400.
 */
export function decisionValues(rule: KnownRule, request: DecisionRequest): { from: FromValues; to: TuningValues } {
  const threshold = rule.thresholds[request.thresholdIndex];
  if (request.to.threshold !== undefined && !threshold?.patchable) {
    const why = threshold
      ? `threshold ${request.thresholdIndex} is written as "${threshold.text}": edit it by hand`
      : (rule.noThreshold ?? `the rule has ${rule.thresholds.length} thresholds`);
    throw new DomainError('no_threshold', `thresholdIndex: ${why}`, 'thresholdIndex');
  }
  const from: FromValues = {
    threshold: threshold?.value ?? null,
    operator: threshold?.operator ?? null,
    for: shownDuration(rule.forSeconds),
    keepFiringFor: shownDuration(rule.keepFiringForSeconds),
    expr: rule.expr,
  };
  const seconds = (text: string | undefined) => (text === undefined ? undefined : parsePrometheusDuration(text)!);
  const to: TuningValues = {
    threshold: request.to.threshold ?? null,
    for: request.to.for === undefined ? null : formatDuration(seconds(request.to.for)!),
    keepFiringFor: request.to.keepFiringFor === undefined ? null : formatDuration(seconds(request.to.keepFiringFor)!),
    expr: request.to.expr ?? null,
  };
  if (
    (to.threshold === null || Object.is(to.threshold, from.threshold)) &&
    (to.for === null || seconds(request.to.for) === rule.forSeconds) &&
    (to.keepFiringFor === null || seconds(request.to.keepFiringFor) === rule.keepFiringForSeconds) &&
    (to.expr === null || to.expr === rule.expr.trim())
  ) {
    throw new ValidationError('to', 'the rule already holds these values: the decision would change nothing');
  }
  return { from, to };
}

/** `baseline-12` → 12, checked against the field's kind; a 400 naming the field otherwise. */
export function evidenceRowId(field: 'baselineId' | 'backtestId', id: string): number {
  const match = EVIDENCE_ID.exec(id);
  const kind = field === 'baselineId' ? 'baseline' : 'backtest';
  if (!match || match[1] !== kind) throw new ValidationError(`evidence.${field}`, `"${id}" is not a ${kind} id`);
  return Number(match[2]);
}
