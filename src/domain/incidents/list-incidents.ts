import { and, desc, eq, ilike, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { incidents } from '../../db/schema/index.js';
import { ValidationError } from '../errors.js';
import { validate } from '../validate.js';
import { incidentSummaryColumns, type IncidentSummary } from './incident-view.js';

const querySchema = z.object({
  status: z.enum(['firing', 'resolved']).optional(),
  acknowledged: z.enum(['true', 'false']).optional(),
  alertname: z.string().min(1).optional(),
  q: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).optional(),
});

export type ListIncidentsInput = z.input<typeof querySchema>;

/** Cursor = the (startedAt, id) of the last row of the previous page, opaque to clients. */
function encodeCursor(startedAt: Date, id: number): string {
  return Buffer.from(`${startedAt.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { startedAt: Date; id: number } {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const startedAt = new Date(iso ?? '');
  if (!id || !/^\d+$/.test(id) || Number.isNaN(startedAt.getTime())) {
    throw new ValidationError('cursor', 'not a cursor returned by this API');
  }
  return { startedAt, id: Number(id) };
}

/** Newest first, cursor-paged; `status` and acknowledgement filter independently. */
export async function listIncidents({
  ctx,
  input,
}: {
  ctx: { db: Db };
  input: ListIncidentsInput;
}): Promise<{ incidents: IncidentSummary[]; nextCursor: string | null }> {
  const q = validate(querySchema, input);
  const where: (SQL | undefined)[] = [];
  if (q.status) where.push(eq(incidents.status, q.status));
  if (q.acknowledged === 'true') where.push(isNotNull(incidents.acknowledgedAt));
  if (q.acknowledged === 'false') where.push(isNull(incidents.acknowledgedAt));
  if (q.alertname) where.push(eq(incidents.alertname, q.alertname));
  if (q.q) {
    const pattern = `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push(
      or(
        ilike(incidents.title, pattern),
        sql`${incidents.groupLabels}::text ilike ${pattern}`,
        sql`exists (select 1 from alerts a where a.incident_id = incidents.id and a.labels::text ilike ${pattern})`,
      ),
    );
  }
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    where.push(sql`(${incidents.startedAt}, ${incidents.id}) < (${c.startedAt.toISOString()}::timestamptz, ${c.id})`);
  }
  const rows = await ctx.db
    .select(incidentSummaryColumns)
    .from(incidents)
    .where(and(...where))
    .orderBy(desc(incidents.startedAt), desc(incidents.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    incidents: page,
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.startedAt, last.id) : null,
  };
}
