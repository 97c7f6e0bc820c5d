import { setTimeout as sleep } from 'node:timers/promises';
import { PrometheusClient } from '../../../src/prometheus/client.js';
import { percentile } from '../ingest/stats.js';
import type { Cell } from './clients.js';
import { readPrometheusCounters } from './prometheus-counters.js';

export interface NaiveResult {
  clients: number;
  seconds: number;
  /** Range queries Prometheus answered per second. */
  queriesPerSecond: number;
  /** Polls skipped because the same panel's previous query had not come back. */
  skipped: number;
  failures: number;
  latencyMs: { p50: number; p99: number };
  /** CPU seconds Prometheus spent per second of the run. */
  prometheusCpuPerSecond: number;
}

/**
 * The baseline the hub replaces: every viewer's browser polling Prometheus
 * itself, each panel once a second (no more than one request in flight per
 * panel, as a sane dashboard does), viewers starting at random offsets.
 */
export async function measureNaive(options: {
  prometheusUrl: string;
  clients: number;
  cells: Cell[];
  rangeSeconds: number;
  seconds: number;
}): Promise<NaiveResult> {
  const prometheus = new PrometheusClient({ name: 'default', url: options.prometheusUrl });
  const latencies: number[] = [];
  let skipped = 0;
  let failures = 0;
  const before = await readPrometheusCounters(options.prometheusUrl);
  const startedAt = performance.now();
  const deadline = startedAt + options.seconds * 1000;

  const panel = async (query: string, offsetMs: number) => {
    await sleep(offsetMs);
    let inFlight: Promise<void> | null = null;
    for (let next = performance.now(); next < deadline; next += 1000) {
      await sleep(Math.max(0, next - performance.now()));
      if (inFlight) {
        skipped += 1;
        continue;
      }
      const end = Math.floor(Date.now() / 1000);
      const sent = performance.now();
      inFlight = prometheus
        .range({ query, start: end - options.rangeSeconds, end, step: 1 })
        .then(
          () => void latencies.push(performance.now() - sent),
          () => void (failures += 1),
        )
        .finally(() => (inFlight = null));
    }
    await inFlight;
  };
  await Promise.all(
    Array.from({ length: options.clients }, () => {
      const offset = Math.random() * 1000;
      return Promise.all(options.cells.map(({ query }) => panel(query, offset)));
    }),
  );

  const seconds = (performance.now() - startedAt) / 1000;
  const after = await readPrometheusCounters(options.prometheusUrl);
  const sorted = latencies.sort((a, b) => a - b);
  return {
    clients: options.clients,
    seconds,
    queriesPerSecond: (after.rangeQueries - before.rangeQueries) / seconds,
    skipped,
    failures,
    latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99) },
    prometheusCpuPerSecond: (after.cpuSeconds - before.cpuSeconds) / seconds,
  };
}
