import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { alerts } from '../../db/schema/index.js';
import { validate } from '../validate.js';

/** A range bound of the evidence lists. */
export const instant = z.iso.datetime({
  offset: true,
  message: 'expected an RFC 3339 timestamp like 2026-11-23T00:00:00Z',
});

const labelSet = z.record(z.string(), z.string());

const querySchema = z
  .object({
    // Started firing in [from, to).
    from: instant,
    to: instant,
    alertname: z.string().min(1).optional(),
    severity: z.string().min(1).optional(),
    // A JSON object of labels every listed alert carries (a tuning decision's rule: `{"severity":"warning"}`).
    labels: z
      .string()
      .transform((text, ctx) => {
        try {
          return labelSet.parse(JSON.parse(text));
        } catch {
          ctx.addIssue({ code: 'custom', message: 'expected a JSON object of label names to string values' });
          return z.NEVER;
        }
      })
      .optional(),
    fingerprint: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    cursor: z.string().regex(/^\d+$/, 'not a cursor returned by this API').optional(),
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { path: ['from'], message: 'must be before to' });

export type ListOccurrencesInput = z.input<typeof querySchema>;

const NONE = '(none)';

function labelIs(name: string, value: string): SQL {
  return value === NONE ? sql`not (${alerts.labels} ? ${name})` : sql`${alerts.labels}->>${name} = ${value}`;
}

/**
 * Alert occurrences that started in a range: the evidence a report's firing
 * counts are recounted from. Oldest first, paged by id.
 */
export async function listOccurrences({ ctx, input }: { ctx: { db: Db }; input: unknown }) {
  const q = validate(querySchema, input);
  const where: (SQL | undefined)[] = [
    sql`${alerts.startsAt} >= ${q.from}::timestamptz`,
    sql`${alerts.startsAt} < ${q.to}::timestamptz`,
  ];
  if (q.alertname) where.push(labelIs('alertname', q.alertname));
  if (q.severity) where.push(labelIs('severity', q.severity));
  if (q.labels) where.push(sql`${alerts.labels} @> ${JSON.stringify(q.labels)}::jsonb`);
  if (q.fingerprint) where.push(eq(alerts.fingerprint, q.fingerprint));
  if (q.cursor) where.push(gt(alerts.id, Number(q.cursor)));
  const rows = await ctx.db
    .select({
      id: alerts.id,
      incidentId: alerts.incidentId,
      fingerprint: alerts.fingerprint,
      status: alerts.status,
      labels: alerts.labels,
      startsAt: alerts.startsAt,
      endsAt: alerts.endsAt,
    })
    .from(alerts)
    .where(and(...where))
    .orderBy(asc(alerts.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { occurrences: page, nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.id) : null };
}
