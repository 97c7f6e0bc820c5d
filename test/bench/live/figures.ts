import { percentile } from '../ingest/stats.js';
import type { Cell, Receipts } from './clients.js';
import type { NaiveResult } from './naive.js';
import type { UpstreamAnswer } from './server-process.js';

export interface RunFacts {
  clients: number;
  cells: Cell[];
  seconds: number;
  /** Hub processes the clients were split across (each coalesces its own viewers). */
  replicas?: number;
  /** Upstream answers the hubs received while recording, each with the replica (0-based) that asked. */
  answers: Array<UpstreamAnswer & { replica?: number }>;
  receipts: Receipts;
  /** Range queries Prometheus itself counted while recording. */
  prometheusRangeQueries: number;
  prometheusCpuSeconds: number;
  /** CPU the hub's process used while recording. */
  hubCpuSeconds: number;
  idleRssBytes: number;
  peakRssBytes: number;
  fullFrameBytesPerClient: number;
  framesDropped: number;
}

interface Latency {
  p50: number;
  p99: number;
  max: number;
}

export interface Figures {
  ticks: number;
  replicas: number;
  /** Across every replica; `maxPerReplica` is the most one replica asked in one tick. */
  queriesPerTick: { mean: number; min: number; max: number; maxPerReplica: number; measuredAtPrometheus: number };
  naive: { analyticQueriesPerTick: number; ratio: number; measured: NaiveResult };
  /** From the hub receiving an upstream answer to the last client receiving the frame. */
  fanOutMs: Latency & { samples: number; incomplete: number };
  /** From the tick (the window's end) to the last client: upstream query time and any queueing included. */
  endToEndMs: Latency;
  rssGrowthPer1000ClientsMb: number;
  bytesPerClientPerTick: { delta: number; full: number };
  prometheusCpuPerSecond: number;
  hubCpuPerSecond: number;
  framesDropped: number;
  errors: string[];
}

const MB = 1024 * 1024;

export function computeFigures(run: RunFacts, naive: NaiveResult): Figures {
  // One tick = one window end; the first and last are cut by the recording window.
  const perTick = new Map<number, RunFacts['answers']>();
  for (const answer of run.answers) perTick.set(answer.end, [...(perTick.get(answer.end) ?? []), answer]);
  const ticks = [...perTick.keys()].sort((a, b) => a - b).slice(1, -1);
  const counts = ticks.map((end) => perTick.get(end)!.length);
  const replicas = run.replicas ?? 1;
  const perReplica = ticks.flatMap((end) =>
    Array.from({ length: replicas }, (_, i) => perTick.get(end)!.filter((a) => (a.replica ?? 0) === i).length),
  );

  const subOf = new Map(run.cells.map((c) => [c.query, c.sub]));
  const fanOut: number[] = [];
  const endToEnd: number[] = [];
  let incomplete = 0;
  for (const end of ticks) {
    for (const answer of perTick.get(end)!) {
      const receipt = run.receipts.lastReceipt.get(`${subOf.get(answer.query)}@${answer.end}`);
      if (!receipt || receipt.clients < run.clients) incomplete += 1;
      if (!receipt) continue;
      fanOut.push(receipt.at - answer.at);
      endToEnd.push(receipt.at - answer.end * 1000);
    }
  }
  const mean = counts.reduce((a, b) => a + b, 0) / Math.max(counts.length, 1);
  const analyticQueriesPerTick = run.clients * run.cells.length;
  return {
    ticks: ticks.length,
    replicas,
    queriesPerTick: {
      mean,
      min: Math.min(...counts),
      max: Math.max(...counts),
      maxPerReplica: Math.max(...perReplica),
      measuredAtPrometheus: run.prometheusRangeQueries / run.seconds,
    },
    naive: { analyticQueriesPerTick, ratio: mean / analyticQueriesPerTick, measured: naive },
    fanOutMs: { ...latency(fanOut), samples: fanOut.length, incomplete },
    endToEndMs: latency(endToEnd),
    rssGrowthPer1000ClientsMb: ((run.peakRssBytes - run.idleRssBytes) / MB) * (1000 / run.clients),
    bytesPerClientPerTick: {
      delta: (run.receipts.deltaBytes / Math.max(run.receipts.deltaFrames, 1)) * run.cells.length,
      full: run.fullFrameBytesPerClient,
    },
    prometheusCpuPerSecond: run.prometheusCpuSeconds / run.seconds,
    hubCpuPerSecond: run.hubCpuSeconds / run.seconds,
    framesDropped: run.framesDropped,
    errors: run.receipts.errors,
  };
}

