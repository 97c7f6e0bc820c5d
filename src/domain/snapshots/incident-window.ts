import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { incidents } from '../../db/schema/index.js';
import type { Clock } from '../clock.js';
import { NotFoundError } from '../errors.js';

/** How far before the incident a chart starts: the lead-up is part of the evidence. */
const LOOKBACK_BEFORE_START_SECONDS = 3_600;

/** When an incident started and, once resolved, ended. */
export async function incidentTimes(db: Db, incidentId: number): Promise<{ startedAt: Date; resolvedAt: Date | null }> {
  const [row] = await db
    .select({ startedAt: incidents.startedAt, resolvedAt: incidents.resolvedAt })
    .from(incidents)
    .where(eq(incidents.id, incidentId));
  if (!row) throw new NotFoundError(`incident ${incidentId}`);
  return row;
}

/** Where an incident's charts begin, in unix seconds. */
export function windowStart(startedAt: Date): number {
  return startedAt.getTime() / 1000 - LOOKBACK_BEFORE_START_SECONDS;
}

/** An incident's window in unix seconds: [start − 1 h, resolution], or up to now while it is open. */
export async function incidentWindow(
  ctx: { db: Db; clock: Clock },
  incidentId: number,
): Promise<{ start: number; end: number }> {
  const { startedAt, resolvedAt } = await incidentTimes(ctx.db, incidentId);
  return { start: windowStart(startedAt), end: (resolvedAt ?? ctx.clock()).getTime() / 1000 };
}
