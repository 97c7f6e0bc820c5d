import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { chooseStep, MAX_POINTS_PER_SERIES, minimumStep, parseDuration } from './step.js';

const RFC3339 = z.iso.datetime({ offset: true });
const TIME_FORMAT = 'must be unix seconds or an RFC 3339 time like 2026-11-22T07:29:51Z';

/** A point in time as Prometheus' API takes it (unix seconds or RFC 3339), read as unix seconds. */
export const unixTimeSchema = z.union([z.number(), z.string()], { error: TIME_FORMAT }).transform((value, ctx) => {
  const seconds =
    typeof value === 'number'
      ? value
      : /^\d+(\.\d+)?$/.test(value)
        ? Number(value)
        : RFC3339.safeParse(value).success
          ? Date.parse(value) / 1000
          : Number.NaN;
  if (!Number.isFinite(seconds) || seconds < 0) {
    ctx.addIssue({ code: 'custom', message: TIME_FORMAT });
    return z.NEVER;
  }
  return seconds;
});

/** A positive duration: seconds (`30`) or a Prometheus duration (`"5m"`), read as seconds. */
export const durationSchema = z
  .union([z.number(), z.string()], { error: 'must be seconds or a Prometheus duration like "5m"' })
  .transform((value, ctx) => {
    try {
      const seconds = parseDuration(value);
      if (seconds > 0) return seconds;
      ctx.addIssue({ code: 'custom', message: 'must be positive' });
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
    return z.NEVER;
  });

export interface RangeWindow {
  start: number;
  end: number;
  step: number;
}

/**
 * Checks a range: end not before start, and a step the caller gave within
 * Prometheus' 11,000 points per series (rejected rather than silently raised:
 * they asked for that resolution). Without one, the step is chosen for the
 * range, starting from `preferredStep` (a runbook cell's own) when there is one.
 */
export function checkedRangeWindow(
  input: { start: number; end: number; step?: number | undefined },
  preferredStep?: number | null,
): RangeWindow {
  const { start, end, step } = input;
  if (end < start) throw new ValidationError('end', 'must not be before start');
  const range = end - start;
  if (step === undefined) return { start, end, step: chooseStep(range, preferredStep) };
  const points = Math.floor(range / step) + 1;
  if (points > MAX_POINTS_PER_SERIES) {
    throw new ValidationError(
      'step',
      `${step}s gives ${points} points per series over ${range}s; Prometheus allows at most 11,000: use a step of at least ${minimumStep(range)}s`,
    );
  }
  return { start, end, step };
}
