import { sql } from 'drizzle-orm';
import type { AlertmanagerClient, ApiAlertGroup } from '../../alertmanager/alertmanager-client.js';
import { rowsOf, type Db } from '../../db/client.js';
import { lockGroup, settleIncidents } from '../../db/intake-statements.js';
import { errorFields, type Logger } from '../../logger.js';
import { ingestNotification, type IngestContext } from '../incidents/ingest-notification.js';
import { parseNotification } from '../incidents/notification.js';
import { formatLabelSet, quoteMeta, routeKeyOf, webhookBodyOf } from './alertmanager-group.js';

export type AlertmanagerSource = Pick<AlertmanagerClient, 'name' | 'alertGroups' | 'startedAt'>;

export interface ReconcileReport {
  /** Receivers that post to Alertbook (learned from the notifications and incidents stored). */
  receivers: number;
  unreachable: string[];
  /** Firing alerts Alertmanager has that were not stored, now ingested. */
  ingested: number;
  /** Alerts open here that every Alertmanager has forgotten, now resolved. */
  resolved: number;
  /** Groups whose groupKey could not be told (their receiver's route is not known from past notifications). */
  unkeyedGroups: number;
  /** Why nothing could be resolved this time, if so. */
  resolutionSkipped: string | null;
}

/** Who the timeline says resolved an alert nobody notified about. */
export const RECONCILE_ACTOR = 'alertbook';
const ALERTS_LISTED_PER_EVENT = 50;

/**
 * One reconciliation of the database with the configured Alertmanagers (an HA
 * pair, or independent ones): alerts firing there but unknown here are
 * ingested as a notification would be (`source: "reconcile"`); alerts firing
 * here that no Alertmanager has any more are resolved with `alert.reconciled`.
 * Nothing is resolved unless every Alertmanager answered, and each has been
 * up for `minUptimeMs` (a restarted one knows an alert only once Prometheus
 * re-sent it).
 */
export async function reconcile(deps: {
  ctx: IngestContext;
  alertmanagers: AlertmanagerSource[];
  minUptimeMs: number;
  logger: Logger;
}): Promise<ReconcileReport> {
  const { ctx, alertmanagers } = deps;
  const checkedAt = ctx.clock();
  const receivers = rowsOf<{ receiver: string }>(
    // The incidents too: the delivery log may have been pruned (ALERTBOOK_RETENTION).
    await ctx.db.execute(sql`select receiver from notifications union select receiver from incidents`),
  ).map((r) => r.receiver);
  const report: ReconcileReport = {
    receivers: receivers.length,
    unreachable: [],
    ingested: 0,
    resolved: 0,
    unkeyedGroups: 0,
    resolutionSkipped: null,
  };
  if (receivers.length === 0) {
    report.resolutionSkipped = 'no notification stored yet: no receiver is known';
    return report;
  }

  // Stored receivers are as webhooks send them, regex-quoted: together they are the API's receiver filter.
  const answers = await Promise.allSettled(
    alertmanagers.map(async (am) => ({
      am,
      groups: await am.alertGroups(receivers.join('|')),
      up: await am.startedAt(),
    })),
  );
  const reached: Array<{ am: AlertmanagerSource; groups: ApiAlertGroup[]; up: Date }> = [];
  answers.forEach((answer, i) => {
    if (answer.status === 'fulfilled') reached.push(answer.value);
    else {
      report.unreachable.push(alertmanagers[i]!.name);
      deps.logger.warn('reconciliation could not read an Alertmanager', {
        alertmanager: alertmanagers[i]!.name,
        ...errorFields(answer.reason),
      });
    }
  });

  const groupKeys = await knownGroupKeys(ctx.db);
  for (const { am, groups } of reached) {
    for (const group of groups) {
      const groupKey = groupKeys.groupKeyOf(group);
      if (groupKey === null) {
        report.unkeyedGroups += 1;
        continue;
      }
      const notification = parseNotification(webhookBodyOf(group, groupKey, am.name));
      if (
        await allKnown(
          ctx.db,
          notification.alerts.map((a) => a.occurrenceKey),
        )
      )
        continue;
      const summary = await ingestNotification({ ctx, input: { ...notification, source: 'reconcile' } });
      report.ingested += summary.changed;
    }
  }

  const recentStart = reached.find(({ up }) => checkedAt.getTime() - up.getTime() < deps.minUptimeMs);
  if (report.unreachable.length > 0) {
    report.resolutionSkipped = `not every Alertmanager answered (${report.unreachable.join(', ')})`;
  } else if (recentStart) {
    report.resolutionSkipped = `${recentStart.am.name} started at ${recentStart.up.toISOString()}: too recently to know every firing alert`;
  } else {
    const present = new Set(
      reached.flatMap(({ groups }) =>
        groups.flatMap((g) => g.alerts.map((a) => occurrenceOf(a.fingerprint, new Date(a.startsAt)))),
      ),
    );
    const evidence = {
      absentFrom: alertmanagers.map((am) => am.name),
      checkedAt: checkedAt.toISOString(),
      upSince: new Date(Math.max(...reached.map(({ up }) => up.getTime()))).toISOString(),
    };
    report.resolved = await resolveAbsent(ctx, receivers, present, checkedAt, evidence);
  }
  return report;
}

