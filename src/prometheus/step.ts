import { parsePrometheusDuration } from './duration.js';

/** Prometheus rejects a range query whose `(end - start) / step` exceeds this (`exceeded maximum resolution`). */
export const MAX_POINTS_PER_SERIES = 11_000;

// Steps a person reads at a glance; they also align neighbouring windows to the same sample times.
const NICE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400];
const DAY = 86_400;

/**
 * The smallest step (seconds, millisecond precision) that keeps a range to at most
 * 11,000 points per series, counting both ends: floor(range / step) + 1 ≤ 11,000.
 */
export function minimumStep(rangeSeconds: number): number {
  return Math.ceil((rangeSeconds / (MAX_POINTS_PER_SERIES - 1)) * 1000) / 1000;
}

/**
 * The step for a range query: the requested one when given (raised if it would
 * exceed 11,000 points), else a round step giving about `displayPoints` points.
 */
export function chooseStep(rangeSeconds: number, requestedStep?: number | null, displayPoints = 600): number {
  if (!Number.isFinite(rangeSeconds) || rangeSeconds < 0) {
    throw new RangeError(`range must be a non-negative number of seconds, got ${rangeSeconds}`);
  }
  if (requestedStep != null && !(Number.isFinite(requestedStep) && requestedStep > 0)) {
    throw new RangeError(`step must be a positive number of seconds, got ${requestedStep}`);
  }
  if (!(displayPoints >= 1)) throw new RangeError(`displayPoints must be at least 1, got ${displayPoints}`);

  const floor = minimumStep(rangeSeconds);
  if (requestedStep != null) return Math.max(requestedStep, floor);
  const target = rangeSeconds / displayPoints;
  const nice = NICE_STEPS.find((step) => step >= target) ?? Math.ceil(target / DAY) * DAY;
  return Math.max(nice, floor);
}

/**
 * Seconds from a number of seconds (`30`, `"1.5"`) or a Prometheus duration
 * (`"5m"`, `"1h30m"`), as Prometheus' own `step` and `timeout` parameters accept.
 */
export function parseDuration(text: string | number): number {
  if (typeof text === 'number') {
    if (Number.isFinite(text) && text >= 0) return text;
    throw new RangeError(`${text} is not a duration: seconds must be a finite number ≥ 0`);
  }
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const seconds = parsePrometheusDuration(trimmed);
  if (seconds === null) {
    throw new RangeError(`"${text}" is not a duration: use seconds (30) or a Prometheus duration (30s, 5m, 1h30m)`);
  }
  return seconds;
}
