import type postgres from 'postgres';

/** The shape of one generated week (defaults: the issue's figures). */
export interface WeekShape {
  incidents: number;
  alertsPerIncident: number;
  alertnames: number;
  /** Instances per alertname: fingerprints are (alertname, instance) pairs. */
  instances: number;
  runbooks: number;
}

export const DEFAULT_SHAPE: WeekShape = {
  incidents: 100_000,
  alertsPerIncident: 10,
  alertnames: 200,
  instances: 500,
  runbooks: 50,
};

/** One runbook file as the runbooks folder holds it: two steps, `revision` changes its content. */
function runbookContent(n: number, revision: number): string {
  return `---\ntitle: Runbook ${n}\nalerts: [Alert${n}]\nowner: team-${n % 10}\n---\n# Runbook ${n}\n\n- [ ] Check the latest deploy\n- [ ] Look at upstream dependencies (revision ${revision})\n`;
}

/**
 * Writes the runbooks the generated incidents link to: one version each from
 * long before, and a second version first seen during the week for every
 * tenth (the report's "runbooks changed").
 */
export async function seedRunbooks(sql: postgres.Sql, shape: WeekShape, weekStart: Date): Promise<void> {
  for (let n = 0; n < shape.runbooks; n++) {
    const id = `rb-${n}`;
    const versions = n % 10 === 0 ? [1, 2] : [1];
    for (const revision of versions) {
      const firstSeen = revision === 1 ? new Date('2026-01-01T00:00:00Z') : new Date(weekStart.getTime() + 86_400_000);
      await sql`insert into runbook_versions (runbook_id, sha, path, content, frontmatter, first_seen_at)
        values (${id}, ${`${id}-v${revision}`}, ${`${id}.md`}, ${runbookContent(n, revision)}, ${sql.json({})}, ${firstSeen})`;
    }
    await sql`insert into runbooks (id, path, title, alerts, owner, current_sha)
      values (${id}, ${`${id}.md`}, ${`Runbook ${n}`}, ${sql.json([`Alert${n}`])}, ${`team-${n % 10}`}, ${`${id}-v${versions.length}`})`;
  }
}

/**
 * One week of history written by set-returning SQL (generate_series), not
 * through the webhook: `shape.incidents` incidents starting in [weekStart,
 * weekStart + 7 d) and `alertsPerIncident` alert occurrences each, with the
 * rows intake and people would have added beside them — two notifications per
 * incident (a tenth re-delivered), the timeline (opened, one event per alert,
 * acknowledgements, notes, ticked steps, snapshots) and ticked steps.
 *
 * Deterministic: `setseed` fixes random(); ids start at `firstId`.
 * Alertnames are skewed (a few are noisy), 40 % of incidents are acknowledged,
 * 3 % are still open, a tenth of the resolved ones by hand.
 */
