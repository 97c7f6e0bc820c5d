// `npm run bench:live`: the live hub with 1,000 websocket clients against a real Prometheus.
// Options: --clients 1000 --seconds 30 --range 1m --naive-clients 100 --naive-seconds 10 --json
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { parseDuration } from '../../src/prometheus/step.js';
import { startPrometheus } from '../support/prometheus.js';
import { connectClients, type Cell } from './live/clients.js';
import { computeFigures, renderFigures } from './live/figures.js';
import { measureNaive } from './live/naive.js';
import { readPrometheusCounters, sumSamples } from './live/prometheus-counters.js';
import { startBenchServer } from './live/server-process.js';

/** Ten cells on what a bare Prometheus has: its own metrics. */
const QUERIES = [
  'sum(rate(prometheus_http_requests_total[1m]))',
  'sum by (handler) (rate(prometheus_http_requests_total[1m]))',
  'process_resident_memory_bytes',
  'rate(process_cpu_seconds_total[1m])',
  'go_goroutines',
  'prometheus_tsdb_head_series',
  'rate(prometheus_tsdb_head_samples_appended_total[1m])',
  'up',
  'scrape_duration_seconds',
  'histogram_quantile(0.99, sum by (le) (rate(prometheus_http_request_duration_seconds_bucket[1m])))',
];
const WARM_UP_MS = 5_000;

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '30' },
    range: { type: 'string', default: '1m' },
    'naive-clients': { type: 'string', default: '100' },
    'naive-seconds': { type: 'string', default: '10' },
    json: { type: 'boolean', default: false },
  },
});
const count = (name: keyof typeof args) => {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`--${name} must be a positive integer, got ${args[name]}`);
  return value;
};

async function main(): Promise<void> {
  const clients = count('clients');
  const seconds = count('seconds');
  const range = args.range!;
  const rangeSeconds = parseDuration(range);
  const cells: Cell[] = QUERIES.map((query, i) => ({ sub: `c${i}`, query }));
  const token = randomBytes(16).toString('hex');

  const loadAtStart = loadavg()[0]!;
  process.stderr.write('starting Prometheus and the hub…\n');
  const prometheus = await startPrometheus();
  const server = await startBenchServer(prometheus.url, token).catch(async (error: unknown) => {
    await prometheus.close();
    throw error;
  });
  try {
    await prometheus.waitForSeries('prometheus_http_requests_total');
    const idleRssBytes = await server.rssBytes();

    process.stderr.write(`naive baseline: ${args['naive-clients']} clients polling Prometheus themselves…\n`);
    const naive = await measureNaive({
      prometheusUrl: prometheus.url,
      clients: count('naive-clients'),
      cells,
      rangeSeconds,
      seconds: count('naive-seconds'),
    });

    process.stderr.write(`connecting ${clients} clients…\n`);
    const fleet = await connectClients({ liveUrl: server.liveUrl, token, count: clients, cells, range });
    await sleep(WARM_UP_MS);

    process.stderr.write(`recording ${seconds} s…\n`);
    const before = await readPrometheusCounters(prometheus.url);
    const firstAnswer = server.answers.length;
    const hubCpuBefore = await server.cpuSeconds();
    fleet.record();
    let peakRssBytes = await server.rssBytes();
    const startedAt = performance.now();
    while (performance.now() - startedAt < seconds * 1000) {
      await sleep(1_000);
      peakRssBytes = Math.max(peakRssBytes, await server.rssBytes());
    }
    const receipts = fleet.stop();
    const hubCpuSeconds = (await server.cpuSeconds()) - hubCpuBefore;
    const answers = server.answers.slice(firstAnswer);
    const after = await readPrometheusCounters(prometheus.url);
    const fullFrameBytesPerClient = await fleet.fullFrameBytes();
    const framesDropped = sumSamples(await server.metrics(), 'alertbook_live_frames_dropped_total');
    await fleet.close();

    const figures = computeFigures(
      {
        clients,
        cells,
        seconds,
        answers,
        receipts,
        prometheusRangeQueries: after.rangeQueries - before.rangeQueries,
        prometheusCpuSeconds: after.cpuSeconds - before.cpuSeconds,
        hubCpuSeconds,
        idleRssBytes,
        peakRssBytes,
        fullFrameBytesPerClient,
        framesDropped,
      },
      naive,
    );
    // Hub, clients and Prometheus share the machine: its load colours every latency.
    const machine = { cpus: availableParallelism(), loadAverage: { start: loadAtStart, end: loadavg()[0]! } };
    process.stdout.write(
      args.json
        ? `${JSON.stringify({ machine, ...figures }, null, 2)}\n`
        : `${renderFigures(figures, { clients, cells: cells.length, seconds, range })}\n` +
            `${'machine'.padEnd(28)} ${machine.cpus} CPUs, load average ` +
            `${machine.loadAverage.start.toFixed(1)} → ${machine.loadAverage.end.toFixed(1)}\n`,
    );
  } finally {
    await server.stop();
    await prometheus.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
