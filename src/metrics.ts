import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { QUERY_OUTCOMES } from './prometheus/observed-datasources.js';

/** Every outcome a webhook notification is counted with. */
export const NOTIFICATION_OUTCOMES = [
  'accepted',
  'duplicate',
  'invalid',
  'unauthorized',
  'unavailable',
  'aborted',
  'error',
] as const;
export type NotificationOutcome = (typeof NOTIFICATION_OUTCOMES)[number];

/**
 * Alertbook's own metrics. One registry per app instance (not prom-client's
 * global) so tests can build several apps in one process. Every counter with
 * an `outcome` starts each outcome at zero: `increase()` sees nothing of a
 * series' first value, so a counter born at 1 hides the first failure from alerts.
 */
export function createMetrics(options: { countOpenIncidents: () => Promise<number>; datasources?: readonly string[] }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const notifications = new Counter({
    name: 'alertbook_notifications_total',
    help: 'Webhook notifications received, by outcome (accepted, duplicate, invalid, unauthorized, unavailable, aborted: the sender left mid-body, error).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  for (const outcome of NOTIFICATION_OUTCOMES) notifications.inc({ outcome }, 0);
  const prometheusQueries = new Counter({
    name: 'alertbook_prometheus_queries_total',
    help: 'Queries sent to datasources (ad-hoc, snapshots, live cells), by datasource, kind (instant, range) and outcome (ok, or the error kind).',
    labelNames: ['datasource', 'kind', 'outcome'] as const,
    registers: [registry],
  });
  for (const datasource of options.datasources ?? []) {
    for (const kind of ['instant', 'range']) {
      for (const outcome of QUERY_OUTCOMES) prometheusQueries.inc({ datasource, kind, outcome }, 0);
    }
  }
  return {
    registry,
    notifications,
    alertsIngested: new Counter({
      name: 'alertbook_alerts_ingested_total',
      help: 'Alert occurrences stored or changed by webhook notifications.',
      registers: [registry],
    }),
    duplicatesSkipped: new Counter({
      name: 'alertbook_alert_duplicates_skipped_total',
      help: 'Alerts in notifications that changed nothing (retries, resends, HA twins).',
      registers: [registry],
    }),
    ingestDuration: new Histogram({
      name: 'alertbook_ingest_duration_seconds',
      help: 'Time to validate and commit one webhook notification.',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    intakeBatchSize: new Histogram({
      name: 'alertbook_intake_batch_notifications',
      help: 'Small notifications (up to 100 alerts) per intake transaction: 1 when sent alone, more when they arrived while two were committing.',
      buckets: [1, 2, 4, 8, 16, 32],
      registers: [registry],
    }),
    intakeBatchesRetried: new Counter({
      name: 'alertbook_intake_batches_retried_total',
      help: 'Intake batches whose transaction failed, their notifications then sent again one by one.',
      registers: [registry],
    }),
    prometheusQueries,
    prometheusQueryDuration: new Histogram({
      name: 'alertbook_prometheus_query_duration_seconds',
      help: 'Time for a datasource to answer a query, failures included.',
      labelNames: ['datasource', 'kind'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    openIncidents: new Gauge({
      name: 'alertbook_open_incidents',
      help: 'Incidents currently firing.',
      registers: [registry],
      async collect() {
        try {
          this.set(await options.countOpenIncidents());
        } catch {
          // Database unreachable: keep the last value; /readyz reports the outage.
        }
      },
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
