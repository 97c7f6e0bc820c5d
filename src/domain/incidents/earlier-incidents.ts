import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import { NotFoundError } from '../errors.js';

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
  // The alertname index is a hash index: equality only, so the order and the "before" are worked out on its rows.
  const before = sql`i.alertname = ${self.alertname}
    and (i.started_at, i.id) < (select s.started_at, s.id from incidents s where s.id = ${input.id})`;
  const [counted, listed] = await Promise.all([
    ctx.db.execute(sql`select count(*)::int as total from incidents i where ${before}`),
    ctx.db.execute(sql`
      select i.id, i.title, i.status, i.started_at, i.resolved_at, i.acknowledged_by, i.resolved_by,
        note.text as note_text, note.actor as note_actor, note.at as note_at
      from incidents i
      left join lateral (
        select coalesce(
                 (select e.data->>'text' from timeline_events e
                   where e.incident_id = n.incident_id and e.type = 'note.edited' and (e.data->>'noteId')::bigint = n.id
                   order by e.id desc limit 1),
                 n.data->>'text') as text,
               n.actor, n.at
        from timeline_events n
        where n.incident_id = i.id and n.type = 'note.added'
          and not exists (select 1 from timeline_events d
                           where d.incident_id = n.incident_id and d.type = 'note.deleted'
                             and (d.data->>'noteId')::bigint = n.id)
        order by n.id desc
        limit 1
      ) note on true
      where ${before}
      order by i.started_at desc, i.id desc
      limit ${SHOWN}`),
  ]);
  const iso = (value: string | Date) => new Date(value).toISOString();
  return {
    alertname: self.alertname,
    total: rowsOf<{ total: number }>(counted)[0]!.total,
    incidents: rowsOf<Record<string, string | null>>(listed).map((r) => ({
      id: Number(r.id),
      title: r.title!,
      status: r.status as EarlierIncident['status'],
      startedAt: iso(r.started_at!),
      resolvedAt: r.resolved_at === null ? null : iso(r.resolved_at!),
      acknowledgedBy: r.acknowledged_by as string | null,
      resolvedBy: r.resolved_by as string | null,
      // No note: the lateral join gave nulls.
      lastNote: r.note_text === null ? null : { text: r.note_text!, actor: r.note_actor!, at: iso(r.note_at!) },
    })),
  };
}
