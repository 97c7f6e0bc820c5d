import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { timelineEventFields, timelineEvents } from '../../db/schema/index.js';
import { ConflictError, DomainError, NotFoundError } from '../errors.js';
import { validate } from '../validate.js';
import { noteSchema } from './add-note.js';
import { assertIncidentExists, type WriteContext } from './write-context.js';

/**
 * Editing and deleting a note append `note.edited` / `note.deleted` events that
 * name the note (the id of its `note.added` event): the timeline stays
 * append-only, so every earlier text is kept. Only the note's author may revise it.
 */
type Revision = { kind: 'edit'; body: unknown } | { kind: 'delete' };

export async function reviseNote({
  ctx,
  input,
}: {
  ctx: WriteContext;
  input: { id: number; noteId: number; actor: string; revision: Revision };
}) {
  const text = input.revision.kind === 'edit' ? validate(noteSchema, input.revision.body).text : null;
  const type = text === null ? 'note.deleted' : 'note.edited';
  const event = await ctx.db.transaction(async (tx) => {
    await assertIncidentExists(tx, input.id);
    await lockLiveNote(tx, input);
    const [row] = await tx
      .insert(timelineEvents)
      .values({
        incidentId: input.id,
        type,
        at: ctx.clock(),
        actor: input.actor,
        data: text === null ? { noteId: input.noteId } : { noteId: input.noteId, text },
      })
      .returning(timelineEventFields);
    return row!;
  });
  ctx.bus?.publish({ incidentId: input.id, types: [type] });
  return event;
}

/** The note, locked against a concurrent revision: 404 unknown, 403 someone else's, 409 already deleted. */
async function lockLiveNote(tx: Tx, input: { id: number; noteId: number; actor: string }): Promise<void> {
  const [note] = await tx
    .select({ actor: timelineEvents.actor })
    .from(timelineEvents)
    .where(
      and(
        eq(timelineEvents.id, input.noteId),
        eq(timelineEvents.incidentId, input.id),
        eq(timelineEvents.type, 'note.added'),
      ),
    )
    .for('update');
  if (!note) throw new NotFoundError(`note ${input.noteId} of incident ${input.id}`);
  if (note.actor !== input.actor) {
    throw new DomainError(
      'forbidden',
      `note ${input.noteId} was written by ${note.actor}: only its author may change it`,
    );
  }
  const [deleted] = await tx
    .select({ id: timelineEvents.id })
    .from(timelineEvents)
    .where(
      and(
        eq(timelineEvents.incidentId, input.id),
        eq(timelineEvents.type, 'note.deleted'),
        sql`${timelineEvents.data}->>'noteId' = ${String(input.noteId)}`,
      ),
    )
    .limit(1);
  if (deleted) throw new ConflictError(`note ${input.noteId} was deleted`);
}
