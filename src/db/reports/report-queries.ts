import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../client.js';

/*
 * The SQL behind the weekly report: each function aggregates one section's
 * rows for [from, to) on the server, so a week of a million occurrences
 * travels as a few hundred grouped rows. The meaning of each figure is
 * written beside the code that assembles it (src/domain/reports/sections/).
 */

export interface Span {
  from: Date;
  to: Date;
}

const NONE = '(none)';
// Intake resolves with resolved_by empty; the automatic snapshot actor is the service itself.
const SERVICE_ACTORS = sql`('alertmanager', 'alertbook')`;
const PERSON_EVENTS = sql`('incident.acknowledged', 'note.added', 'step.checked', 'cell.snapshot')`;

function opened(span: Span) {
  return sql`i.started_at >= ${span.from.toISOString()}::timestamptz and i.started_at < ${span.to.toISOString()}::timestamptz`;
}

/**
 * Runs one report query in a transaction of its own with settings for a
 * weekly scan of a million rows: no JIT (compiling cost more than it saved:
 * 2.1 s of a 5.6 s query in bench:report), room to sort a week's occurrences
 * in memory instead of spilling to disk, and no parallel workers: the report
 * sends all its queries at once, so they already share the cores, and a
 * parallel scan of the whole table cost twice the CPU of a serial one
 * (bench:report 3.2 s with them).
 */
