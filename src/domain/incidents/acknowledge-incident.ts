import { and, eq, isNull } from 'drizzle-orm';
import { incidents, timelineEvents } from '../../db/schema/index.js';
import { ConflictError } from '../errors.js';
import { assertIncidentExists, type WriteContext } from './write-context.js';

/** Race-safe: the conditional UPDATE lets exactly one of two concurrent acks win. */
export async function acknowledgeIncident({ ctx, input }: { ctx: WriteContext; input: { id: number; actor: string } }) {
  const at = ctx.clock();
  const result = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(incidents)
      .set({ acknowledgedAt: at, acknowledgedBy: input.actor })
      .where(and(eq(incidents.id, input.id), isNull(incidents.acknowledgedAt)))
      .returning({ id: incidents.id });
    if (!row) {
      await assertIncidentExists(tx, input.id);
      throw new ConflictError(`incident ${input.id} is already acknowledged`);
    }
    await tx
      .insert(timelineEvents)
      .values({ incidentId: input.id, type: 'incident.acknowledged', at, actor: input.actor, data: {} });
    return { acknowledgedAt: at, acknowledgedBy: input.actor };
  });
  ctx.bus?.publish({ incidentId: input.id, types: ['incident.acknowledged'] });
  return result;
}
