import { sql, type SQL } from 'drizzle-orm';
import type { Row } from './pipeline.js';
import type { IncomingAlert } from '../domain/incidents/notification.js';
import type { RunbookLinker } from '../domain/incidents/runbook-linker.js';

/*
 * The statements of intake, built here and run by ingest-notification in two
 * batches. Rows travel as ONE jsonb parameter expanded server-side by
 * jsonb_to_recordset: a 10,000-alert storm is one statement, with no
 * 65,535-parameter limit to chunk around, and the SQL text stays the same for
 * every notification, so each statement is prepared once per connection.
 * Statements that need not see each other's effects go together as the parts
 * of one (data-modifying CTEs): each statement costs the app and the server
 * about as much again as a small insert (its protocol messages, portal,
 * snapshot, executor start, answer), so a new incident is two statements, not six.
 */

export interface KnownOccurrence {
  status: 'firing' | 'resolved';
  incidentId: number;
}

/** Where an incident-scoped row points: a known incident, or the one this transaction just opened. */
export type IncidentRef = number | 'opened';

export interface TimelineRow {
  incident: IncidentRef;
  type: string;
  at: Date;
  actor: string;
  data?: Record<string, unknown>;
}

// The id drawn by the incident insert of the same statement (writeIntake's `opened` part); a scalar
// subquery, worked out once per statement, not once per row.
const OPENED_INCIDENT_ID = sql`(select id from opened)`;

function incidentId(ref: IncidentRef): SQL {
  return ref === 'opened' ? OPENED_INCIDENT_ID : sql`${ref}::bigint`;
}

/*
 * Plans. A prepared statement is planned for its parameters five times, then
 * Postgres may keep one generic plan for the connection's life. Built while a
 * table is young, that plan is a sequential scan, kept as the table grows
 * (a 1,000-alert notification went from 80 to 250 ms). Intake's reads are key
 * lookups, for which an index probe is right at any size, so its transaction
 * turns sequential scans off and the generic plan is the probe. The statements
 * that resolve join over many rows, and are planned at each execution instead.
 * Planning every statement each time cost a third of the server's time.
 */

/**
 * Serialises this transaction with every other delivery for the group, until
 * it ends, and keeps its lookups on their indexes (above).
 */
export function lockGroup(identity: string): SQL {
  return sql`select pg_advisory_xact_lock(hashtextextended(${identity}, 0)), set_config('enable_seqscan', 'off', true)`;
}

/** The statements after this one in the transaction are planned for their own parameters (above). */
export function planEachExecution(): SQL {
  return sql`select set_config('plan_cache_mode', 'force_custom_plan', true)`;
}

export interface Delivery {
  contentHash: string;
  receiver: string;
  groupKey: string | null;
  status: string;
  alertCount: number;
  truncatedAlerts: number;
  now: Date;
}

/** What intake reads under the group lock, with the delivery it logged. */
export interface IntakeReading {
  /** Greater than 1 when this exact content was committed before (retry, repeat-interval resend, HA twin). */
  deliveries: number;
  /** The stored occurrences among the notification's, by key. */
  known: Map<string, KnownOccurrence>;
  /** The group's open incident if it has one, else its most recent one (which a re-fire links back to). */
  latest: { id: number; status: string } | null;
}

/**
 * Logs a delivery by its content, and reads which of `keys` are stored and
 * the group's latest incident: one statement, run after the group lock (its
 * reads see every delivery for the group committed before), read by `readIntake`.
 */
