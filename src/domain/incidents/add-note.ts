import { z } from 'zod';
import { timelineEventFields, timelineEvents } from '../../db/schema/index.js';
import { validate } from '../validate.js';
import { assertIncidentExists, type WriteContext } from './write-context.js';

export const noteSchema = z.object({ text: z.string().trim().min(1, 'must not be empty').max(20_000) });

/** Notes are markdown; they are stored as written and sanitized when rendered. */
export async function addNote({
  ctx,
  input,
}: {
  ctx: WriteContext;
  input: { id: number; actor: string; body: unknown };
}) {
  const { text } = validate(noteSchema, input.body);
  const at = ctx.clock();
  const event = await ctx.db.transaction(async (tx) => {
    await assertIncidentExists(tx, input.id);
    const [row] = await tx
      .insert(timelineEvents)
      .values({ incidentId: input.id, type: 'note.added', at, actor: input.actor, data: { text } })
      .returning(timelineEventFields);
    return row!;
  });
  ctx.bus?.publish({ incidentId: input.id, types: ['note.added'] });
  return event;
}
