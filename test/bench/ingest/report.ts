import type { BenchResult } from './result.js';
import type { Backend } from './scratch-database.js';
import { judgesRawRatio, RATIO_TARGET, RECEIVER_RATIO_TARGET, ratioText, type TargetVerdict } from './targets.js';

export interface BenchEnvironment {
  startedAt: string;
  node: string;
  cpus: number;
  /** Server version when real Postgres ran. */
  postgres: string | null;
  quick: boolean;
  /** 1-minute load average before and after: the machine may be shared. */
  loadAverage: { start: number; end: number };
  /** The app's RSS once listening, before its first notification (first row). */
  idleRssBytes: number;
}

export interface BenchReport {
  environment: BenchEnvironment;
  results: BenchResult[];
  targets: TargetVerdict[];
}

const BACKEND_TITLES: Record<Backend, string> = {
  postgres: 'Postgres server',
  embedded: 'embedded Postgres (npm start)',
};
const MiB = 1024 * 1024;

/** The human report: one table per backend, then the targets. */
export function renderReport({ environment, results, targets }: BenchReport): string {
  const lines = [
    `# Alertbook intake benchmark (${environment.quick ? 'quick run, noisy figures' : 'full run'})`,
    '',
    `${environment.startedAt} · Node ${environment.node} · ${environment.cpus} CPUs` +
      (environment.postgres ? ` · Postgres ${environment.postgres}` : ''),
    `1-minute load average ${environment.loadAverage.start.toFixed(1)} before, ${environment.loadAverage.end.toFixed(1)} after` +
      ` · app idle RSS ${integer(environment.idleRssBytes / MiB)} MB`,
    'Each row starts the app in a process of its own, bundled and run by plain node as `npm start` does; the load',
    'generator (node:http, keep-alive) and the baseline run in processes of their own: peak RSS and process CPU',
    "are the app's (100% = one core, the most a single Node process can use for JavaScript).",
    'Latency: from POSTing the body to reading the answer, sent after the commit. Fresh database per measurement.',
    'Each row is measured in rounds, the webhook first in one and last in the next; the round whose webhook-to-bare',
    'receiver ratio is the median (by alerts/s without one) gives every figure but peak RSS and the slowest',
    'latency, the highest of all rounds.',
    'Baseline: the same alert rows, one bare multi-row insert per notification, no HTTP. Bare receiver: that insert',
    'behind a bare node:http server, sent to by the same load generator; its ratio to the raw insert is the most any',
    'webhook receiver could reach on this machine.',
    `Ratios: webhook alerts/s to the bare receiver's (target ≥ ${RECEIVER_RATIO_TARGET}, every row) and to the baseline's`,
    `(target ≥ ${RATIO_TARGET} from 100 alerts per notification; printed without a verdict below that).`,
  ];
  for (const backend of Object.keys(BACKEND_TITLES) as Backend[]) {
    const rows = results.filter((r) => r.backend === backend);
    if (rows.length === 0) continue;
    lines.push('', `## ${BACKEND_TITLES[backend]}`, '', table(rows));
    lines.push('', CPU_SPLIT_LEGEND, '', cpuSplitTable(rows));
  }
  lines.push('', '## Targets (real Postgres)', '', targetTable(targets));
  return lines.join('\n');
}

function table(rows: BenchResult[]): string {
  return markdownTable(
    [
      'alerts/notification',
      'concurrency',
      'rounds',
      'notifications',
      'notifications/s',
      'alerts/s',
      'p50 ms',
      'p99 ms',
      'process CPU',
      'peak RSS MB',
      'baseline alerts/s',
      'bare receiver alerts/s',
      'ratio to bare receiver',
      '… each round',
      'ratio to raw insert',
      "receiver's ratio to raw insert",
    ],
    rows.map((r) => [
      integer(r.alertCount),
      String(r.concurrency),
      String(r.rounds),
      integer(r.webhook.notifications),
      integer(r.webhook.notificationsPerSecond),
      integer(r.webhook.alertsPerSecond),
      milliseconds(r.webhook.latencyMs.p50),
      milliseconds(r.webhook.latencyMs.p99),
      `${integer((100 * r.webhook.cpuSeconds) / r.webhook.seconds)}%`,
      integer(r.webhook.peakRssBytes / MiB),
      r.baseline ? integer(r.baseline.alertsPerSecond) : '—',
      r.bareReceiver ? integer(r.bareReceiver.alertsPerSecond) : '—',
      r.receiverRatio === null
        ? '—'
        : `${ratioText(r.receiverRatio)} ${mark(r.receiverRatio >= RECEIVER_RATIO_TARGET)}`,
      r.receiverRatioByRound?.map(ratioText).join(' ') ?? '—',
      r.ratio === null ? '—' : `${ratioText(r.ratio)}${judgesRawRatio(r) ? ` ${mark(r.ratio >= RATIO_TARGET)}` : ''}`,
      r.bareReceiver && r.baseline ? ratioText(r.bareReceiver.alertsPerSecond / r.baseline.alertsPerSecond) : '—',
    ]),
    'right',
  );
}

const CPU_SPLIT_LEGEND =
  "Where a notification's CPU goes, in ms per notification over the measured ones: the receiving process (the app, " +
  "or the bare receiver) and the database server's processes (— when the server is not on this machine).";

function cpuSplitTable(rows: BenchResult[]): string {
  const perNotification = (seconds: number | null | undefined, notifications: number) =>
    seconds === null || seconds === undefined ? '—' : ((1000 * seconds) / notifications).toFixed(2);
  return markdownTable(
    ['alerts/notification', 'concurrency', 'app', 'its database', 'bare receiver', 'its database'],
    rows.map((r) => [
      integer(r.alertCount),
      String(r.concurrency),
      perNotification(r.webhook.cpuSeconds, r.webhook.notifications),
      perNotification(r.webhook.databaseCpuSeconds, r.webhook.notifications),
      perNotification(r.bareReceiver?.cpuSeconds, r.bareReceiver?.notifications ?? 0),
      perNotification(r.bareReceiver?.databaseCpuSeconds, r.bareReceiver?.notifications ?? 0),
    ]),
    'right',
  );
}

function targetTable(targets: TargetVerdict[]): string {
  return markdownTable(
    ['target', 'measured', ''],
    targets.map((t) => [t.target, t.measured, t.pass === null ? 'n/a' : mark(t.pass)]),
    'left',
  );
}

function markdownTable(header: string[], rows: string[][], align: 'left' | 'right'): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const pad = (cell: string, i: number) => (align === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!));
  const line = (cells: string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((w) => (align === 'right' ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

const mark = (pass: boolean) => (pass ? 'PASS' : 'MISS');
const integer = (n: number) => Math.round(n).toLocaleString('en-US');
const milliseconds = (ms: number) => (ms < 100 ? ms.toFixed(1) : integer(ms));
