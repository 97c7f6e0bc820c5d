import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { alerts, incidents, timelineEventFields, timelineEvents } from '../../db/schema/index.js';
import { NotFoundError } from '../errors.js';
import { renderMarkdownSafe } from '../runbooks/render-runbook.js';
import { incidentSummaryColumns } from './incident-view.js';

/** An incident with its alerts and its whole timeline, oldest event first (by time, then by id). */
export async function getIncident({ ctx, input }: { ctx: { db: Db }; input: { id: number } }) {
  const [incident] = await ctx.db
    .select({
      ...incidentSummaryColumns,
      receiver: incidents.receiver,
      groupKey: incidents.groupKey,
      runbookId: incidents.runbookId,
      runbookSha: incidents.runbookSha,
      runbookExternalUrl: incidents.runbookExternalUrl,
    })
    .from(incidents)
    .where(eq(incidents.id, input.id));
  if (!incident) throw new NotFoundError(`incident ${input.id}`);
  const [alertRows, timeline] = await Promise.all([
    ctx.db
      .select({
        fingerprint: alerts.fingerprint,
        status: alerts.status,
        labels: alerts.labels,
        annotations: alerts.annotations,
        startsAt: alerts.startsAt,
        endsAt: alerts.endsAt,
        generatorURL: alerts.generatorUrl,
        runbookId: alerts.runbookId,
      })
      .from(alerts)
      .where(eq(alerts.incidentId, input.id))
      .orderBy(asc(alerts.startsAt), asc(alerts.id)),
    ctx.db
      .select(timelineEventFields)
      .from(timelineEvents)
      .where(eq(timelineEvents.incidentId, input.id))
      // By time: intake stamps an alert's events with its startsAt, which may precede events recorded before them.
      .orderBy(asc(timelineEvents.at), asc(timelineEvents.id)),
  ]);
  // Notes are stored as written and rendered on read, through the runbook sanitizer.
  const rendered = timeline.map((e) =>
    (e.type === 'note.added' || e.type === 'note.edited') && typeof e.data.text === 'string'
      ? { ...e, data: { ...e.data, html: renderMarkdownSafe(e.data.text) } }
      : e,
  );
  return { incident, alerts: alertRows, timeline: rendered };
}