function occurrenceOf(fingerprint: string, startsAt: Date): string {
  return `${fingerprint}|${startsAt.getTime()}`;
}

async function allKnown(db: Db, keys: string[]): Promise<boolean> {
  const [row] = rowsOf<{ known: number }>(
    await db.execute(sql`
      select count(*)::int as known from alerts
      where occurrence_key = any(array(select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb)))`),
  );
  return row!.known === new Set(keys).size;
}

/**
 * The groupKey Alertmanager gives a group: `<route key>:<group labels>`. The
 * API does not say the route, so it is learned from the groupKeys stored for
 * the receiver; a receiver reached by several routes needs the group itself
 * to have been notified before.
 */
async function knownGroupKeys(db: Db) {
  const rows = rowsOf<{ receiver: string; groupKey: string; groupLabels: Record<string, string> }>(
    await db.execute(sql`
      select distinct on (receiver, group_key) receiver, group_key as "groupKey", group_labels as "groupLabels"
      from incidents where group_key is not null`),
  );
  const byReceiver = new Map<string, { routes: Set<string>; groupKeys: Set<string> }>();
  for (const row of rows) {
    const known = byReceiver.get(row.receiver) ?? { routes: new Set(), groupKeys: new Set() };
    byReceiver.set(row.receiver, known);
    known.groupKeys.add(row.groupKey);
    const route = routeKeyOf(row.groupKey, row.groupLabels);
    if (route !== null) known.routes.add(route);
  }
  return {
    groupKeyOf(group: ApiAlertGroup): string | null {
      const known = byReceiver.get(quoteMeta(group.receiver.name));
      if (!known) return null;
      const candidates = [...known.routes].map((route) => `${route}:${formatLabelSet(group.labels)}`);
      const seen = candidates.filter((key) => known.groupKeys.has(key));
      if (seen.length === 1) return seen[0]!;
      return candidates.length === 1 ? candidates[0]! : null;
    },
  };
}

/** Resolves the firing alerts of these receivers that were stored before `checkedAt` and no Alertmanager has. */
async function resolveAbsent(
  ctx: IngestContext,
  receivers: string[],
  present: Set<string>,
  checkedAt: Date,
  evidence: Record<string, unknown>,
): Promise<number> {
  const firing = rowsOf<{ id: string; incidentId: string; fingerprint: string; startsAt: Date; identity: string }>(
    await ctx.db.execute(sql`
      select a.id, a.incident_id as "incidentId", a.fingerprint, a.starts_at as "startsAt", i.group_identity as identity
      from alerts a join incidents i on i.id = a.incident_id
      where a.status = 'firing' and a.received_at < ${checkedAt.toISOString()}::timestamptz
        and i.receiver = any(array(select jsonb_array_elements_text(${JSON.stringify(receivers)}::jsonb)))`),
  );
  const absentByIncident = new Map<number, { identity: string; alertIds: number[] }>();
  for (const alert of firing) {
    if (present.has(occurrenceOf(alert.fingerprint, new Date(alert.startsAt)))) continue;
    const entry = absentByIncident.get(Number(alert.incidentId)) ?? { identity: alert.identity, alertIds: [] };
    entry.alertIds.push(Number(alert.id));
    absentByIncident.set(Number(alert.incidentId), entry);
  }

  let resolved = 0;
  for (const [incidentId, { identity, alertIds }] of absentByIncident) {
    const { count, settled } = await ctx.db.transaction(async (tx) => {
      // Serialised with intake for the group: a notification arriving now is judged after this, or before.
      await tx.execute(lockGroup(identity));
      const alerts = rowsOf<{ fingerprint: string; alertname: string | null; startsAt: Date }>(
        await tx.execute(sql`
          update alerts set status = 'resolved', ends_at = ${checkedAt.toISOString()}::timestamptz
          where id = any(array(select jsonb_array_elements_text(${JSON.stringify(alertIds)}::jsonb)::bigint))
            and status = 'firing'
          returning fingerprint, labels->>'alertname' as alertname, starts_at as "startsAt"`),
      );
      if (alerts.length === 0) return { count: 0, settled: false };
      await tx.execute(sql`
        insert into timeline_events (incident_id, type, at, actor, data)
        values (${incidentId}, 'alert.reconciled', ${checkedAt.toISOString()}::timestamptz, ${RECONCILE_ACTOR}, ${JSON.stringify(
          {
            count: alerts.length,
            alerts: alerts.slice(0, ALERTS_LISTED_PER_EVENT).map((a) => ({
              fingerprint: a.fingerprint,
              alertname: a.alertname,
              startsAt: new Date(a.startsAt).toISOString(),
            })),
            evidence,
            source: 'reconcile',
          },
        )}::jsonb)`);
      const settledRows = await tx.execute(settleIncidents([incidentId], RECONCILE_ACTOR, checkedAt));
      return { count: alerts.length, settled: rowsOf(settledRows).length > 0 };
    });
    if (count === 0) continue;
    resolved += count;
    ctx.bus?.publish({ incidentId, types: settled ? ['alert.reconciled', 'incident.resolved'] : ['alert.reconciled'] });
  }
  return resolved;
}
