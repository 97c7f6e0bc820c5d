import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rowsOf, type Tx } from '../../db/client.js';
import { incidents, notifications, timelineEvents } from '../../db/schema/index.js';
import { findKnownOccurrences, insertOccurrences, resolveOccurrences, type KnownOccurrence } from './alert-statements.js';
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
// An alert.firing / alert.resolved event lists this many alerts; `count` says how many there were.
const ALERTS_LISTED_PER_EVENT = 50;

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
 *
 * Round trips are the cost that matters: statements that do not depend on
 * each other, nor on their order, are sent together (postgres.js pipelines
 * them on the transaction's connection).
 */
export async function ingestNotification({ ctx, input }: { ctx: IngestContext; input: Notification }): Promise<IngestSummary> {
  const identity = groupIdentity(input);
  const occurrences = keyOccurrences(input.alerts, sha256(identity).slice(0, 16));
  const now = ctx.clock();

  const outcome = await ctx.db.transaction(async (tx) => {
    // Taken before anything is read, so the reads see every delivery for this
    // group that committed before us.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${identity}, 0))`);
    const [fresh, known, latest] = await Promise.all([
      recordDelivery(tx, input, identity, occurrences, now),
      findKnownOccurrences(tx, [...occurrences.keys()]),
      findLatestIncident(tx, identity),
    ]);
    if (!fresh) return { fresh, changed: 0, events: [] as EventRow[] };

    const events: EventRow[] = [];
    const unknown = [...occurrences].filter(([key]) => !known.has(key));
    let openIncidentId = latest?.status === 'firing' ? latest.id : null;
    if (unknown.length > 0 && openIncidentId === null) {
      openIncidentId = await openIncident(tx, ctx, input, identity, unknown.map(([, a]) => a), latest?.id ?? null, events);
    }
    // Known occurrences only ever move firing → resolved.
    const resolving = [...occurrences].filter(([key, a]) => a.status === 'resolved' && known.get(key)?.status === 'firing');
    const [inserted, resolved] = await Promise.all([
      unknown.length > 0 ? insertOccurrences(tx, { incidentId: openIncidentId!, occurrences: unknown, runbooks: ctx.runbooks, now }) : new Set<string>(),
      resolving.length > 0 ? resolveOccurrences(tx, resolving.map(([key, a]) => ({ key, endsAt: a.endsAt ?? now }))) : [],
    ]);

    const newAlerts = unknown.filter(([key]) => inserted.has(key)).map(([, a]) => a);
    if (newAlerts.length > 0) {
      events.push(alertsEvent(openIncidentId!, 'alert.firing', newAlerts));
      const resolvedOnArrival = newAlerts.filter((a) => a.status === 'resolved');
      if (resolvedOnArrival.length > 0) events.push(alertsEvent(openIncidentId!, 'alert.resolved', resolvedOnArrival));
    }
    for (const [incidentId, keys] of groupBy(resolved, (r) => r.incidentId)) {
      events.push(alertsEvent(incidentId, 'alert.resolved', keys.map((r) => occurrences.get(r.key)!)));
    }

    const settled = await Promise.all(incidentsToJudge(input, occurrences, known, openIncidentId).map((id) => resolveIfSettled(tx, id, now)));
    for (const row of settled) {
      if (row) events.push({ incidentId: row.incidentId, type: 'incident.resolved', at: row.at, actor: INTAKE_ACTOR });
    }
    if (events.length > 0) await tx.insert(timelineEvents).values(events);
    return { fresh, changed: inserted.size + resolved.length, events };
  });

  for (const [incidentId, list] of groupBy(outcome.events, (e) => e.incidentId)) {
    ctx.bus?.publish({ incidentId, types: [...new Set(list.map((e) => e.type))] });
  }
  return {
    fresh: outcome.fresh,
    alerts: input.alerts.length,
    changed: outcome.changed,
    duplicates: input.alerts.length - outcome.changed,
    incidents: [...new Set(outcome.events.map((e) => e.incidentId))],
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function groupBy<T, K>(items: Iterable<T>, keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}

/**
 * Keys each alert by its occurrence within the group. A payload naming the same
 * occurrence twice keeps the resolved copy (resolution is final).
 */
function keyOccurrences(list: IncomingAlert[], groupHash: string): Map<string, IncomingAlert> {
  const byKey = new Map<string, IncomingAlert>();
  for (const alert of list) {
    const key = `${groupHash}:${alert.fingerprint}:${alert.startsAt.getTime()}`;
    const seen = byKey.get(key);
    if (!seen || (seen.status === 'firing' && alert.status === 'resolved')) byKey.set(key, alert);
  }
  return byKey;
}

/**
 * Logs the delivery; resolves to false when this exact content was committed
 * before (Alertmanager retry, repeat-interval resend, HA twin).
 */
async function recordDelivery(tx: Tx, input: Notification, identity: string, occurrences: Map<string, IncomingAlert>, now: Date): Promise<boolean> {
  const content = [...occurrences]
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

/** The group's open incident if it has one, else its most recent one (which a re-fire links back to). */
async function findLatestIncident(tx: Tx, identity: string): Promise<{ id: number; status: string } | null> {
  const [row] = await tx
    .select({ id: incidents.id, status: incidents.status })
    .from(incidents)
    .where(sql`${incidents.groupIdentity} = ${identity}`)
    .orderBy(sql`${incidents.status} = 'firing' desc, ${incidents.startedAt} desc, ${incidents.id} desc`)
    .limit(1);
  return row ?? null;
}

async function openIncident(
  tx: Tx,
  ctx: IngestContext,
  input: Notification,
  identity: string,
  newAlerts: IncomingAlert[],
  previousIncidentId: number | null,
  events: EventRow[],
): Promise<number> {
  const first = newAlerts[0]!;
  const firing = newAlerts.some((a) => a.status === 'firing');
  const startedAt = new Date(newAlerts.reduce((min, a) => Math.min(min, a.startsAt.getTime()), Infinity));
  const alertname = input.commonLabels.alertname ?? input.groupLabels.alertname ?? first.labels.alertname ?? null;
  const link = ctx.runbooks?.link({
    labels: { ...first.labels, ...input.commonLabels },
    annotations: { ...first.annotations, ...input.commonAnnotations },
  });
  const now = ctx.clock();
  const resolvedAt = firing ? null : new Date(newAlerts.reduce((max, a) => Math.max(max, (a.endsAt ?? now).getTime()), 0));

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
      severity: input.commonLabels.severity ?? first.labels.severity ?? null,
      alertname,
      externalUrl: input.externalUrl,
      startedAt,
      resolvedAt,
      previousIncidentId,
      runbookId: link?.kind === 'runbook' ? link.runbookId : null,
      runbookSha: link?.kind === 'runbook' ? link.sha : null,
      runbookExternalUrl: link?.kind === 'external' ? link.url : null,
    })
    .returning({ id: incidents.id });
  const id = row!.id;
  events.push({ incidentId: id, type: 'incident.opened', at: startedAt, actor: INTAKE_ACTOR, data: { receiver: input.receiver, groupKey: input.groupKey, previousIncidentId } });
  if (link?.kind === 'runbook') {
    events.push({ incidentId: id, type: 'runbook.linked', at: now, actor: INTAKE_ACTOR, data: { runbookId: link.runbookId, sha: link.sha } });
  }
  if (resolvedAt) {
    // A resolved-only notification for a group we never saw firing: still recorded.
    events.push({ incidentId: id, type: 'incident.resolved', at: resolvedAt, actor: INTAKE_ACTOR, data: { firingNeverSeen: true } });
  }
  return id;
}

/**
 * One event per batch of alerts that changed together: the alerts table holds
 * every alert, the timeline says what happened when (a 10,000-alert storm is
 * one line, not 10,000).
 */
function alertsEvent(incidentId: number, type: 'alert.firing' | 'alert.resolved', batch: IncomingAlert[]): EventRow {
  const times = batch.map((a) => (type === 'alert.firing' ? a.startsAt : (a.endsAt ?? a.startsAt)).getTime());
  return {
    incidentId,
    type,
    at: new Date(type === 'alert.firing' ? Math.min(...times) : Math.max(...times)),
    actor: INTAKE_ACTOR,
    data: {
      count: batch.length,
      alerts: batch.slice(0, ALERTS_LISTED_PER_EVENT).map((a) => ({
        fingerprint: a.fingerprint,
        alertname: a.labels.alertname ?? null,
        startsAt: a.startsAt.toISOString(),
      })),
    },
  };
}

/**
 * The incidents whose resolution this delivery could settle. An incident
 * resolves when every alert it holds is resolved — judged from the database,
 * never from the payload's top-level status, and never from a truncated
 * notification (the alerts left out may still be firing). Every incident this
 * notification names is judged, not only those it changed: an earlier
 * truncated notification may have deferred the call. Nothing can settle when
 * neither the payload nor the store has a resolved alert among these.
 */
function incidentsToJudge(
  input: Notification,
  occurrences: Map<string, IncomingAlert>,
  known: Map<string, KnownOccurrence>,
  openIncidentId: number | null,
): number[] {
  if (input.truncatedAlerts > 0) return [];
  const anyResolved = [...occurrences.values()].some((a) => a.status === 'resolved') || [...known.values()].some((k) => k.status === 'resolved');
  if (!anyResolved) return [];
  const ids = new Set([...known.values()].map((k) => k.incidentId));
  if (openIncidentId !== null) ids.add(openIncidentId);
  return [...ids];
}

async function resolveIfSettled(tx: Tx, incidentId: number, now: Date): Promise<{ incidentId: number; at: Date } | null> {
  const result = await tx.execute(sql`
    update incidents
    set status = 'resolved',
        resolved_at = (select coalesce(max(ends_at), ${now.toISOString()}::timestamptz) from alerts where incident_id = ${incidentId})
    where id = ${incidentId} and status = 'firing'
      and not exists (select 1 from alerts where incident_id = ${incidentId} and status = 'firing')
    returning resolved_at as at`);
  const [row] = rowsOf<{ at: string | Date }>(result);
  return row ? { incidentId, at: new Date(row.at) } : null;
}
