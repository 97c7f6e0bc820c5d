import { createHash } from 'node:crypto';
import postgres from 'postgres';
import { ChildWorker } from './child-worker.js';
import { runLoad } from './load.js';
import { stormNotification, type AlertmanagerMessage } from './payload.js';
import { throughput, type Throughput } from './stats.js';
import { WARM_UP, type Scenario } from './scenario.js';

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

export interface BaselineOrder {
  url: string;
  scenario: Omit<Scenario, 'signal'>;
}

/** `measureBaseline` in a child process of its own (baseline-process.ts), so it leaves nothing in this one. */
export async function measureBaselineApart(url: string, { signal, ...scenario }: Scenario): Promise<Throughput> {
  const worker = new ChildWorker<BaselineOrder, Throughput>(new URL('./baseline-process.ts', import.meta.url));
  try {
    return await worker.run({ url, scenario }, signal);
  } finally {
    await worker.stop();
  }
}

/**
 * The physical ceiling of intake's design: the same alert rows, written by
 * bare postgres.js with one multi-row INSERT per notification in its own
 * transaction, same counts, same concurrency (one connection per worker).
 * No HTTP, no validation, no incidents, timeline or delivery log.
 */
export async function measureBaseline(url: string, scenario: Scenario): Promise<Throughput> {
  const sql = postgres(url, { max: scenario.concurrency, onnotice: () => {} });
  try {
    // The foreign key wants an incident; one holds every baseline row.
    const [incident] = await sql<{ id: string }[]>`
      insert into incidents (group_identity, receiver, group_labels, status, title, started_at)
      values ('bench baseline', 'bench', '{}', 'firing', 'bench baseline', now())
      returning id`;
    const send = (alertCount: number, run: string, count: number) =>
      runLoad({
        items: Array.from({ length: count }, (_, index) => stormNotification({ run, index, alertCount })),
        concurrency: scenario.concurrency,
        signal: scenario.signal,
        deliver: (message) => insertAlerts(sql, incident!.id, message),
      });
    await send(WARM_UP.alertCount, `${scenario.run}w`, WARM_UP.notifications);
    return throughput(await send(scenario.alertCount, scenario.run, scenario.notifications), scenario.alertCount);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function insertAlerts(sql: postgres.Sql, incidentId: string, message: AlertmanagerMessage): Promise<void> {
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
