import { sql } from 'drizzle-orm';
import { rowsOf, type Tx } from '../../db/client.js';
import type { RunbookLinker } from './runbook-linker.js';
import type { IncomingAlert } from './notification.js';

/*
 * The bulk statements of intake. Each passes its rows as ONE jsonb parameter
 * expanded server-side by jsonb_to_recordset: a 10,000-alert storm is one
 * statement, with no 65,535-parameter limit to chunk around and no SQL text
 * thousands of placeholders long to build.
 */

export interface KnownOccurrence {
  status: 'firing' | 'resolved';
  incidentId: number;
}

/** The occurrences already stored, by key. */
export async function findKnownOccurrences(tx: Tx, keys: string[]): Promise<Map<string, KnownOccurrence>> {
  const result = await tx.execute(sql`
    select occurrence_key as key, status, incident_id as "incidentId"
    from alerts
    where occurrence_key in (select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb))`);
  const rows = rowsOf<{ key: string; status: 'firing' | 'resolved'; incidentId: number | string }>(result);
  return new Map(rows.map((r) => [r.key, { status: r.status, incidentId: Number(r.incidentId) }]));
}

/** Inserts new occurrences into one incident; returns the keys actually inserted (a racing twin may have won). */
export async function insertOccurrences(
  tx: Tx,
  input: { incidentId: number; occurrences: [string, IncomingAlert][]; runbooks: RunbookLinker | undefined; now: Date },
): Promise<Set<string>> {
  const rows = input.occurrences.map(([key, a]) => {
    const link = input.runbooks?.link(a);
    return {
      incident_id: input.incidentId,
      occurrence_key: key,
      fingerprint: a.fingerprint,
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      starts_at: a.startsAt.toISOString(),
      ends_at: a.endsAt?.toISOString() ?? null,
      generator_url: a.generatorUrl,
      runbook_id: link?.kind === 'runbook' ? link.runbookId : null,
      received_at: input.now.toISOString(),
    };
  });
  const result = await tx.execute(sql`
    insert into alerts (incident_id, occurrence_key, fingerprint, status, labels, annotations, starts_at, ends_at, generator_url, runbook_id, received_at)
    select incident_id, occurrence_key, fingerprint, status, labels, annotations, starts_at, ends_at, generator_url, runbook_id, received_at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
      incident_id bigint, occurrence_key text, fingerprint text, status text, labels jsonb, annotations jsonb,
      starts_at timestamptz, ends_at timestamptz, generator_url text, runbook_id text, received_at timestamptz)
    on conflict (occurrence_key) do nothing
    returning occurrence_key as key`);
  return new Set(rowsOf<{ key: string }>(result).map((r) => r.key));
}

/**
 * Moves stored occurrences firing → resolved, each with its own end time.
 * Only ever that direction: a late "firing" never reopens a resolution.
 */
export async function resolveOccurrences(tx: Tx, ends: { key: string; endsAt: Date }[]): Promise<{ key: string; incidentId: number }[]> {
  const rows = ends.map((e) => ({ key: e.key, ends_at: e.endsAt.toISOString() }));
  const result = await tx.execute(sql`
    update alerts set status = 'resolved', ends_at = r.ends_at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(key text, ends_at timestamptz)
    where alerts.occurrence_key = r.key and alerts.status = 'firing'
    returning alerts.occurrence_key as key, alerts.incident_id as "incidentId"`);
  return rowsOf<{ key: string; incidentId: number | string }>(result).map((r) => ({ key: r.key, incidentId: Number(r.incidentId) }));
}
