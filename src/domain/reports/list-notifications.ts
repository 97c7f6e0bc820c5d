import { and, asc, gt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { notifications } from '../../db/schema/index.js';
import { validate } from '../validate.js';
import { instant } from './list-occurrences.js';

const querySchema = z
  .object({
    // First received in [from, to).
    from: instant,
    to: instant,
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    cursor: z.string().regex(/^\d+$/, 'not a cursor returned by this API').optional(),
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { path: ['from'], message: 'must be before to' });

export type ListNotificationsInput = z.input<typeof querySchema>;

/**
 * The delivery log of a range: each distinct notification once, with how many
 * times it was delivered. The evidence a report's notification counts are recounted from.
 */
export async function listNotifications({ ctx, input }: { ctx: { db: Db }; input: unknown }) {
  const q = validate(querySchema, input);
  const where: (SQL | undefined)[] = [
    sql`${notifications.firstReceivedAt} >= ${q.from}::timestamptz`,
    sql`${notifications.firstReceivedAt} < ${q.to}::timestamptz`,
  ];
  if (q.cursor) where.push(gt(notifications.id, Number(q.cursor)));
  const rows = await ctx.db
    .select({
      id: notifications.id,
      receiver: notifications.receiver,
      groupKey: notifications.groupKey,
      status: notifications.status,
      alertCount: notifications.alertCount,
      deliveries: notifications.deliveries,
      firstReceivedAt: notifications.firstReceivedAt,
      lastReceivedAt: notifications.lastReceivedAt,
    })
    .from(notifications)
    .where(and(...where))
    .orderBy(asc(notifications.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { notifications: page, nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.id) : null };
}
