import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../client.js';
import { alertnameIs } from '../schema/index.js';
import type { Span } from './decision-queries.js';

/** Incidents of the alertname opened in [from, to); with `ruleLabels`, those with an alert carrying them (one rule's). */
export async function countIncidentsOf(
  db: Db,
  span: Span,
  alertname: string,
  ruleLabels: Record<string, string> = {},
): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await db.execute(
      sql`select count(*)::int as n from incidents
          where ${alertnameIs(alertname)}
            and started_at >= ${span.from.toISOString()}::timestamptz and started_at < ${span.to.toISOString()}::timestamptz
            ${
              Object.keys(ruleLabels).length === 0
                ? sql``
                : sql`and exists (select 1 from alerts a
                    where a.incident_id = incidents.id and a.labels @> ${JSON.stringify(ruleLabels)}::jsonb)`
            }`,
    ),
  );
  return row?.n ?? 0;
}

/** Firing incidents per alertname (the rules list's `openIncidents`). */
export async function openIncidentsPerAlertname(db: Db): Promise<Map<string, number>> {
  const list = rowsOf<{ alertname: string; n: number }>(
    await db.execute(
      sql`select alertname, count(*)::int as n from incidents
          where status = 'firing' and alertname is not null group by alertname`,
    ),
  );
  return new Map(list.map((r) => [r.alertname, r.n]));
}
