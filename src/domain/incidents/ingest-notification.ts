import { createHash } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { alerts, incidents, notifications, timelineEvents } from '../../db/schema/index.js';
import { groupIdentity, type IncomingAlert, type Notification } from './notification.js';
import type { RunbookLinker } from './runbook-linker.js';
import type { WriteContext } from './write-context.js';

export interface IngestContext extends WriteContext {
  runbooks?: RunbookLinker;
}

export interface IngestSummary {
  /** false when this exact content was already committed (a retry or an HA twin). */
  fresh: boolean;
  alerts: number;
  /** Occurrences stored or changed by this delivery. */
  changed: number;
  /** Occurrences this delivery carried that changed nothing. */
  duplicates: number;
  incidents: number[];
}

const INTAKE_ACTOR = 'alertmanager';
// Rows per multi-row INSERT: well under Postgres' 65,535 bind parameters.
const CHUNK = 1000;

type EventRow = typeof timelineEvents.$inferInsert;

/**
 * Records one webhook notification in a single transaction.
 *
 * Idempotency rests on unique keys: identical content lands on
 * `notifications.content_hash`, an alert occurrence on `alerts.occurrence_key`
 * (group + fingerprint + startsAt), and at most one open incident per group on
 * a partial unique index. A transaction-scoped advisory lock per group
 * serialises the incident lifecycle decisions (open, join, resolve) of
 * concurrent deliveries for the same group, so two racing requests cannot both
 * open an incident or both miss the last resolution.
 */