export async function seedWeek(
  sql: postgres.Sql,
  shape: WeekShape,
  weekStart: Date,
  firstId: number,
  seed: number,
): Promise<void> {
  const start = weekStart.toISOString();
  const last = firstId + shape.incidents - 1;
  await sql.begin(async (tx) => {
    await tx`select setseed(${seed})`;
    await tx`create temporary table gen on commit drop as
      select g as id, a, ${start}::timestamptz + random() * interval '7 days' as started_at,
        random() as ack_roll, random() as resolve_roll, random() as act_roll
      from (select g, floor(${shape.alertnames} * random() ^ 3)::int as a
            from generate_series(${firstId}::bigint, ${last}::bigint) g) s`;
    await tx`insert into incidents (id, group_identity, receiver, group_key, group_labels, status, title, severity,
        alertname, started_at, resolved_at, resolved_by, acknowledged_at, acknowledged_by, runbook_id, runbook_sha, created_at)
      overriding system value
      select id, md5(id::text), 'team-' || (a % 5), '{}:{alertname="Alert' || a || '"}',
        jsonb_build_object('alertname', 'Alert' || a),
        case when resolve_roll < 0.97 then 'resolved' else 'firing' end,
        'Alert' || a, (array['critical', 'warning', 'info'])[a % 3 + 1], 'Alert' || a, started_at,
        case when resolve_roll < 0.97 then started_at + (resolve_roll ^ 4) * interval '4 hours' end,
        case when resolve_roll < 0.097 then 'bob' end,
        case when ack_roll < 0.4 then started_at + ack_roll * interval '25 minutes' end,
        case when ack_roll < 0.4 then 'alice' end,
        case when a < ${shape.runbooks} then 'rb-' || a end,
        case when a < ${shape.runbooks} then 'rb-' || a || '-v1' end,
        started_at
      from gen`;
    await tx`insert into alerts (incident_id, occurrence_key, fingerprint, status, labels, annotations, starts_at, ends_at, runbook_id, received_at)
      select id, md5(id || ':' || k), fp, case when ends_at is null then 'firing' else 'resolved' end,
        jsonb_build_object('alertname', 'Alert' || a, 'severity', (array['critical', 'warning', 'info'])[a % 3 + 1],
          'instance', 'host-' || inst, 'job', 'node'),
        '{}', starts_at, ends_at, case when a < ${shape.runbooks} then 'rb-' || a end, starts_at
      from (
        select id, a, k, inst, md5(a || ':' || inst) as fp, starts_at,
          case when resolve_roll < 0.97 then starts_at + random() ^ 2 * interval '1 hour' end as ends_at
        from (
          select gen.*, k, floor(random() * ${shape.instances})::int as inst,
            started_at + k * random() * interval '1 minute' as starts_at
          from gen, generate_series(1, ${shape.alertsPerIncident}) k
        ) per_alert
      ) alert_rows`;
    await tx`insert into notifications (content_hash, receiver, group_key, status, alert_count, deliveries, first_received_at, last_received_at)
      select md5(id || ':' || kind), 'team-' || (a % 5), '{}:{alertname="Alert' || a || '"}', kind, ${shape.alertsPerIncident},
        case when act_roll < 0.1 then 2 else 1 end, at, at
      from (
        select id, a, act_roll, 'firing' as kind, started_at as at from gen
        union all
        select id, a, act_roll, 'resolved', started_at + (resolve_roll ^ 4) * interval '4 hours' from gen where resolve_roll < 0.97
      ) n`;
    await tx`insert into timeline_events (incident_id, type, at, actor, data)
      select incident_id, 'alert.firing', starts_at, 'alertmanager', '{}' from alerts where incident_id between ${firstId} and ${last}`;
    await tx`insert into timeline_events (incident_id, type, at, actor, data)
      select id, type, at, actor, '{}' from (
        select id, 'incident.opened' as type, started_at as at, 'alertmanager' as actor from gen
        union all select id, 'incident.acknowledged', started_at + ack_roll * interval '25 minutes', 'alice' from gen where ack_roll < 0.4
        union all select id, 'note.added', started_at + interval '10 minutes', 'alice' from gen where act_roll < 0.2
        union all select id, 'step.checked', started_at + interval '12 minutes', 'alice' from gen where act_roll < 0.15 and a < ${shape.runbooks}
        union all select id, 'cell.snapshot', started_at + interval '15 minutes', 'alice' from gen where act_roll < 0.05
        union all select id, 'cell.snapshot', started_at + interval '4 hours', 'alertbook' from gen where resolve_roll < 0.5
      ) e`;
    await tx`insert into incident_steps (incident_id, step_id, checked, actor, at)
      select id, 'step-check-the-latest-deploy', true, 'alice', started_at + interval '12 minutes'
      from gen where act_roll < 0.15 and a < ${shape.runbooks}`;
  });
}

/** After writing ids by hand: the identity sequences continue past them. */
export async function syncIdentities(sql: postgres.Sql): Promise<void> {
  await sql`select setval(pg_get_serial_sequence('incidents', 'id'), (select max(id) from incidents))`;
}
