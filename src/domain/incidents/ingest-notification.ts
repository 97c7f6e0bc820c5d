import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client.js';
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

interface IngestOutcome {
  fresh: boolean;
  changed: number;
  events: { incidentId: number | string; type: string }[];
}

/**
 * Records one webhook notification, atomically, in one round trip.
 *
 * What is decided from the payload alone is decided here: the group identity,
 * occurrence keys, the content hash, the title, the runbook links. What needs
 * the stored state — idempotency, opening / joining / resolving incidents, the
 * timeline — is one call of the `alertbook_ingest` database function
 * (migrations/0001_ingest_function.sql), because round trips are what bound
 * intake throughput. Idempotency rests on unique keys there:
 * `notifications.content_hash` for identical content, `alerts.occurrence_key`
 * (group + fingerprint + startsAt) per occurrence, and a partial unique index
 * for one open incident per group, with a per-group advisory lock serialising
 * the lifecycle decisions of racing deliveries.
 */
export async function ingestNotification({ ctx, input }: { ctx: IngestContext; input: Notification }): Promise<IngestSummary> {
  const identity = groupIdentity(input);
  const occurrences = keyOccurrences(input.alerts, sha256(identity).slice(0, 16));
  const first = input.alerts[0];
  const alertname = input.commonLabels.alertname ?? input.groupLabels.alertname ?? first?.labels.alertname ?? null;
  const incidentLink = first
    ? ctx.runbooks?.link({ labels: { ...first.labels, ...input.commonLabels }, annotations: { ...first.annotations, ...input.commonAnnotations } })
    : null;

  const doc = {
    identity,
    contentHash: contentHash(identity, input.truncatedAlerts, occurrences),
    now: ctx.clock().toISOString(),
    truncated: input.truncatedAlerts,
    delivery: { receiver: input.receiver, groupKey: input.groupKey, status: input.status, alertCount: input.alerts.length },
    incident: {
      receiver: input.receiver,
      groupKey: input.groupKey,
      groupLabels: input.groupLabels,
      title: input.commonAnnotations.summary || first?.annotations.summary || alertname || 'Alert group',
      severity: input.commonLabels.severity ?? first?.labels.severity ?? null,
      alertname,
      externalUrl: input.externalUrl,
      runbookId: incidentLink?.kind === 'runbook' ? incidentLink.runbookId : null,
      runbookSha: incidentLink?.kind === 'runbook' ? incidentLink.sha : null,
      runbookExternalUrl: incidentLink?.kind === 'external' ? incidentLink.url : null,
    },
    occurrences: [...occurrences].map(([key, a]) => {
      const link = ctx.runbooks?.link(a);
      return {
        key,
        fingerprint: a.fingerprint,
        status: a.status,
        labels: a.labels,
        annotations: a.annotations,
        starts_at: a.startsAt.toISOString(),
        ends_at: a.endsAt?.toISOString() ?? null,
        generator_url: a.generatorUrl,
        runbook_id: link?.kind === 'runbook' ? link.runbookId : null,
      };
    }),
  };

  const result = await ctx.db.execute(sql`select alertbook_ingest(${JSON.stringify(doc)}::jsonb) as outcome`);
  const [row] = rowsOf<{ outcome: IngestOutcome | string }>(result);
  const outcome: IngestOutcome = typeof row!.outcome === 'string' ? JSON.parse(row!.outcome) : row!.outcome;

  const typesByIncident = new Map<number, Set<string>>();
  for (const event of outcome.events) {
    const id = Number(event.incidentId);
    typesByIncident.set(id, (typesByIncident.get(id) ?? new Set()).add(event.type));
  }
  for (const [incidentId, types] of typesByIncident) ctx.bus?.publish({ incidentId, types: [...types] });
  return {
    fresh: outcome.fresh,
    alerts: input.alerts.length,
    changed: outcome.changed,
    duplicates: input.alerts.length - outcome.changed,
    incidents: [...typesByIncident.keys()],
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
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

/** What makes two deliveries "the same notification": the group, truncation, and each occurrence's state. */
function contentHash(identity: string, truncated: number, occurrences: Map<string, IncomingAlert>): string {
  const content = [...occurrences]
    .map(([key, a]) => `${key}|${a.status}|${a.endsAt?.getTime() ?? ''}`)
    .sort()
    .join('\n');
  return sha256(`${identity}\n${truncated}\n${content}`);
}
