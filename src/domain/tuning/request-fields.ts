import { z } from 'zod';
import { parsePrometheusDuration } from '../../prometheus/duration.js';

/** A window, step, `for` or `keep_firing_for` in a tuning request: a Prometheus duration. */
export const duration = z
  .string()
  .refine((text) => parsePrometheusDuration(text) !== null, 'expected a Prometheus duration such as 7d or 10m');
