import type { z } from 'zod';
import { fieldPath, ValidationError } from './errors.js';

/** Parses input with a zod schema, or throws a ValidationError naming the first offending field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(fieldPath(issue.path), issue.message);
  }
  return parsed.data;
}
