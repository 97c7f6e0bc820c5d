import { createHash } from 'node:crypto';
import type postgres from 'postgres';
import type { AlertmanagerMessage } from './payload.js';

/*
 * The bare insert: a notification's alert rows written the fastest way this
 * schema allows, by the baseline (straight from a script) and by the bare
 * receiver (behind a bare HTTP server).
 */

// The columns intake fills for a new alert occurrence.
const ALERT_COLUMNS = [
  'incident_id',
  'occurrence_key',
  'fingerprint',
  'status',
  'labels',
  'annotations',
  'starts_at',
  'ends_at',
  'generator_url',
  'runbook_id',
  'received_at',
] as const;
// A statement carries at most 65,535 bind parameters: a 10,000-alert notification needs two INSERTs.
const ROWS_PER_INSERT = Math.floor(65_535 / ALERT_COLUMNS.length);

/** The foreign key wants an incident; one holds every bare-inserted row. Returns its id. */
export async function openHoldingIncident(sql: postgres.Sql): Promise<string> {
  const [incident] = await sql<{ id: string }[]>`
    insert into incidents (group_identity, receiver, group_labels, status, title, started_at)
    values ('bench baseline', 'bench', '{}', 'firing', 'bench baseline', now())
    returning id`;
  return incident!.id;
}

/** One transaction holding one multi-row INSERT of the message's alerts (two past 5,957 alerts). */
export async function insertAlerts(sql: postgres.Sql, incidentId: string, message: AlertmanagerMessage): Promise<void> {
  const receivedAt = new Date();
  const group = createHash('sha256').update(`${message.receiver}\n${message.groupKey}`).digest('hex').slice(0, 16);
  const rows = message.alerts.map((alert) => ({
    incident_id: incidentId,
    occurrence_key: `${group}:${alert.fingerprint}:${Date.parse(alert.startsAt)}`,
    fingerprint: alert.fingerprint,
    status: alert.status,
    labels: JSON.stringify(alert.labels),
    annotations: JSON.stringify(alert.annotations),
    starts_at: new Date(alert.startsAt),
    ends_at: null,
    generator_url: alert.generatorURL || null,
    runbook_id: null,
    received_at: receivedAt,
  }));
  await sql.begin(async (tx) => {
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      await tx`insert into alerts ${tx(rows.slice(i, i + ROWS_PER_INSERT), ...ALERT_COLUMNS)}`;
    }
  });
}
