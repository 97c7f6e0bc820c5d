import { sql } from 'drizzle-orm';
import type { RecordedIncident, RecordedIncidentSource } from '../domain/tuning/recorded-incidents.js';
import { rowsOf, type Db } from './client.js';
import { alertnameIs } from './schema/index.js';

/**
 * Incidents of an alert open at some time in a window, for tuning: an incident
 * is the alert's when it carries its alertname, or when one of its alerts does
 * (a group of several alertnames has none of its own).
 */
export function recordedIncidentsFrom(db: Db): RecordedIncidentSource {
  return {
    async incidentsOf(alertname, window) {
      const start = new Date(window.start * 1000).toISOString();
      const end = new Date(window.end * 1000).toISOString();
      const rows = rowsOf<{ id: number | string; started: number; resolved: number | null; acknowledged: boolean }>(
        await db.execute(sql`
          select i.id, extract(epoch from i.started_at)::float8 as started,
                 extract(epoch from i.resolved_at)::float8 as resolved,
                 i.acknowledged_at is not null as acknowledged
          from incidents i
          where i.started_at <= ${end}::timestamptz
            and (i.resolved_at is null or i.resolved_at >= ${start}::timestamptz)
            and (${alertnameIs(alertname, sql`i.alertname`)}
                 or exists (select 1 from alerts a where a.incident_id = i.id and a.labels->>'alertname' = ${alertname}))
          order by i.started_at, i.id`),
      );
      return rows.map(
        (row): RecordedIncident => ({
          id: Number(row.id),
          start: Number(row.started),
          end: row.resolved === null ? null : Number(row.resolved),
          acknowledged: row.acknowledged,
        }),
      );
    },
  };
}
