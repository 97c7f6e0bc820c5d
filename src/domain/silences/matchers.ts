import { z } from 'zod';
import type { ApiMatcher } from '../../alertmanager/alertmanager-client.js';

// Alertmanager 0.25's label names (model.LabelName.IsValid, classic mode).
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Alertmanager anchors a matcher's regex: it must match the whole value. */
function anchored(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'u');
}

/** A silence's matchers, checked as Alertmanager checks them before storing a silence. */
export const matchersSchema = z
  .array(
    z
      .object({
        name: z.string().regex(LABEL_NAME, 'must be a label name like alertname or instance'),
        value: z.string().max(4_096),
        isRegex: z.boolean().default(false),
        isEqual: z.boolean().default(true),
      })
      .superRefine((m, ctx) => {
        if (!m.isRegex) return;
        try {
          anchored(m.value);
        } catch (error) {
          ctx.addIssue({
            code: 'custom',
            path: ['value'],
            message: `invalid regular expression: ${(error as Error).message}`,
          });
        }
      }),
  )
  .min(1, 'at least one matcher is required')
  .max(64)
  // Runs even when a matcher above failed: a regex that does not compile was named there already.
  .refine((list) => list.some((m) => !matchesLabels([m], {})), 'at least one matcher must not match the empty string');

function matchesValue(m: Required<ApiMatcher>, value: string): boolean {
  const equal = m.isRegex ? anchored(m.value).test(value) : m.value === value;
  return m.isEqual ? equal : !equal;
}

/** Whether every matcher matches the label set (a missing label is the empty string), as Alertmanager decides. */
export function matchesLabels(matchers: ApiMatcher[], labels: Record<string, string>): boolean {
  return matchers.every((m) => {
    try {
      return matchesValue({ ...m, isEqual: m.isEqual ?? true }, labels[m.name] ?? '');
    } catch {
      // A regex JavaScript cannot read (bad, or RE2 syntax it lacks): taken as matching nothing.
      return false;
    }
  });
}
