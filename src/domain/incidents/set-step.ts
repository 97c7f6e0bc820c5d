import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { incidentSteps, timelineEvents } from '../../db/schema/index.js';
import { NotFoundError } from '../errors.js';
import { validate } from '../validate.js';
import { loadPinnedRunbook } from './incident-runbook.js';
import type { WriteContext } from './write-context.js';

const bodySchema = z.object({ checked: z.boolean({ message: 'expected true or false' }) });

/**
 * Ticks or unticks a diagnostic step of the incident's pinned runbook. Only a
 * real change is recorded: of two people ticking the same step at once, one
 * event is written (the conditional upsert lets one of them change the row).
 */
export async function setStep({
  ctx,
  input,
}: {
  ctx: WriteContext;
  input: { id: number; stepId: string; actor: string; body: unknown };
}) {
  const { checked } = validate(bodySchema, input.body);
  const { version } = await loadPinnedRunbook(ctx.db, input.id);
  if (!version) throw new NotFoundError(`a runbook on incident ${input.id}`);
  if (!version.steps.some((s) => s.id === input.stepId))
    throw new NotFoundError(`step "${input.stepId}" in runbook "${version.id}"`);

  const at = ctx.clock();
  const changed = await ctx.db.transaction(async (tx) => {
    const rows = await tx
      .insert(incidentSteps)
      .values({ incidentId: input.id, stepId: input.stepId, checked, actor: input.actor, at })
      .onConflictDoUpdate({
        target: [incidentSteps.incidentId, incidentSteps.stepId],
        set: { checked, actor: input.actor, at },
        setWhere: sql`${incidentSteps.checked} <> ${checked}`,
      })
      .returning({ inserted: sql<boolean>`xmax = 0` });
    // Unticking a step nobody ticked is not an event.
    const row = rows[0];
    if (!row || (row.inserted && !checked)) return false;
    await tx.insert(timelineEvents).values({
      incidentId: input.id,
      type: checked ? 'step.checked' : 'step.unchecked',
      at,
      actor: input.actor,
      data: { stepId: input.stepId, runbookId: version.id, sha: version.version.sha },
    });
    return true;
  });
  if (changed) ctx.bus?.publish({ incidentId: input.id, types: [checked ? 'step.checked' : 'step.unchecked'] });
  return { stepId: input.stepId, checked, changed, actor: input.actor, at };
}
