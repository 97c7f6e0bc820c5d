import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { incidents, runbooks, timelineEvents } from '../../db/schema/index.js';
import { NotFoundError } from '../errors.js';
import { validate } from '../validate.js';
import { assertIncidentExists, type WriteContext } from './write-context.js';

const bodySchema = z.object({ id: z.string().min(1, 'a runbook id is required') });

/** Pins the current version of a runbook chosen by a person (`runbook.linked` with `manual: true`). */
export async function linkRunbookByHand({
  ctx,
  input,
}: {
  ctx: WriteContext;
  input: { id: number; actor: string; body: unknown };
}) {
  const { id: runbookId } = validate(bodySchema, input.body);
  const at = ctx.clock();
  const result = await ctx.db.transaction(async (tx) => {
    await assertIncidentExists(tx, input.id);
    const [runbook] = await tx
      .select({ sha: runbooks.currentSha })
      .from(runbooks)
      .where(and(eq(runbooks.id, runbookId), eq(runbooks.removed, false)));
    if (!runbook) throw new NotFoundError(`runbook "${runbookId}"`);
    await tx.update(incidents).set({ runbookId, runbookSha: runbook.sha }).where(eq(incidents.id, input.id));
    await tx.insert(timelineEvents).values({
      incidentId: input.id,
      type: 'runbook.linked',
      at,
      actor: input.actor,
      data: { runbookId, sha: runbook.sha, manual: true },
    });
    return { runbookId, sha: runbook.sha };
  });
  ctx.bus?.publish({ incidentId: input.id, types: ['runbook.linked'] });
  return result;
}
