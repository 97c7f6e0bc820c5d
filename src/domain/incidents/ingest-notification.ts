import { createHash } from 'node:crypto';
import type { SQLWrapper } from 'drizzle-orm';
import type { RunPipelined } from '../../db/pipeline.js';
import type { Deadline } from '../../deadline.js';
import {
  lockGroup,
  planEachExecution,
  readIntake,
  recordDeliveryAndRead,
  resolveOccurrences,
  settleIncidents,
  writeIntake,
  type IncidentRef,
  type KnownOccurrence,
  type NewIncident,
  type TimelineRow,
} from '../../db/intake-statements.js';
import type { IncomingAlert, Notification } from './notification.js';
import type { RunbookLinker } from './runbook-linker.js';
import type { WriteContext } from './write-context.js';

export interface IngestContext extends WriteContext {
  pipelined: RunPipelined;
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
  /** The first ADJUSTMENTS_LISTED field paths whose value was changed to be storable (see storable-values.ts). */
  adjusted: string[];
}

const INTAKE_ACTOR = 'alertmanager';
// An alert.firing / alert.resolved event lists this many alerts; `count` says how many there were.
const ALERTS_LISTED_PER_EVENT = 50;
// Enough to find the culprit; a storm where every alert carries a NUL would otherwise answer with a list as long.
const ADJUSTMENTS_LISTED = 100;

interface PublishedEvent {
  incidentId: number;
  type: string;
}

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
 * Round trips and statements are the cost that matters, so the statements
 * travel in two batches (see db/pipeline.ts): BEGIN, the lock, and the
 * delivery log with the reads; then every write the reads decided on, and
 * COMMIT. The inserts go as one statement (db/intake-statements.ts), whose
 * rows name an incident it opens by that part's returned id.
 */
