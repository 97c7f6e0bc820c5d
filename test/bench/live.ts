// `npm run bench:live`: the live hub with 1,000 websocket clients against a real Prometheus.
// Options: --clients 1000 --seconds 30 --range 1m --naive-clients 100 --naive-seconds 10 --replicas 1 --json
// --replicas N runs N hub processes (as N Alertbook replicas would, each coalescing its own viewers) with the clients
// split evenly across them; upstream load is then at most replicas × cells per tick. The hub keeps no state in the
// database, so the replicas share only Prometheus here.
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { parseDuration } from '../../src/prometheus/step.js';
import { startPrometheus } from '../support/prometheus.js';
import { connectClients, mergeReceipts, type Cell } from './live/clients.js';
import { computeFigures, renderFigures } from './live/figures.js';
import { measureNaive } from './live/naive.js';
import { readPrometheusCounters, sumSamples } from './live/prometheus-counters.js';
import { startBenchServer, type BenchServer } from './live/server-process.js';

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
    replicas: { type: 'string', default: '1' },
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

  const replicas = count('replicas');

  const loadAtStart = loadavg()[0]!;
  process.stderr.write(`starting Prometheus and ${replicas === 1 ? 'the hub' : `${replicas} hubs`}…\n`);
  const prometheus = await startPrometheus();
  const servers: BenchServer[] = [];
  try {
    for (let i = 0; i < replicas; i++) servers.push(await startBenchServer(prometheus.url, token));
    await prometheus.waitForSeries('prometheus_http_requests_total');
    const rssOfAll = async () => (await Promise.all(servers.map((s) => s.rssBytes()))).reduce((a, b) => a + b, 0);
    const cpuOfAll = async () => (await Promise.all(servers.map((s) => s.cpuSeconds()))).reduce((a, b) => a + b, 0);
    const idleRssBytes = await rssOfAll();

    process.stderr.write(`naive baseline: ${args['naive-clients']} clients polling Prometheus themselves…\n`);
    const naive = await measureNaive({
      prometheusUrl: prometheus.url,
      clients: count('naive-clients'),
      cells,
      rangeSeconds,
      seconds: count('naive-seconds'),
    });

    process.stderr.write(`connecting ${clients} clients…\n`);
    const fleets = [];
    for (const [i, server] of servers.entries()) {
      // Viewers split evenly, as a load balancer spreads them.
      const share = Math.floor(clients / replicas) + (i < clients % replicas ? 1 : 0);
      fleets.push(await connectClients({ liveUrl: server.liveUrl, token, count: share, cells, range }));
    }
    await sleep(WARM_UP_MS);

    process.stderr.write(`recording ${seconds} s…\n`);
    const before = await readPrometheusCounters(prometheus.url);
    const firstAnswer = servers.map((server) => server.answers.length);
    const hubCpuBefore = await cpuOfAll();
    for (const fleet of fleets) fleet.record();
    let peakRssBytes = await rssOfAll();
    const startedAt = performance.now();
    while (performance.now() - startedAt < seconds * 1000) {
      await sleep(1_000);
      peakRssBytes = Math.max(peakRssBytes, await rssOfAll());
    }
    const receipts = mergeReceipts(fleets.map((fleet) => fleet.stop()));
    const hubCpuSeconds = (await cpuOfAll()) - hubCpuBefore;
    const answers = servers.flatMap((server, replica) =>
      server.answers.slice(firstAnswer[replica]).map((answer) => ({ ...answer, replica })),
    );
    const after = await readPrometheusCounters(prometheus.url);
    const fullFrameBytesPerClient = await fleets[0]!.fullFrameBytes();
    let framesDropped = 0;
    for (const server of servers)
      framesDropped += sumSamples(await server.metrics(), 'alertbook_live_frames_dropped_total');
    await Promise.all(fleets.map((fleet) => fleet.close()));

    const figures = computeFigures(
      {
        clients,
        cells,
        seconds,
        replicas,
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
    await Promise.all(servers.map((server) => server.stop()));
    await prometheus.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
