import { and, asc, inArray, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import { alertnameIs, timelineEventFields, timelineEvents } from '../../db/schema/index.js';
import { NotFoundError } from '../errors.js';
import { currentNotes } from './current-notes.js';

/** How many earlier incidents the notebook shows; the rest are counted (`total`) and one list filter away. */
const SHOWN = 5;

export interface EarlierIncident {
  id: number;
  title: string;
  status: 'firing' | 'resolved';
  startedAt: string;
  resolvedAt: string | null;
  acknowledgedBy: string | null;
  resolvedBy: string | null;
  /** Its most recent note as it reads now (edits applied, deleted notes skipped): what was done last time. */
  lastNote: { text: string; actor: string; at: string } | null;
}

export interface EarlierIncidents {
  alertname: string | null;
  /** Every incident of this alertname that started before this one. */
  total: number;
  /** The most recent of them, newest first. */
  incidents: EarlierIncident[];
}

/**
 * "Has this fired before, and what did we do?": the incidents of the same
 * alertname that started before this one (by start, then id), newest first,
 * each with its last note. An incident without an alertname has none.
 */
export async function earlierIncidents({
  ctx,
  input,
}: {
  ctx: { db: Db };
  input: { id: number };
}): Promise<EarlierIncidents> {
  const [self] = rowsOf<{ alertname: string | null }>(
    await ctx.db.execute(sql`select alertname from incidents where id = ${input.id}`),
  );
  if (!self) throw new NotFoundError(`incident ${input.id}`);
  if (self.alertname === null) return { alertname: null, total: 0, incidents: [] };
  // incidents_alertname_started_idx holds each alertname's incidents newest first: the listed ones are read from
  // this incident's place backwards, and the count reads only this alertname's entries (and their rows, for the
  // exact name). Its order, nulls included, is the one asked for below.
  const before = sql`${alertnameIs(self.alertname, sql`i.alertname`)}
    and (i.started_at, i.id) < (select s.started_at, s.id from incidents s where s.id = ${input.id})`;
  const [counted, listed] = await Promise.all([
    ctx.db.execute(sql`select count(*)::int as total from incidents i where ${before}`),
    ctx.db.execute(sql`
      select i.id, i.title, i.status, i.started_at, i.resolved_at, i.acknowledged_by, i.resolved_by
      from incidents i
      where ${before}
      order by i.started_at desc nulls last, i.id desc nulls last
      limit ${SHOWN}`),
  ]);
  const rows = rowsOf<Record<string, string | null>>(listed);
  const ids = rows.map((r) => Number(r.id));
  // Their note events, in timeline order, read as the notes say now (edits applied, deleted ones left out).
  const noteEvents =
    ids.length === 0
      ? []
      : await ctx.db
          .select({ ...timelineEventFields, incidentId: timelineEvents.incidentId })
          .from(timelineEvents)
          .where(
            and(
              inArray(timelineEvents.incidentId, ids),
              inArray(timelineEvents.type, ['note.added', 'note.edited', 'note.deleted']),
            ),
          )
          .orderBy(asc(timelineEvents.id));
  const iso = (value: string | Date) => new Date(value).toISOString();
  return {
    alertname: self.alertname,
    total: rowsOf<{ total: number }>(counted)[0]!.total,
    incidents: rows.map((r) => {
      const last = currentNotes(noteEvents.filter((e) => e.incidentId === Number(r.id))).at(-1);
      return {
        id: Number(r.id),
        title: r.title!,
        status: r.status as EarlierIncident['status'],
        startedAt: iso(r.started_at!),
        resolvedAt: r.resolved_at === null ? null : iso(r.resolved_at!),
        acknowledgedBy: r.acknowledged_by as string | null,
        resolvedBy: r.resolved_by as string | null,
        lastNote: last ? { text: last.text, actor: last.actor, at: last.at.toISOString() } : null,
      };
    }),
  };
}
