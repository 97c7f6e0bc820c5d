import { and, eq } from 'drizzle-orm';
import { incidents, timelineEvents } from '../../db/schema/index.js';
import { ConflictError } from '../errors.js';
import { assertIncidentExists, type WriteContext } from './write-context.js';

/**
 * Manual resolution ("we are done here") while alerts may still fire. The
 * alerts keep their own status; a new alert of the group opens a new incident.
 */
export async function resolveIncident({ ctx, input }: { ctx: WriteContext; input: { id: number; actor: string } }) {
  const at = ctx.clock();
  const result = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(incidents)
      .set({ status: 'resolved', resolvedAt: at, resolvedBy: input.actor })
      .where(and(eq(incidents.id, input.id), eq(incidents.status, 'firing')))
      .returning({ id: incidents.id });
    if (!row) {
      await assertIncidentExists(tx, input.id);
      throw new ConflictError(`incident ${input.id} is already resolved`);
    }
    await tx
      .insert(timelineEvents)
      .values({ incidentId: input.id, type: 'incident.resolved', at, actor: input.actor, data: { manual: true } });
    return { resolvedAt: at, resolvedBy: input.actor };
  });
  ctx.bus?.publish({ incidentId: input.id, types: ['incident.resolved'] });
  return result;
}