async function rows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('jit', 'off', true), set_config('work_mem', '160MB', true),
            set_config('max_parallel_workers_per_gather', '0', true)`,
    );
    return rowsOf<T>(await tx.execute(query));
  });
}

export interface IncidentCombination {
  severity: string;
  alertname: string;
  receiver: string;
  owner: string;
  incidents: number;
}

/** Incidents opened, counted per (severity, alertname, receiver, runbook owner). */
export function incidentCombinations(db: Db, span: Span) {
  return rows<IncidentCombination>(
    db,
    sql`select coalesce(i.severity, ${NONE}) as severity, coalesce(i.alertname, ${NONE}) as alertname, i.receiver,
          coalesce(r.owner, ${NONE}) as owner, count(*)::int as incidents
        from incidents i left join runbooks r on r.id = i.runbook_id
        where ${opened(span)}
        group by 1, 2, 3, 4`,
  );
}

export interface OccurrenceCombination {
  severity: string;
  alertname: string;
  occurrences: number;
}

/** Alert occurrences that started firing, per (severity, alertname) label. */
export function occurrenceCombinations(db: Db, span: Span) {
  return rows<OccurrenceCombination>(
    db,
    sql`select coalesce(labels->>'severity', ${NONE}) as severity, coalesce(labels->>'alertname', ${NONE}) as alertname,
          count(*)::int as occurrences
        from alerts
        where starts_at >= ${span.from.toISOString()}::timestamptz and starts_at < ${span.to.toISOString()}::timestamptz
        group by 1, 2`,
  );
}

export interface PeriodCounts {
  incidents: number;
  occurrences: number;
}

/** Incidents opened and occurrences fired in each span (the trend's earlier weeks), in one statement. */
export async function periodCounts(db: Db, spans: Span[]): Promise<PeriodCounts[]> {
  if (spans.length === 0) return [];
  const values = spans.map(
    (s, i) => sql`(${i}::int, ${s.from.toISOString()}::timestamptz, ${s.to.toISOString()}::timestamptz)`,
  );
  const list = await rows<PeriodCounts & { i: number }>(
    db,
    sql`select p.i,
          (select count(*)::int from incidents i where i.started_at >= p.from_at and i.started_at < p.to_at) as incidents,
          (select count(*)::int from alerts a where a.starts_at >= p.from_at and a.starts_at < p.to_at) as occurrences
        from (values ${sql.join(values, sql`, `)}) as p(i, from_at, to_at)
        order by p.i`,
  );
  return list.map(({ incidents, occurrences }) => ({ incidents, occurrences }));
}

/**
 * When Alertbook stored its first alert: the oldest alert row's received time (ids follow insertion; the primary key
 * finds it without reading the table). Null when no alert was ever stored. Retention keeps alerts, so it never moves.
 */
export async function historyStart(db: Db): Promise<Date | null> {
  const [row] = rowsOf<{ received_at: string | Date }>(
    await db.execute(sql`select received_at from alerts order by id limit 1`),
  );
  return row ? new Date(row.received_at) : null;
}

/** Distinct notifications first received, and the identical re-deliveries they absorbed. */
export async function notificationTotals(db: Db, span: Span): Promise<{ received: number; duplicates: number }> {
  const [row] = await rows<{ received: number; duplicates: number }>(
    db,
    sql`select count(*)::int as received, coalesce(sum(deliveries - 1), 0)::int as duplicates from notifications
        where first_received_at >= ${span.from.toISOString()}::timestamptz and first_received_at < ${span.to.toISOString()}::timestamptz`,
  );
  return row ?? { received: 0, duplicates: 0 };
}

export interface LocalTimeBucket {
  date: string;
  weekday: number;
  hour: number;
  severity: string;
  incidents: number;
}

/** Incidents opened per local (date, hour, severity) in `tz`. */
export function incidentsByLocalTime(db: Db, span: Span, tz: string) {
  return rows<LocalTimeBucket>(
    db,
    sql`select to_char(i.started_at at time zone ${tz}, 'YYYY-MM-DD') as date,
          extract(isodow from i.started_at at time zone ${tz})::int as weekday,
          extract(hour from i.started_at at time zone ${tz})::int as hour,
          coalesce(i.severity, ${NONE}) as severity, count(*)::int as incidents
        from incidents i where ${opened(span)}
        group by 1, 2, 3, 4`,
  );
}

export interface ResponseRow {
  /** null on the overall row; the alertname or severity on the breakdown rows. */
  alertname: string | null;
  severity: string | null;
  incidents: number;
  acknowledged: number;
  mttaMedian: number | null;
  mttaP90: number | null;
  mttaMean: number | null;
  resolved: number;
  mttrMedian: number | null;
  mttrP90: number | null;
  mttrMean: number | null;
  neverAcknowledged: number;
  stillOpen: number;
  manual: number;
  automatic: number;
}

/**
 * Response times in seconds, overall and per alertname and severity. Only
 * resolutions before the period's end count towards MTTR; the rest are still open.
 */
export function responseTimes(db: Db, span: Span) {
  const end = sql`${span.to.toISOString()}::timestamptz`;
  // Only the columns the figures read go through the grouping sets' sorts, not the incidents' wide rows.
  return rows<ResponseRow & { byAlertname: number; bySeverity: number }>(
    db,
    sql`select grouping(i.name)::int as "byAlertname", grouping(i.level)::int as "bySeverity",
          i.name as alertname, i.level as severity,
          count(*)::int as incidents,
          count(i.tta)::int as acknowledged,
          percentile_cont(0.5) within group (order by i.tta) as "mttaMedian",
          percentile_cont(0.9) within group (order by i.tta) as "mttaP90",
          avg(i.tta) as "mttaMean",
          count(i.ttr)::int as resolved,
          percentile_cont(0.5) within group (order by i.ttr) as "mttrMedian",
          percentile_cont(0.9) within group (order by i.ttr) as "mttrP90",
          avg(i.ttr) as "mttrMean",
          count(*) filter (where i.tta is null)::int as "neverAcknowledged",
          count(*) filter (where i.ttr is null)::int as "stillOpen",
          count(*) filter (where i.ttr is not null and i.manual)::int as manual,
          count(*) filter (where i.ttr is not null and not i.manual)::int as automatic
        from (
          select coalesce(alertname, ${NONE}) as name, coalesce(severity, ${NONE}) as level,
            extract(epoch from i.acknowledged_at - i.started_at)::float8 as tta,
            case when i.resolved_at < ${end} then extract(epoch from i.resolved_at - i.started_at)::float8 end as ttr,
            i.resolved_by is not null as manual
          from incidents i where ${opened(span)}
        ) i
        group by grouping sets ((), (i.name), (i.level))`,
  ).then((list) =>
    list.map(({ byAlertname, bySeverity, ...r }) => ({
      ...r,
      // grouping() is 1 for a column rolled up on this row.
      alertname: byAlertname === 0 ? r.alertname : null,
      severity: bySeverity === 0 ? r.severity : null,
    })),
  );
}

export interface AlertnameIncidentCounts {
  alertname: string;
  incidents: number;
  selfResolving: number;
  withAction: number;
  withRunbook: number;
  withSteps: number;
  withSnapshots: number;
}

/** Per alertname: incidents, self-resolving ones, those a person acted on, runbook coverage and use. */
export function incidentTraits(db: Db, span: Span, selfResolvingSeconds: number) {
  const end = sql`${span.to.toISOString()}::timestamptz`;
  // One pass over the period's person events (timeline_events_person_idx), not three lookups per incident.
  return rows<AlertnameIncidentCounts>(
    db,
    sql`with period as (
          select i.id, i.alertname, i.runbook_id, i.started_at, i.resolved_at, i.resolved_by, i.acknowledged_at
          from incidents i where ${opened(span)}
        ), acted as (
          select e.incident_id, bool_or(e.type = 'step.checked') as steps, bool_or(e.type = 'cell.snapshot') as snapshots
          from timeline_events e join period p on p.id = e.incident_id
          where e.type in ${PERSON_EVENTS} and e.actor not in ${SERVICE_ACTORS}
          group by e.incident_id
        )
        select coalesce(i.alertname, ${NONE}) as alertname, count(*)::int as incidents,
          count(*) filter (where i.resolved_by is null and i.resolved_at < ${end} and i.acknowledged_at is null
            and i.resolved_at <= i.started_at + make_interval(secs => ${selfResolvingSeconds}))::int as "selfResolving",
          count(a.incident_id)::int as "withAction",
          count(i.runbook_id)::int as "withRunbook",
          count(*) filter (where a.steps)::int as "withSteps",
          count(*) filter (where a.snapshots)::int as "withSnapshots"
        from period i left join acted a on a.incident_id = i.id
        group by 1`,
  );
}

export interface FlappingFingerprint {
  alertname: string;
  fingerprint: string;
  firings: number;
  /** Most firings of this fingerprint within any 24 hours of the period. */
  maxFiringsIn24h: number;
  /** Episodes that ended less than 5 minutes after they started. */
  shortEpisodes: number;
  /** How many fingerprints flapped in all (the same on every row). */
  flapping: number;
}

/**
 * The flapping fingerprints with the most firings (at most `shown`): ≥
 * `firingsIn24h` firings within 24 hours, or ≥ 2 firings all shorter than
 * `shortEpisodeSeconds`. A week's occurrences are grouped by fingerprint once,
 * as narrow rows: a 64-bit hash stands for the fingerprint (no text compared
 * under the database's collation, no labels carried through the sort; a
 * collision among a week's fingerprints is a 1 in 10^9 chance), each group's
 * starts gathered in order into one array. Some `firingsIn24h` firings lie
 * within 24 hours exactly when, in that order, some start and the one
 * `firingsIn24h − 1` places later do: one pass over each small array, where a
 * window function over the week's million rows cost a second more
 * (bench:report). The busiest 24 hours are counted, and the labels read by the
 * id of the first firing, only for the rows shown.
 */
export function flappingFingerprints(
  db: Db,
  span: Span,
  limits: { shortEpisodeSeconds: number; firingsIn24h: number; shown: number },
) {
  const later = limits.firingsIn24h - 1;
  return rows<FlappingFingerprint>(
    db,
    sql`with per_fingerprint as (
          select min(id) as first_id, count(*)::int as firings, array_agg(starts_at order by starts_at) as starts,
            count(*) filter (where ends_at < starts_at + make_interval(secs => ${limits.shortEpisodeSeconds}))::int
              as "shortEpisodes"
          from alerts
          where starts_at >= ${span.from.toISOString()}::timestamptz and starts_at < ${span.to.toISOString()}::timestamptz
          group by hashtextextended(fingerprint, 0)
        ), flapping as (
          select *, count(*) over ()::int as flapping from per_fingerprint
          where (firings >= ${limits.firingsIn24h} and exists (
              select 1 from generate_series(1, firings - ${later}) i
              where starts[i + ${later}] - starts[i] <= interval '24 hours'))
            or (firings >= 2 and "shortEpisodes" = firings)
          order by firings desc, first_id
          limit ${limits.shown}
        )
        select a.fingerprint, coalesce(a.labels->>'alertname', ${NONE}) as alertname, f.firings,
          (select max(n) from (
            select count(*) over (order by s range between interval '24 hours' preceding and current row) as n
            from unnest(f.starts) s) busiest)::int as "maxFiringsIn24h",
          f."shortEpisodes", f.flapping
        from flapping f join alerts a on a.id = f.first_id
        order by f.firings desc, f.first_id`,
  );
}

export interface PinnedVersionUse {
  runbookId: string;
  sha: string;
  /** Incidents opened in the period with this version pinned. */
  incidents: number;
  /** Their steps ticked (and not unticked since). */
  ticked: number;
}

/** The runbook versions pinned to the period's incidents: how many incidents each, and their ticked steps. */
export function pinnedVersionUse(db: Db, span: Span) {
  return rows<PinnedVersionUse>(
    db,
    sql`select i.runbook_id as "runbookId", i.runbook_sha as sha, count(*)::int as incidents,
          coalesce(sum(t.ticked), 0)::int as ticked
        from incidents i
        left join lateral (select count(*) as ticked from incident_steps s where s.incident_id = i.id and s.checked) t on true
        where ${opened(span)} and i.runbook_sha is not null
        group by 1, 2`,
  );
}

export interface RunbookChange {
  runbookId: string;
  title: string | null;
  versions: number;
  /** The version in force when the period began (null: the runbook is new). */
  before: string | null;
  /** The newest version first seen in the period. */
  after: string;
}

/** Runbooks with versions first seen in the period. */
export function runbookChanges(db: Db, span: Span) {
  const from = sql`${span.from.toISOString()}::timestamptz`;
  return rows<RunbookChange>(
    db,
    sql`select v.runbook_id as "runbookId", r.title, count(*)::int as versions,
          (select p.sha from runbook_versions p where p.runbook_id = v.runbook_id and p.first_seen_at < ${from}
            order by p.first_seen_at desc, p.sha limit 1) as before,
          (array_agg(v.sha order by v.first_seen_at desc, v.sha))[1] as after
        from runbook_versions v left join runbooks r on r.id = v.runbook_id
        where v.first_seen_at >= ${from} and v.first_seen_at < ${span.to.toISOString()}::timestamptz
        group by v.runbook_id, r.title
        order by v.runbook_id`,
  );
}

/** Alerts of the alertname that started in [from, to); with `ruleLabels`, those carrying them (one rule's firings). */
export async function countOccurrencesOf(
  db: Db,
  span: Span,
  alertname: string,
  ruleLabels: Record<string, string> = {},
): Promise<number> {
  const [row] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from alerts
        where starts_at >= ${span.from.toISOString()}::timestamptz and starts_at < ${span.to.toISOString()}::timestamptz
          and labels->>'alertname' = ${alertname} and labels @> ${JSON.stringify(ruleLabels)}::jsonb`,
  );
  return row?.n ?? 0;
}

/** The newest incident of each alertname opened in the span (where the tune panel opens). */
export async function latestIncidentPerAlertname(db: Db, span: Span): Promise<Map<string, number>> {
  const list = await rows<{ alertname: string; id: number }>(
    db,
    sql`select distinct on (i.alertname) i.alertname, i.id::int as id from incidents i
        where ${opened(span)} and i.alertname is not null
        order by i.alertname, i.started_at desc, i.id desc`,
  );
  return new Map(list.map((r) => [r.alertname, r.id]));
}