function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}

export function renderFigures(
  f: Figures,
  run: { clients: number; cells: number; seconds: number; range: string },
): string {
  const verdict = (target: string, ok: boolean) => `   target ${target}: ${ok ? 'PASS' : 'FAIL'}`;
  const n = (x: number, digits = 1) => x.toLocaleString('en-US', { maximumFractionDigits: digits });
  const ms = ({ p50, p99, max }: Latency) => `p50 ${n(p50)} ms, p99 ${n(p99)} ms, max ${n(max)} ms`;
  const { measured } = f.naive;
  const { queriesPerTick: q, fanOutMs, bytesPerClientPerTick: bytes } = f;
  const rows: [string, string][] = [
    f.replicas === 1
      ? [
          'upstream queries per tick',
          `${n(q.mean, 2)} (min ${q.min}, max ${q.max} over ${f.ticks} ticks; Prometheus counted ${n(q.measuredAtPrometheus, 2)}/s)` +
            verdict(`exactly ${run.cells}`, q.min === run.cells && q.max === run.cells),
        ]
      : [
          'upstream queries per tick',
          `${n(q.mean, 2)} from ${f.replicas} replicas (min ${q.min}, max ${q.max} over ${f.ticks} ticks; at most ` +
            `${q.maxPerReplica} from one replica; Prometheus counted ${n(q.measuredAtPrometheus, 2)}/s)` +
            verdict(
              `≤ replicas × cells = ${f.replicas * run.cells}`,
              q.max <= f.replicas * run.cells && q.maxPerReplica <= run.cells,
            ),
        ],
    [
      'vs naive baseline',
      `${n(f.naive.analyticQueriesPerTick, 0)} queries/tick if every client polled (clients × cells) → ratio 1/${n(1 / f.naive.ratio, 0)}` +
        verdict('≤ 1/100', f.naive.ratio <= 0.01),
    ],
    [
      'naive, measured',
      `${measured.clients} clients × ${run.cells} cells for ${n(measured.seconds)} s: ${n(measured.queriesPerSecond)} queries/s ` +
        `at Prometheus, latency p50 ${n(measured.latencyMs.p50)} ms p99 ${n(measured.latencyMs.p99)} ms, ` +
        `${measured.skipped} polls skipped (previous still running), ${measured.failures} failed`,
    ],
    [
      'Prometheus CPU',
      `naive ${n(measured.prometheusCpuPerSecond, 3)} s/s with ${measured.clients} clients; ` +
        `hub ${n(f.prometheusCpuPerSecond, 3)} s/s with ${run.clients}`,
    ],
    [
      'hub CPU',
      `${n(f.hubCpuPerSecond, 3)} s/s (${n((f.hubCpuPerSecond * 1e6) / (run.clients * run.cells))} µs per frame sent)`,
    ],
    [
      'answer → last client',
      `${ms(fanOutMs)} (${fanOutMs.samples} answers, ${fanOutMs.incomplete} not seen by every client)` +
        verdict('p99 < 100 ms', fanOutMs.p99 < 100 && fanOutMs.incomplete === 0),
    ],
    ['tick → last client', `${ms(f.endToEndMs)} (from the window's end: the query itself and any queueing included)`],
    [
      'server RSS growth',
      `${n(f.rssGrowthPer1000ClientsMb)} MB per 1,000 clients (peak during the run − idle)` +
        verdict('< 100 MB', f.rssGrowthPer1000ClientsMb < 100),
    ],
    [
      'bytes per client per tick',
      `${n(bytes.delta, 0)} B with deltas vs ${n(bytes.full, 0)} B as full frames (×${n(bytes.full / bytes.delta)})`,
    ],
    ['frames dropped', `${f.framesDropped} (backpressure)`],
    ...(f.errors.length > 0 ? [['error frames', `${f.errors.length}, first: ${f.errors[0]}`] as [string, string]] : []),
  ];
  const title =
    `Live cells: ${run.clients} clients${f.replicas > 1 ? ` split across ${f.replicas} replicas` : ''} × ${run.cells} cells, refresh 1 s, step 1 s, ` +
    `range ${run.range}, ${run.seconds} s against a real Prometheus`;
  return [title, '', ...rows.map(([label, text]) => `${label.padEnd(28)} ${text}`)].join('\n');
}
