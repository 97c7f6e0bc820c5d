import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { PROMETHEUS_ERROR_KINDS } from '../prometheus/errors.js';

/** Every outcome of a live cell's upstream query: `internal` is anything but a PrometheusError. */
const UPSTREAM_OUTCOMES = ['ok', ...PROMETHEUS_ERROR_KINDS, 'internal'];

/** What the gauges read when scraped, so they can never drift from the hub's state. */
export interface LiveCounts {
  clients(): number;
  subscriptions(): number;
  upstreamKeys(): number;
}

/**
 * The hub's metrics, registered on the app's registry (one per app: tests build several).
 * Upstream outcomes of the `datasources` given start at zero, so `increase()` sees the first failure.
 */
export function createLiveMetrics(registry: Registry, counts: LiveCounts, datasources: readonly string[] = []) {
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge('alertbook_live_clients', 'Websocket clients connected to /api/v1/live.', counts.clients);
  gauge('alertbook_live_subscriptions', 'Live cell subscriptions across all clients.', counts.subscriptions);
  gauge('alertbook_live_upstream_keys', 'Distinct upstream queries the subscriptions share.', counts.upstreamKeys);
  const upstreamQueries = new Counter({
    name: 'alertbook_live_upstream_queries_total',
    help: 'Range queries sent for live cells, by datasource and outcome (ok, or the error kind).',
    labelNames: ['datasource', 'outcome'] as const,
    registers: [registry],
  });
  for (const datasource of datasources) {
    for (const outcome of UPSTREAM_OUTCOMES) upstreamQueries.inc({ datasource, outcome }, 0);
  }
  return {
    upstreamQueries,
    upstreamDuration: new Histogram({
      name: 'alertbook_live_upstream_duration_seconds',
      help: 'Time for a datasource to answer a live cell query, failures included.',
      labelNames: ['datasource'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    framesSent: new Counter({
      name: 'alertbook_live_frames_sent_total',
      help: 'Frames written to live clients, by frame type.',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    framesDropped: new Counter({
      name: 'alertbook_live_frames_dropped_total',
      help: 'Frames not written because the client was not reading (it gets the latest state once it catches up).',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    slowClientsClosed: new Counter({
      name: 'alertbook_live_slow_clients_closed_total',
      help: 'Clients disconnected (code 4008) for staying blocked past the limit.',
      registers: [registry],
    }),
  };
}

export type LiveMetrics = ReturnType<typeof createLiveMetrics>;