export async function ingestNotification({
  ctx,
  input,
}: {
  ctx: IngestContext;
  input: Notification;
}): Promise<IngestSummary> {
  const identity = groupIdentity(input);
  const groupHash = sha256(identity).slice(0, 16);
  const occurrences = dedupeOccurrences(input.alerts, groupHash);
  const now = ctx.clock();

  const summary = await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${identity}, 0))`);

    const fresh = await recordDelivery(tx, input, identity, occurrences, now);
    if (!fresh) {
      return { fresh, alerts: input.alerts.length, changed: 0, duplicates: input.alerts.length, incidents: [], events: new Map<number, EventRow[]>() };
    }

    const known = await findKnownOccurrences(tx, [...occurrences.keys()]);
    const unknown = [...occurrences.entries()].filter(([key]) => !known.has(key));
    const events = new Map<number, EventRow[]>();
    const addEvent = (e: EventRow) => {
      const list = events.get(e.incidentId) ?? [];
      list.push(e);
      events.set(e.incidentId, list);
    };

    // New occurrences join the group's open incident, or open one.
    let openIncidentId: number | null = null;
    if (unknown.length > 0) {
      openIncidentId = await findOpenIncident(tx, identity);
      const anyFiring = unknown.some(([, a]) => a.status === 'firing');
      if (openIncidentId === null) {
        openIncidentId = await openIncident(tx, ctx, input, identity, unknown.map(([, a]) => a), anyFiring, addEvent);
      }
    }

    let changed = 0;
    for (let i = 0; i < unknown.length; i += CHUNK) {
      const rows = unknown.slice(i, i + CHUNK).map(([key, a]) => {
        const link = ctx.runbooks?.link(a);
        return {
          incidentId: openIncidentId!,
          occurrenceKey: key,
          fingerprint: a.fingerprint,
          status: a.status,
          labels: a.labels,
          annotations: a.annotations,
          startsAt: a.startsAt,
          endsAt: a.endsAt,
          generatorUrl: a.generatorUrl,
          runbookId: link?.kind === 'runbook' ? link.runbookId : null,
          receivedAt: now,
        };
      });
      const inserted = await tx
        .insert(alerts)
        .values(rows)
        .onConflictDoNothing({ target: alerts.occurrenceKey })
        .returning({ occurrenceKey: alerts.occurrenceKey });
      changed += inserted.length;
      const insertedKeys = new Set(inserted.map((r) => r.occurrenceKey));
      for (const row of rows) {
        if (!insertedKeys.has(row.occurrenceKey)) continue;
        addEvent(alertEvent(row.incidentId, 'alert.firing', row));
        if (row.status === 'resolved') addEvent(alertEvent(row.incidentId, 'alert.resolved', row));
      }
    }

    // Known occurrences only ever move firing → resolved: a late, out-of-order
    // "firing" for an occurrence already resolved changes nothing.
    const resolving = [...occurrences.entries()].filter(
      ([key, a]) => a.status === 'resolved' && known.get(key)?.status === 'firing',
    );
    for (let i = 0; i < resolving.length; i += CHUNK) {
      const chunk = resolving.slice(i, i + CHUNK);
      // Each row gets its own endsAt in one statement: a {key: endsAt} map looked up per row.
      const endsAtByKey = JSON.stringify(Object.fromEntries(chunk.map(([key, a]) => [key, (a.endsAt ?? now).toISOString()])));
      const updated = await tx
        .update(alerts)
        .set({
          status: 'resolved',
          endsAt: sql`(${endsAtByKey}::jsonb ->> ${alerts.occurrenceKey})::timestamptz`,
        })
        .where(and(inArray(alerts.occurrenceKey, chunk.map(([key]) => key)), eq(alerts.status, 'firing')))
        .returning({
          incidentId: alerts.incidentId,
          occurrenceKey: alerts.occurrenceKey,
          fingerprint: alerts.fingerprint,
          labels: alerts.labels,
          endsAt: alerts.endsAt,
          startsAt: alerts.startsAt,
        });
      changed += updated.length;
      for (const row of updated) addEvent(alertEvent(row.incidentId, 'alert.resolved', row));
    }

    // An incident resolves when every alert it holds is resolved, judged from
    // the database — never from the payload's top-level status, and never from
    // a truncated notification (the alerts left out may still be firing).
    // Every incident this notification speaks about is judged, not only those
    // it changed: an earlier truncated notification may have deferred the call.
    if (input.truncatedAlerts === 0) {
      const touched = new Set([...events.keys(), ...[...known.values()].map((k) => k.incidentId)]);
      for (const incidentId of touched) {
        const resolved = await tx
          .update(incidents)
          .set({
            status: 'resolved',
            resolvedAt: sql`(select coalesce(max(${alerts.endsAt}), ${now.toISOString()}::timestamptz) from ${alerts} where ${alerts.incidentId} = ${incidentId})`,
          })
          .where(
            and(
              eq(incidents.id, incidentId),
              eq(incidents.status, 'firing'),
              sql`not exists (select 1 from ${alerts} where ${alerts.incidentId} = ${incidentId} and ${alerts.status} = 'firing')`,
            ),
          )
          .returning({ resolvedAt: incidents.resolvedAt });
        if (resolved[0]) {
          addEvent({ incidentId, type: 'incident.resolved', at: resolved[0].resolvedAt ?? now, actor: INTAKE_ACTOR, data: {} });
        }
      }
    }

    const allEvents = [...events.values()].flat();
    for (let i = 0; i < allEvents.length; i += CHUNK) {
      await tx.insert(timelineEvents).values(allEvents.slice(i, i + CHUNK));
    }
    return {
      fresh,
      alerts: input.alerts.length,
      changed,
      duplicates: input.alerts.length - changed,
      incidents: [...events.keys()],
      events,
    };
  });

  for (const [incidentId, list] of summary.events) {
    ctx.bus?.publish({ incidentId, types: [...new Set(list.map((e) => e.type as string))] });
  }
  const { events: _events, ...result } = summary;
  return result;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Keys each alert by its occurrence within the group. A payload naming the same
 * occurrence twice keeps the resolved copy (resolution is final).
 */
function dedupeOccurrences(list: IncomingAlert[], groupHash: string): Map<string, IncomingAlert> {
  const byKey = new Map<string, IncomingAlert>();
  for (const alert of list) {
    const key = `${groupHash}:${alert.fingerprint}:${alert.startsAt.getTime()}`;
    const seen = byKey.get(key);
    if (!seen || (seen.status === 'firing' && alert.status === 'resolved')) byKey.set(key, alert);
  }
  return byKey;
}

/**
 * Logs the delivery; returns false when this exact content was committed
 * before (Alertmanager retry, repeat-interval resend, HA twin).
 */
async function recordDelivery(
  tx: Tx,
  input: Notification,
  identity: string,
  occurrences: Map<string, IncomingAlert>,
  now: Date,
): Promise<boolean> {
  const content = [...occurrences.entries()]
    .map(([key, a]) => `${key}|${a.status}|${a.endsAt?.getTime() ?? ''}`)
    .sort()
    .join('\n');
  const [row] = await tx
    .insert(notifications)
    .values({
      contentHash: sha256(`${identity}\n${input.truncatedAlerts}\n${content}`),
      receiver: input.receiver,
      groupKey: input.groupKey,
      status: input.status,
      alertCount: input.alerts.length,
      truncatedAlerts: input.truncatedAlerts,
      firstReceivedAt: now,
      lastReceivedAt: now,
    })
    .onConflictDoUpdate({
      target: notifications.contentHash,
      set: { deliveries: sql`${notifications.deliveries} + 1`, lastReceivedAt: now },
    })
    .returning({ deliveries: notifications.deliveries });
  return row?.deliveries === 1;
}

async function findKnownOccurrences(tx: Tx, keys: string[]) {
  const known = new Map<string, { status: string; incidentId: number }>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const rows = await tx
      .select({ key: alerts.occurrenceKey, status: alerts.status, incidentId: alerts.incidentId })
      .from(alerts)
      .where(inArray(alerts.occurrenceKey, keys.slice(i, i + CHUNK)));
    for (const row of rows) known.set(row.key, row);
  }
  return known;
}

async function findOpenIncident(tx: Tx, identity: string): Promise<number | null> {
  const [row] = await tx
    .select({ id: incidents.id })
    .from(incidents)
    .where(and(eq(incidents.groupIdentity, identity), eq(incidents.status, 'firing')));
  return row?.id ?? null;
}

async function openIncident(
  tx: Tx,
  ctx: IngestContext,
  input: Notification,
  identity: string,
  newAlerts: IncomingAlert[],
  firing: boolean,
  addEvent: (e: EventRow) => void,
): Promise<number> {
  const [previous] = await tx
    .select({ id: incidents.id })
    .from(incidents)
    .where(eq(incidents.groupIdentity, identity))
    .orderBy(sql`${incidents.startedAt} desc, ${incidents.id} desc`)
    .limit(1);
  const first = newAlerts[0]!;
  const startedAt = new Date(Math.min(...newAlerts.map((a) => a.startsAt.getTime())));
  const alertname = input.commonLabels.alertname ?? input.groupLabels.alertname ?? first.labels.alertname ?? null;
  const severity = input.commonLabels.severity ?? first.labels.severity ?? null;
  const link = ctx.runbooks?.link({
    labels: { ...first.labels, ...input.commonLabels },
    annotations: { ...first.annotations, ...input.commonAnnotations },
  });
  const now = ctx.clock();
  const resolvedAt = firing ? null : new Date(Math.max(...newAlerts.map((a) => (a.endsAt ?? now).getTime())));

  // The partial unique index guarantees one open incident per group even if
  // the advisory lock were bypassed; an insert that loses that race fails the
  // transaction rather than creating a second incident.
  const [row] = await tx
    .insert(incidents)
    .values({
      groupIdentity: identity,
      receiver: input.receiver,
      groupKey: input.groupKey,
      groupLabels: input.groupLabels,
      status: firing ? 'firing' : 'resolved',
      title: input.commonAnnotations.summary || first.annotations.summary || alertname || 'Alert group',
      severity,
      alertname,
      externalUrl: input.externalUrl,
      startedAt,
      resolvedAt,
      previousIncidentId: previous?.id ?? null,
      runbookId: link?.kind === 'runbook' ? link.runbookId : null,
      runbookSha: link?.kind === 'runbook' ? link.sha : null,
      runbookExternalUrl: link?.kind === 'external' ? link.url : null,
    })
    .returning({ id: incidents.id });
  const id = row!.id;
  addEvent({
    incidentId: id,
    type: 'incident.opened',
    at: startedAt,
    actor: INTAKE_ACTOR,
    data: { receiver: input.receiver, groupKey: input.groupKey, previousIncidentId: previous?.id ?? null },
  });
  if (link?.kind === 'runbook') {
    addEvent({ incidentId: id, type: 'runbook.linked', at: now, actor: INTAKE_ACTOR, data: { runbookId: link.runbookId, sha: link.sha } });
  }
  if (resolvedAt) {
    // A resolved-only notification for a group we never saw firing: still recorded.
    addEvent({ incidentId: id, type: 'incident.resolved', at: resolvedAt, actor: INTAKE_ACTOR, data: { firingNeverSeen: true } });
  }
  return id;
}

function alertEvent(
  incidentId: number,
  type: 'alert.firing' | 'alert.resolved',
  a: { fingerprint: string; labels: Record<string, string>; startsAt: Date; endsAt: Date | null },
): EventRow {
  return {
    incidentId,
    type,
    at: type === 'alert.firing' ? a.startsAt : (a.endsAt ?? a.startsAt),
    actor: INTAKE_ACTOR,
    data: { fingerprint: a.fingerprint, alertname: a.labels.alertname ?? null, startsAt: a.startsAt.toISOString() },
  };
}