export function recordDeliveryAndRead(d: Delivery, keys: string[], identity: string): SQL {
  const now = d.now.toISOString();
  // `= any(array(…))` is an index probe per key whatever the planner thinks of
  // the table's size; `in (select …)` let it pick a hash join over the whole table.
  // The latest incident is two index probes: the open one (one_open_per_group), else the newest by
  // incidents_group_started_idx. Sorting the group's incidents by "firing first" read every one of them, under
  // the group's lock: 31 ms a delivery for a group that had flapped into 20,000 incidents, against 0.1 ms.
  return sql`
    with delivery as (
      insert into notifications (content_hash, receiver, group_key, status, alert_count, truncated_alerts, first_received_at, last_received_at)
      values (${d.contentHash}, ${d.receiver}, ${d.groupKey}, ${d.status}, ${d.alertCount}, ${d.truncatedAlerts}, ${now}, ${now})
      on conflict (content_hash) do update set deliveries = notifications.deliveries + 1, last_received_at = excluded.last_received_at
      returning deliveries
    )
    select
      (select deliveries from delivery) as deliveries,
      (select json_agg(json_build_array(occurrence_key, status, incident_id))
        from alerts
        where occurrence_key = any(array(select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb)))) as known,
      coalesce(
        (select json_build_array(id, status) from incidents where group_identity = ${identity} and status = 'firing'),
        (select json_build_array(id, status) from incidents
          where group_identity = ${identity}
          order by started_at desc nulls last, id desc
          limit 1)) as latest`;
}

export function readIntake(rows: Row[]): IntakeReading {
  const row = rows[0]!;
  const known = (row.known ?? []) as [string, KnownOccurrence['status'], number][];
  const latest = row.latest as [number, string] | null;
  return {
    deliveries: Number(row.deliveries),
    known: new Map(known.map(([key, status, incidentId]) => [key, { status, incidentId: Number(incidentId) }])),
    latest: latest ? { id: Number(latest[0]), status: latest[1] } : null,
  };
}

export interface NewIncident {
  groupIdentity: string;
  receiver: string;
  groupKey: string | null;
  groupLabels: Record<string, string>;
  status: 'firing' | 'resolved';
  title: string;
  severity: string | null;
  alertname: string | null;
  externalUrl: string | null;
  startedAt: Date;
  resolvedAt: Date | null;
  previousIncidentId: number | null;
  runbookId: string | null;
  runbookSha: string | null;
  runbookExternalUrl: string | null;
}

/** Occurrences to store in one incident. */
export interface NewOccurrences {
  incident: IncidentRef;
  occurrences: [string, IncomingAlert][];
  runbooks: RunbookLinker | undefined;
  now: Date;
}

/**
 * Intake's inserts, as the parts of one statement: the incident it opens, the
 * occurrences it stores (`ON CONFLICT DO NOTHING`), the timeline events it
 * appends, each part optional. Rows that name the opened incident take its id
 * from its part; foreign keys are checked at the statement's end, when it is
 * there. Answers one row: `openedId` (or null) and `inserted`, the count of
 * occurrences actually stored.
 */
export function writeIntake(w: {
  opening: NewIncident | null;
  occurrences: NewOccurrences | null;
  events: TimelineRow[];
}): SQL {
  const parts: SQL[] = [];
  if (w.opening) parts.push(sql`opened as (${insertIncident(w.opening)} returning id)`);
  if (w.occurrences) parts.push(sql`inserted as (${insertOccurrences(w.occurrences)} returning 1)`);
  if (w.events.length > 0) parts.push(sql`appended as (${appendTimeline(w.events)})`);
  if (parts.length === 0) throw new Error('writeIntake: nothing to write');
  return sql`
    with ${sql.join(parts, sql`, `)}
    select ${w.opening ? OPENED_INCIDENT_ID : sql`null::bigint`} as "openedId",
      ${w.occurrences ? sql`(select count(*) from inserted)::int` : sql`0`} as inserted`;
}

/**
 * Opens an incident. The partial unique index guarantees one open incident per
 * group even if the advisory lock were bypassed: an insert that loses that
 * race fails the transaction rather than creating a second incident.
 */
