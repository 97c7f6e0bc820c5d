import { createHash } from 'node:crypto';
import type { SendIntake } from '../../db/intake-batcher.js';
import type { IntakeOccurrence, IntakeRequest } from '../../db/intake-statements.js';
import type { Deadline } from '../../deadline.js';
import type { IncomingAlert, Notification } from './notification.js';
import type { RunbookLink, RunbookLinker } from './runbook-linker.js';
import type { WriteContext } from './write-context.js';

export interface IngestContext extends WriteContext {
  /** Commits a notification's statement (src/db/intake-batcher.ts: alone, or with others arriving meanwhile). */
  intake: SendIntake;
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
// Enough to find the culprit; a storm where every alert carries a NUL would otherwise answer with a list as long.
const ADJUSTMENTS_LISTED = 100;

/**
 * Records one webhook notification in a single transaction: one statement,
 * `ingest_notification` (migrations/0012_intake-function.sql), which takes
 * the group's lock, logs the delivery, reads what is stored and writes what
 * that decides. Here the notification is keyed, hashed and linked to runbooks.
 *
 * Idempotency rests on unique keys: identical content lands on
 * `notifications.content_hash`, an alert occurrence on `alerts.occurrence_key`
 * (group + fingerprint + startsAt), and at most one open incident per group on
 * a partial unique index. A transaction-scoped advisory lock per group
 * serialises the incident lifecycle decisions (open, join, resolve) of
 * concurrent deliveries for the same group, so two racing requests cannot both
 * open an incident or both miss the last resolution.
 *
 * What the function decides: occurrences not stored are inserted, into the
 * group's open incident or, when it has none, into one opened for them (linked
 * to the group's previous incident); stored ones only ever move firing →
 * resolved; an incident resolves when every alert it holds is resolved, judged
 * from the store and never from a truncated notification. The timeline gets
 * incident.opened (runbook.linked, and incident.resolved for a group never seen
 * firing), one alert.firing / alert.resolved per batch of alerts that changed
 * together (the first 50 listed, `count` says how many), then incident.resolved.
 */
export async function ingestNotification({
  ctx,
  input,
  deadline,
}: {
  ctx: IngestContext;
  input: Notification;
  /** Past it, the caller is answered; the statement, once sent, may still commit (a retry is then a duplicate). */
  deadline?: Deadline;
}): Promise<IngestSummary> {
  const occurrences = keyOccurrences(input.alerts);
  const request = intakeRequest(ctx, input, occurrences);
  const outcome = await ctx.intake(request, deadline);

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

function intakeRequest(
  ctx: IngestContext,
  input: Notification,
  occurrences: Map<string, IncomingAlert>,
): IntakeRequest {
  const runbookShas: Record<string, string> = {};
  const idOf = (link: RunbookLink | null | undefined) => {
    if (link?.kind !== 'runbook') return undefined;
    runbookShas[link.runbookId] = link.sha;
    return link.runbookId;
  };
  const urlOf = (link: RunbookLink | null | undefined) => (link?.kind === 'external' ? link.url : undefined);
  const alerts = [...occurrences].map(([key, a]): IntakeOccurrence => {
    const own = ctx.runbooks?.link(a);
    const occurrence: IntakeOccurrence = {
      key,
      fingerprint: a.fingerprint,
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      starts_at: a.startsAt.toISOString(),
      ends_at: a.endsAt?.toISOString() ?? null,
      generator_url: a.generatorUrl,
      runbook_id: idOf(own),
      runbook_url: urlOf(own),
    };
    // An incident is linked by its first alert's labels and annotations with the notification's common ones over
    // them; Alertmanager's common ones are the alert's own already, so that is the alert's own link but for senders
    // whose common sets say otherwise.
    if (ctx.runbooks && !(includes(a.labels, input.commonLabels) && includes(a.annotations, input.commonAnnotations))) {
      const opening = ctx.runbooks.link({
        labels: { ...a.labels, ...input.commonLabels },
        annotations: { ...a.annotations, ...input.commonAnnotations },
      });
      Object.assign(occurrence, {
        opening_differs: true,
        opening_runbook_id: idOf(opening),
        opening_runbook_url: urlOf(opening),
      });
    }
    return occurrence;
  });
  return {
    identity: input.groupIdentity,
    content_hash: contentHash(input, input.groupIdentity, occurrences),
    receiver: input.receiver,
    group_key: input.groupKey,
    status: input.status,
    alert_count: input.alerts.length,
    truncated_alerts: input.truncatedAlerts,
    now: ctx.clock().toISOString(),
    group_labels: input.groupLabels,
    external_url: input.externalUrl,
    alertname: input.commonLabels.alertname ?? input.groupLabels.alertname ?? null,
    summary: input.commonAnnotations.summary ?? null,
    severity: input.commonLabels.severity ?? null,
    actor: INTAKE_ACTOR,
    source: input.source,
    runbook_shas: runbookShas,
    alerts,
  };
}

/** Whether every name of `subset` is in `set` with the same value. */
function includes(set: Record<string, string>, subset: Record<string, string>): boolean {
  for (const name in subset) if (set[name] !== subset[name]) return false;
  return true;
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