export async function ingestNotification({
  ctx,
  input,
  deadline,
}: {
  ctx: IngestContext;
  input: Notification;
  /** Past it, the transaction is given up (and rolled back unless its COMMIT was already sent). */
  deadline?: Deadline;
}): Promise<IngestSummary> {
  const identity = input.groupIdentity;
  const occurrences = keyOccurrences(input.alerts);
  const now = ctx.clock();

  const outcome = await ctx.pipelined(async (pipeline) => {
    // The lock comes first in the batch, so the reads after it see every
    // delivery for this group that committed before us.
    const [, reading] = await pipeline.send([
      lockGroup(identity),
      recordDeliveryAndRead(
        {
          contentHash: contentHash(input, identity, occurrences),
          receiver: input.receiver,
          groupKey: input.groupKey,
          status: input.status,
          alertCount: input.alerts.length,
          truncatedAlerts: input.truncatedAlerts,
          now,
        },
        [...occurrences.keys()],
        identity,
      ),
    ]);
    const { deliveries, known, latest } = readIntake(reading!);
    if (deliveries !== 1) return { fresh: false, changed: 0, events: [] as PublishedEvent[] };

    const events: TimelineRow[] = [];

    // Under the group lock, the occurrences not found above are exactly the ones
    // this delivery inserts; the unique key stays as the backstop.
    const unknown = [...occurrences].filter(([key]) => !known.has(key));
    let incident: IncidentRef | null = latest?.status === 'firing' ? latest.id : null;
    let opening: NewIncident | null = null;
    if (unknown.length > 0 && incident === null) {
      const opened = openIncident(
        ctx,
        input,
        identity,
        unknown.map(([, a]) => a),
        latest ? latest.id : null,
      );
      opening = opened.incident;
      events.push(...opened.events);
      incident = 'opened';
    }
    if (unknown.length > 0) {
      const newAlerts = unknown.map(([, a]) => a);
      events.push(alertsEvent(incident!, 'alert.firing', newAlerts));
      const resolvedOnArrival = newAlerts.filter((a) => a.status === 'resolved');
      if (resolvedOnArrival.length > 0) events.push(alertsEvent(incident!, 'alert.resolved', resolvedOnArrival));
    }
    // Known occurrences only ever move firing → resolved.
    const resolving = [...occurrences].filter(
      ([key, a]) => a.status === 'resolved' && known.get(key)?.status === 'firing',
    );
    // An incident this delivery opened holds a firing alert, or was opened resolved: nothing to settle there.
    const toJudge = incidentsToJudge(input, occurrences, known, typeof incident === 'number' ? incident : null);
    for (const [incidentId, batchOfKeys] of groupBy(resolving, ([key]) => known.get(key)!.incidentId)) {
      events.push(
        alertsEvent(
          incidentId,
          'alert.resolved',
          batchOfKeys.map(([, a]) => a),
        ),
      );
    }

    const batch: SQLWrapper[] = [];
    const slot = (statement: SQLWrapper) => batch.push(statement) - 1;
    // The events go with the inserts, ahead of the resolutions they report: one
    // transaction, and their ids keep the order above, before any incident.resolved.
    const writtenSlot =
      unknown.length > 0 || events.length > 0
        ? slot(
            writeIntake({
              opening,
              occurrences:
                unknown.length > 0 ? { incident: incident!, occurrences: unknown, runbooks: ctx.runbooks, now } : null,
              events: input.source ? events.map((e) => withSource(e, input.source!)) : events,
            }),
          )
        : null;
    if (resolving.length > 0 || toJudge.length > 0) slot(planEachExecution());
    const resolvedSlot =
      resolving.length > 0
        ? slot(resolveOccurrences(resolving.map(([key, a]) => ({ key, endsAt: a.endsAt ?? now }))))
        : null;
    const settledSlot = toJudge.length > 0 ? slot(settleIncidents(toJudge, INTAKE_ACTOR, now)) : null;

    const results = await pipeline.commit(batch);
    const written = writtenSlot === null ? null : results[writtenSlot]![0]!;
    const openedId = written?.openedId == null ? null : Number(written.openedId);
    const published: PublishedEvent[] = events.map((e) => ({
      incidentId: e.incident === 'opened' ? openedId! : e.incident,
      type: e.type,
    }));
    for (const row of settledSlot === null ? [] : results[settledSlot]!) {
      published.push({ incidentId: Number(row.incidentId), type: 'incident.resolved' });
    }
    const changed = Number(written?.inserted ?? 0) + (resolvedSlot === null ? 0 : results[resolvedSlot]!.length);
    return { fresh: true, changed, events: published };
  }, deadline);

  for (const [incidentId, list] of groupBy(outcome.events, (e) => e.incidentId)) {
    ctx.bus?.publish({ incidentId, types: [...new Set(list.map((e) => e.type))] });
  }
  return {
    fresh: outcome.fresh,
    alerts: input.alerts.length,
    changed: outcome.changed,
    duplicates: input.alerts.length - outcome.changed,
    incidents: [...new Set(outcome.events.map((e) => e.incidentId))],
    adjusted: input.adjusted.slice(0, ADJUSTMENTS_LISTED),
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function groupBy<T, K>(items: Iterable<T>, keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/**
 * Keys each alert by its occurrence within the group. A payload naming the same
 * occurrence twice keeps the resolved copy (resolution is final).
 */
function keyOccurrences(list: IncomingAlert[]): Map<string, IncomingAlert> {
  const byKey = new Map<string, IncomingAlert>();
  for (const alert of list) {
    const seen = byKey.get(alert.occurrenceKey);
    if (!seen || (seen.status === 'firing' && alert.status === 'resolved')) byKey.set(alert.occurrenceKey, alert);
  }
  return byKey;
}

/** What makes two deliveries the same: the group, truncation, and each occurrence's state. */
function contentHash(input: Notification, identity: string, occurrences: Map<string, IncomingAlert>): string {
  const content = [...occurrences]
    .map(([key, a]) => `${key}|${a.status}|${a.endsAt?.getTime() ?? ''}`)
    .sort()
    .join('\n');
  return sha256(`${identity}\n${input.truncatedAlerts}\n${content}`);
}

/** The incident this delivery opens for `newAlerts`, and the events it starts with. */
function openIncident(
  ctx: IngestContext,
  input: Notification,
  identity: string,
  newAlerts: IncomingAlert[],
  previousIncidentId: number | null,
): { incident: NewIncident; events: TimelineRow[] } {
  const first = newAlerts[0]!;
  const firing = newAlerts.some((a) => a.status === 'firing');
  const startedAt = new Date(newAlerts.reduce((min, a) => Math.min(min, a.startsAt.getTime()), Infinity));
  const alertname = input.commonLabels.alertname ?? input.groupLabels.alertname ?? first.labels.alertname ?? null;
  const link = ctx.runbooks?.link({
    labels: { ...first.labels, ...input.commonLabels },
    annotations: { ...first.annotations, ...input.commonAnnotations },
  });
  const now = ctx.clock();
  const resolvedAt = firing
    ? null
    : new Date(newAlerts.reduce((max, a) => Math.max(max, (a.endsAt ?? now).getTime()), 0));

  const incident: NewIncident = {
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
  };
  const events: TimelineRow[] = [
    {
      incident: 'opened',
      type: 'incident.opened',
      at: startedAt,
      actor: INTAKE_ACTOR,
      data: { receiver: input.receiver, groupKey: input.groupKey, previousIncidentId },
    },
  ];
  if (link?.kind === 'runbook') {
    events.push({
      incident: 'opened',
      type: 'runbook.linked',
      at: now,
      actor: INTAKE_ACTOR,
      data: { runbookId: link.runbookId, sha: link.sha },
    });
  }
  if (resolvedAt) {
    // A resolved-only notification for a group we never saw firing: still recorded.
    events.push({
      incident: 'opened',
      type: 'incident.resolved',
      at: resolvedAt,
      actor: INTAKE_ACTOR,
      data: { firingNeverSeen: true },
    });
  }
  return { incident, events };
}

/** Says on an event where the alerts came from when it was not a webhook (`reconcile`). */
function withSource(event: TimelineRow, source: string): TimelineRow {
  return { ...event, data: { ...event.data, source } };
}

/**
 * One event per batch of alerts that changed together: the alerts table holds
 * every alert, the timeline says what happened when (a 10,000-alert storm is
 * one line, not 10,000).
 */
function alertsEvent(
  incident: IncidentRef,
  type: 'alert.firing' | 'alert.resolved',
  batch: IncomingAlert[],
): TimelineRow {
  const times = batch.map((a) => (type === 'alert.firing' ? a.startsAt : (a.endsAt ?? a.startsAt)).getTime());
  // Folded, not Math.min(...times): spreading ~150,000 arguments overflows the stack, and a 16 MiB body holds that many.
  const at = type === 'alert.firing' ? times.reduce((a, b) => Math.min(a, b)) : times.reduce((a, b) => Math.max(a, b));
  return {
    incident,
    type,
    at: new Date(at),
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
  const anyResolved =
    [...occurrences.values()].some((a) => a.status === 'resolved') ||
    [...known.values()].some((k) => k.status === 'resolved');
  if (!anyResolved) return [];
  const ids = new Set([...known.values()].map((k) => k.incidentId));
  if (openIncidentId !== null) ids.add(openIncidentId);
  return [...ids];
}