function insertIncident(i: NewIncident): SQL {
  return sql`
    insert into incidents (group_identity, receiver, group_key, group_labels, status, title, severity, alertname, external_url,
      started_at, resolved_at, previous_incident_id, runbook_id, runbook_sha, runbook_external_url)
    values (${i.groupIdentity}, ${i.receiver}, ${i.groupKey}, ${JSON.stringify(i.groupLabels)}::jsonb, ${i.status}, ${i.title}, ${i.severity},
      ${i.alertname}, ${i.externalUrl}, ${i.startedAt.toISOString()}::timestamptz, ${i.resolvedAt?.toISOString() ?? null}::timestamptz,
      ${i.previousIncidentId}::bigint, ${i.runbookId}, ${i.runbookSha}, ${i.runbookExternalUrl})`;
}

/** Inserts new occurrences into one incident, skipping any already stored. */
function insertOccurrences(input: NewOccurrences): SQL {
  const rows = input.occurrences.map(([key, a]) => {
    const link = input.runbooks?.link(a);
    return {
      occurrence_key: key,
      fingerprint: a.fingerprint,
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      starts_at: a.startsAt.toISOString(),
      ends_at: a.endsAt?.toISOString() ?? null,
      generator_url: a.generatorUrl,
      runbook_id: link?.kind === 'runbook' ? link.runbookId : null,
    };
  });
  return sql`
    insert into alerts (incident_id, occurrence_key, fingerprint, status, labels, annotations, starts_at, ends_at, generator_url, runbook_id, received_at)
    select ${incidentId(input.incident)}, occurrence_key, fingerprint, status, labels, annotations, starts_at, ends_at, generator_url, runbook_id, ${input.now.toISOString()}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
      occurrence_key text, fingerprint text, status text, labels jsonb, annotations jsonb,
      starts_at timestamptz, ends_at timestamptz, generator_url text, runbook_id text)
    on conflict (occurrence_key) do nothing`;
}

/**
 * Moves stored occurrences firing → resolved, each with its own end time.
 * Only ever that direction: a late "firing" never reopens a resolution.
 */
export function resolveOccurrences(ends: { key: string; endsAt: Date }[]): SQL {
  const rows = ends.map((e) => ({ key: e.key, ends_at: e.endsAt.toISOString() }));
  return sql`
    update alerts set status = 'resolved', ends_at = r.ends_at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(key text, ends_at timestamptz)
    where alerts.occurrence_key = r.key and alerts.status = 'firing'
    returning alerts.occurrence_key as key, alerts.incident_id as "incidentId"`;
}

/** Appends events in the order given (the timeline is ordered by id). */
function appendTimeline(events: TimelineRow[]): SQL {
  const rows = events.map((e, position) => ({
    position,
    incident_id: e.incident === 'opened' ? null : e.incident,
    type: e.type,
    at: e.at.toISOString(),
    actor: e.actor,
    data: e.data ?? {},
  }));
  return sql`
    insert into timeline_events (incident_id, type, at, actor, data)
    select ${events.some((e) => e.incident === 'opened') ? sql`coalesce(r.incident_id, ${OPENED_INCIDENT_ID})` : sql`r.incident_id`}, r.type, r.at, r.actor, r.data
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(position int, incident_id bigint, type text, at timestamptz, actor text, data jsonb)
    order by r.position`;
}

/**
 * Resolves each of these incidents whose alerts are all resolved (at its last
 * alert's end) and logs `incident.resolved`; returns the ids it resolved. Run
 * after the alert changes of the same batch, which it sees.
 */
export function settleIncidents(ids: number[], actor: string, now: Date): SQL {
  return sql`
    with settled as (
      update incidents i
      set status = 'resolved',
          resolved_at = (select coalesce(max(ends_at), ${now.toISOString()}::timestamptz) from alerts where incident_id = i.id)
      where i.id = any(array(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::bigint))
        and i.status = 'firing'
        and not exists (select 1 from alerts where incident_id = i.id and status = 'firing')
      returning i.id, i.resolved_at
    )
    insert into timeline_events (incident_id, type, at, actor)
    select id, 'incident.resolved', resolved_at, ${actor} from settled order by id
    returning incident_id as "incidentId"`;
}
