import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { validate } from '../domain/validate.js';
import { DEFAULT_DATASOURCE } from './datasources.js';
import { checkedRangeWindow, durationSchema, unixTimeSchema, type RangeWindow } from './query-params.js';

/** Long enough for any hand-written or generated query; short enough to refuse pasted logs. */
const MAX_QUERY_LENGTH = 64 * 1024;

export const promqlSchema = z.string().trim().min(1, 'must not be empty').max(MAX_QUERY_LENGTH);

/** A query to run on a named datasource: instant (at `time`, default now) or over a range. */
export type QueryRequest = { datasource: string; query: string } & (
  | { kind: 'instant'; time?: number }
  | ({ kind: 'range' } & RangeWindow)
);

const bodySchema = z.strictObject({
  query: promqlSchema,
  datasource: z.string().min(1).optional(),
  time: unixTimeSchema.optional(),
  start: unixTimeSchema.optional(),
  end: unixTimeSchema.optional(),
  step: durationSchema.optional(),
});

/**
 * `{query, datasource?, time?}` is an instant query; `{query, datasource?, start, end, step?}`
 * a range query (a missing step is chosen for the range). Throws a ValidationError naming the field.
 */
export function parseQueryRequest(body: unknown): QueryRequest {
  const { query, datasource = DEFAULT_DATASOURCE, time, start, end, step } = validate(bodySchema, body);
  const rangeFields = Object.entries({ start, end, step })
    .filter(([, value]) => value !== undefined)
    .map(([name]) => name);
  if (rangeFields.length === 0) return { kind: 'instant', datasource, query, ...(time === undefined ? {} : { time }) };
  if (time !== undefined) {
    throw new ValidationError(
      'time',
      `an instant query takes time, a range query start, end and step: drop time or ${rangeFields.join(', ')}`,
    );
  }
  if (start === undefined) throw new ValidationError('start', 'a range query needs start and end');
  if (end === undefined) throw new ValidationError('end', 'a range query needs start and end');
  return { kind: 'range', datasource, query, ...checkedRangeWindow({ start, end, step }) };
}
